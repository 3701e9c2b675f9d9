import { loadCatalogue } from '@credit/catalogue';
import { createPool, findPrismaDrift, inTransaction, migrate, prismaAdapter } from '@credit/db';
import { contracts } from '@credit/intake';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import { createTestDatabase, type TestDatabase } from '@credit/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { insertRefusals } from '../src/error-table.ts';
import { createIdentityCipher } from '../src/identity-cipher.ts';
import { AGGREGATOR_SCHEMA, MIGRATIONS_DIR } from '../src/migrations.ts';
import { normaliseMessages } from '../src/normalise.ts';
import { upsertBatch } from '../src/upsert.ts';
import { testTrust } from './trust-context.ts';

let database: TestDatabase | undefined;
let pool: pg.Pool | undefined;
let prisma: PrismaClient | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, { searchPath: AGGREGATOR_SCHEMA });
  await migrate(pool, AGGREGATOR_SCHEMA, MIGRATIONS_DIR);
  prisma = new PrismaClient({ adapter: prismaAdapter(database.url, AGGREGATOR_SCHEMA) });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await database?.drop();
});

/** UTC midnight of a YYYY-MM-DD date, as Prisma returns a `date` column. */
const day = (date: string) => new Date(`${date}T00:00:00.000Z`);

describe('the Prisma view of the aggregator schema', () => {
  it('names only tables and columns the migrations create', async () => {
    const models = Object.values(Prisma.ModelName);
    expect(models).toEqual(
      expect.arrayContaining(['Subject', 'Record', 'SubjectSummary', 'IngestError', 'OutboxEvent']),
    );
    expect(await findPrismaDrift(prisma!, models)).toEqual([]);
  });

  it('has a model for every table the migrations create', async () => {
    const { rows } = await pool!.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = $1 and table_name <> 'schema_migrations' order by table_name`,
      [AGGREGATOR_SCHEMA],
    );
    expect(rows.map((row) => row.table_name)).toEqual([
      'erased_records',
      'erasures',
      'ingest_errors',
      'legacy_codes',
      'outbox',
      'records',
      'subject_names',
      'subject_summaries',
      'subjects',
    ]);
    expect(Object.values(Prisma.ModelName)).toHaveLength(rows.length);
  });

  it('reads an ingest error written with SQL, bytes, headers and offsets typed', async () => {
    const value = Buffer.from([0xc3, 0x01, 0x00, 0xff, 0x10]);
    await inTransaction(pool!, (client) =>
      insertRefusals(client, [
        {
          message: {
            topic: 'credit.ingest.market-regulation',
            partition: 2,
            offset: '9007199254740993',
            key: Buffer.from('91350100M000100Y43'),
            value,
            headers: { 'record-kind': Buffer.from('administrative-penalty'), absent: undefined },
            timestamp: Date.now(),
          },
          department: 'market-regulation',
          reason: { code: 'SCHEMA_UNKNOWN_FINGERPRINT', message: 'no known schema has fingerprint 00ff10' },
        },
      ]),
    );
    const errors = await prisma!.ingestError.findMany({
      where: { sourceTopic: 'credit.ingest.market-regulation' },
    });
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toMatchObject({
      sourceTopic: 'credit.ingest.market-regulation',
      sourcePartition: 2,
      sourceOffset: 9007199254740993n,
      department: 'market-regulation',
      reasonCode: 'SCHEMA_UNKNOWN_FINGERPRINT',
      reason: 'no known schema has fingerprint 00ff10',
      messageKey: '91350100M000100Y43',
      headers: { 'record-kind': 'administrative-penalty' },
    });
    expect(typeof error!.id).toBe('bigint');
    expect(Buffer.from(error!.value!)).toEqual(value);
    expect(error!.receivedAt).toBeInstanceOf(Date);
  });

  it('reads the subject, record, names, legacy codes, summary and event the aggregator writes', async () => {
    const catalogue = loadCatalogue();
    const kind = 'administrative-penalty';
    const department = sampleDepartment(catalogue, kind);
    const subject = demoSubjects(1)[0]!;
    const value = demoRecord(kind, department, catalogue, subject, 'prisma-1', 10);
    const trusted = await testTrust(catalogue);
    const [normalised] = await normaliseMessages(
      [
        trusted.sent(kind, value, department, {
          topic: `credit.ingest.${department.code}`,
          partition: 1,
          offset: '17',
          timestamp: Date.now(),
        }),
      ],
      {
        catalogue,
        contracts: contracts(),
        keys: { tokenKey: Buffer.alloc(32, 7), cipher: createIdentityCipher(Buffer.alloc(32, 9)) },
        trust: trusted.trust,
        topicPrefix: 'credit.ingest.',
        now: () => new Date(),
      },
    );
    trusted.close();
    if (!normalised) throw new Error('nothing normalised');
    if (!normalised.ok) throw new Error(`refused: ${normalised.reason.message}`);
    const today = new Date().toISOString().slice(0, 10);
    const written = await inTransaction(pool!, (client) => upsertBatch(client, [normalised], today));
    expect(written.applied).toBe(1);

    const envelope = value.envelope;
    const window = catalogue.disclosureWindow(kind, envelope.severity, envelope.decisionDate);
    const record = await prisma!.record.findUnique({
      where: { department_sourceRecordId: { department: department.code, sourceRecordId: 'prisma-1' } },
    });
    expect(record).toMatchObject({
      version: 1n,
      subjectCode: subject.code,
      kind,
      schemaVersion: 2,
      status: 'active',
      operation: 'UPSERT',
      decisionDate: day(envelope.decisionDate),
      reportedAt: envelope.reportedAt,
      disclosurePublic: window.public,
      disclosureFrom: day(window.from),
      disclosureUntil: window.until === null ? null : day(window.until),
      sourceTopic: `credit.ingest.${department.code}`,
      sourcePartition: 1,
      sourceOffset: 17n,
    });
    expect(record!.payload).toEqual(JSON.parse(JSON.stringify(normalised.record.payload)));

    expect(await prisma!.subject.findUnique({ where: { code: subject.code } })).toMatchObject({
      codeType: 'USCC',
      category: 'LEGAL_ENTITY',
      kind: 'enterprise',
      displayCode: subject.code,
      identityCiphertext: null,
      name: subject.name,
      nameReportedAt: envelope.reportedAt,
    });
    expect(await prisma!.subjectName.findMany({ where: { subjectCode: subject.code } })).toEqual([
      {
        subjectCode: subject.code,
        name: subject.name,
        firstReportedAt: envelope.reportedAt,
      },
    ]);
    expect(await prisma!.legacyCode.findMany({ where: { subjectCode: subject.code } })).toMatchObject([
      { legacyCode: subject.code.slice(8, 17), codeType: 'ORGANISATION_CODE' },
    ]);
    expect(await prisma!.subjectSummary.findUnique({ where: { subjectCode: subject.code } })).toMatchObject({
      recordsTotal: 1,
      activeRecords: 1,
      revokedRecords: 0,
      activeByKind: { [kind]: 1 },
      activePenalties: 1,
      lastDecisionDate: day(envelope.decisionDate),
    });
    const events = await prisma!.outboxEvent.findMany({ where: { subjectCode: subject.code } });
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toMatchObject({
      subjectCode: subject.code,
      subjectCreated: true,
      changes: [{ change: 'created', sourceRecordId: 'prisma-1', version: 1, status: 'active' }],
    });
  });
});
