import type { Department } from '@credit/catalogue';
import { makeResidentId, maskResidentId } from '@credit/identifiers';
import { contracts } from '@credit/intake';
import { DEAD_LETTER_HEADERS } from '@credit/kit';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import type { RecordKind, RecordKinds } from '@credit/schemas';
import { declareHostileInput } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireRecords } from '../src/expiry.ts';
import type { SubjectChangeEvent } from '../src/subject-change.ts';
import { type AggregatorHarness, naturalPersonRecord, startAggregatorHarness } from './aggregator-harness.ts';

let h: AggregatorHarness;
let penalties: Department;
let licences: Department;
let run = 0;

beforeAll(async () => {
  h = await startAggregatorHarness({ start: false });
  penalties = sampleDepartment(h.catalogue, 'administrative-penalty');
  licences = sampleDepartment(h.catalogue, 'administrative-licence');
  await h.ingestTopic(penalties.code);
  await h.ingestTopic(licences.code);
  await h.aggregator.start();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A subject no other test uses, and a record id unique to the test. */
function fresh(kind: RecordKind, department: Department, version = 1, daysAgo = 10) {
  run += 1;
  const subject = demoSubjects(5000 + run)[4999 + run]!;
  const value = demoRecord(kind, department, h.catalogue, subject, `it-${Date.now()}-${run}`, daysAgo);
  value.envelope.version = version;
  if (version > 1) value.envelope.changeReason = '更正';
  return { kind, value, subject };
}

function withVersion<K extends RecordKind>(
  value: RecordKinds[K],
  version: number,
  operation: 'UPSERT' | 'REVOKE' = 'UPSERT',
) {
  const copy = structuredClone(value);
  Object.assign(copy.envelope, {
    version,
    operation,
    changeReason: version > 1 || operation === 'REVOKE' ? `第${version}版` : null,
  });
  return copy;
}

/** The change events of `subject` published so far, once `accept` holds for them (15 s at most). */
async function changesFor(
  subject: string,
  accept: (events: SubjectChangeEvent[]) => boolean,
): Promise<SubjectChangeEvent[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const messages = await h.readTopic(h.changesTopic, 1, 15_000);
    const events = messages
      .map((m) => JSON.parse(m.value!.toString()) as SubjectChangeEvent)
      .filter((e) => e.subjectCode === subject);
    if (accept(events) || Date.now() > deadline) return events;
  }
}

const atLeast = (count: number) => (events: SubjectChangeEvent[]) => events.length >= count;

describe('aggregator on the real broker and database', () => {
  it('stores a record with its subject (kind from the code), old codes, disclosure window and summary, and announces it', async () => {
    const { kind, value, subject } = fresh('administrative-penalty', penalties);
    value.envelope.subject.legacyCodes = {
      registrationNumber: null,
      organisationCode: null,
      taxRegistrationNumber: null,
      publicInstitutionCertificateNumber: null,
      socialOrganisationRegistrationNumber: null,
    };
    await h.report(penalties, [{ kind, value }]);
    const [record] = await h.waitFor<{
      status: string;
      subject_code: string;
      disclosure_public: boolean;
      disclosure_until: string | null;
    }>(
      `select status, subject_code, disclosure_public, to_char(disclosure_until, 'YYYY-MM-DD') as disclosure_until
         from records where source_record_id = '${value.envelope.sourceRecordId}'`,
      (rows) => rows.length === 1,
    );
    expect(record).toMatchObject({ status: 'active', subject_code: subject.code });
    const window = h.catalogue.disclosureWindow(kind, value.envelope.severity, value.envelope.decisionDate);
    expect(record!.disclosure_public).toBe(window.public);
    expect(record!.disclosure_until).toBe(window.until);

    const { rows: subjects } = await h.pool.query(
      'select kind, name, display_code from subjects where code = $1',
      [subject.code],
    );
    expect(subjects).toEqual([{ kind: 'enterprise', name: subject.name, display_code: subject.code }]);
    // Positions 9–17 of the USCC: the old organisation code finds the subject.
    const { rows: legacy } = await h.pool.query(
      'select subject_code, code_type from legacy_codes where legacy_code = $1',
      [subject.code.slice(8, 17)],
    );
    expect(legacy).toEqual([{ subject_code: subject.code, code_type: 'ORGANISATION_CODE' }]);
    const { rows: summary } = await h.pool.query(
      'select records_total, active_records, active_penalties, active_by_kind from subject_summaries where subject_code = $1',
      [subject.code],
    );
    expect(summary).toEqual([
      {
        records_total: 1,
        active_records: 1,
        active_penalties: 1,
        active_by_kind: { 'administrative-penalty': 1 },
      },
    ]);

    const events = await changesFor(subject.code, atLeast(1));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      subjectCode: subject.code,
      subjectCreated: true,
      changes: [
        { change: 'created', sourceRecordId: value.envelope.sourceRecordId, version: 1, status: 'active' },
      ],
    });
  });

  it('changes nothing and announces nothing when a message is delivered twice', async () => {
    const { kind, value, subject } = fresh('administrative-licence', licences);
    await h.report(licences, [{ kind, value }]);
    await h.report(licences, [{ kind, value }]);
    await h.waitFor(
      `select 1 from records where source_record_id = '${value.envelope.sourceRecordId}'`,
      (rows) => rows.length === 1,
    );
    // A third message after the two, on the same partition (same key): once it is in, both copies were consumed.
    const marker = withVersion(value, 2);
    await h.report(licences, [{ kind, value: marker }]);
    await h.waitFor<{ version: string }>(
      `select version from records where source_record_id = '${value.envelope.sourceRecordId}'`,
      (rows) => rows[0]?.version === '2',
    );
    const events = await changesFor(subject.code, atLeast(2));
    expect(events.map((e) => e.changes.map((c) => `${c.change}:${c.version}`))).toEqual([
      ['created:1'],
      ['corrected:2'],
    ]);
    const { rows } = await h.pool.query(
      'select records_total from subject_summaries where subject_code = $1',
      [subject.code],
    );
    expect(rows).toEqual([{ records_total: 1 }]);
  });

  it('keeps the newest version when an older one arrives after it, and a revoke ends the record', async () => {
    const { kind, value, subject } = fresh('administrative-penalty', penalties);
    const id = value.envelope.sourceRecordId;
    await h.report(penalties, [{ kind, value: withVersion(value, 3) }]);
    await h.waitFor(`select 1 from records where source_record_id = '${id}'`, (rows) => rows.length === 1);
    await h.report(penalties, [{ kind, value: withVersion(value, 2) }]);
    await h.report(penalties, [{ kind, value }]);
    await h.report(penalties, [{ kind, value: withVersion(value, 4, 'REVOKE') }]);
    const [row] = await h.waitFor<{ version: string; status: string; change_reason: string }>(
      `select version, status, change_reason from records where source_record_id = '${id}'`,
      (rows) => rows[0]?.version === '4',
    );
    expect(row).toEqual({ version: '4', status: 'revoked', change_reason: '第4版' });
    const { rows } = await h.pool.query(
      'select active_records, revoked_records, active_penalties from subject_summaries where subject_code = $1',
      [subject.code],
    );
    expect(rows).toEqual([{ active_records: 0, revoked_records: 1, active_penalties: 0 }]);
    const events = await changesFor(subject.code, atLeast(2));
    expect(
      events.flatMap((e) => e.changes.map((c) => `${c.change}:${c.version}:${c.previousVersion}`)),
    ).toEqual(['created:3:null', 'revoked:4:3']);
  });

  it('moves a record corrected onto another subject: both summaries right, both subjects told', async () => {
    const first = fresh('administrative-penalty', penalties);
    const other = fresh('administrative-penalty', penalties).subject;
    const id = first.value.envelope.sourceRecordId;
    await h.report(penalties, [{ kind: first.kind, value: first.value }]);
    await h.waitFor(`select 1 from records where source_record_id = '${id}'`, (rows) => rows.length === 1);
    const moved = withVersion(first.value, 2);
    Object.assign(moved.envelope.subject, { code: other.code, name: other.name });
    await h.report(penalties, [{ kind: first.kind, value: moved }]);
    await h.waitFor<{ subject_code: string }>(
      `select subject_code from records where source_record_id = '${id}'`,
      (rows) => rows[0]?.subject_code === other.code,
    );
    const { rows } = await h.pool.query(
      'select subject_code, records_total from subject_summaries where subject_code = any($1) order by subject_code',
      [[first.subject.code, other.code]],
    );
    expect(rows).toEqual([{ subject_code: other.code, records_total: 1 }]);
    const left = await changesFor(first.subject.code, atLeast(2));
    expect(left.at(-1)?.changes).toMatchObject([{ change: 'moved', sourceRecordId: id, version: 2 }]);
    const arrived = await changesFor(other.code, atLeast(1));
    expect(arrived.at(-1)?.changes).toMatchObject([
      { change: 'corrected', sourceRecordId: id, version: 2, previousVersion: 1 },
    ]);
  });

  it('marks a record expired when its public window closes, recounts the subject and announces it', async () => {
    const { kind, value, subject } = fresh('administrative-penalty', penalties);
    const id = value.envelope.sourceRecordId;
    await h.report(penalties, [{ kind, value }]);
    const [row] = await h.waitFor<{ until: string | null }>(
      `select to_char(disclosure_until, 'YYYY-MM-DD') as until from records where source_record_id = '${id}'`,
      (rows) => rows.length === 1,
    );
    expect(row!.until).not.toBeNull();
    const dayAfter = new Date(Date.parse(row!.until!) + 86_400_000).toISOString().slice(0, 10);
    // The window's last day: still open.
    await expireRecords(h.pool, row!.until!);
    const { rows: open } = await h.pool.query('select status from records where source_record_id = $1', [id]);
    expect(open).toEqual([{ status: 'active' }]);
    expect(await expireRecords(h.pool, dayAfter)).toBeGreaterThanOrEqual(1);
    const { rows: closed } = await h.pool.query('select status from records where source_record_id = $1', [
      id,
    ]);
    expect(closed).toEqual([{ status: 'expired' }]);
    const { rows: summary } = await h.pool.query(
      'select active_records, expired_records, active_penalties from subject_summaries where subject_code = $1',
      [subject.code],
    );
    expect(summary).toEqual([{ active_records: 0, expired_records: 1, active_penalties: 0 }]);
    await h.aggregator.relay.drain();
    const events = await changesFor(subject.code, atLeast(2));
    expect(events.at(-1)?.changes).toMatchObject([
      { change: 'expired', sourceRecordId: id, status: 'expired' },
    ]);
  });

  it('applies one subject’s versions in the order they were reported', async () => {
    const { kind, value, subject } = fresh('administrative-licence', licences);
    const versions = [1, 2, 3, 4, 5, 6, 7, 8].map((v) => ({ kind, value: withVersion(value, v) }));
    for (const version of versions) await h.report(licences, [version]);
    await h.waitFor<{ version: string }>(
      `select version from records where source_record_id = '${value.envelope.sourceRecordId}'`,
      (rows) => rows[0]?.version === '8',
    );
    const events = await changesFor(subject.code, (events) => events.at(-1)?.changes.at(-1)?.version === 8);
    const seen = events.flatMap((e) => e.changes.map((c) => c.version));
    // Batches may fold several versions into one event; what is announced is always newer than what came before.
    expect(seen.at(-1)).toBe(8);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('dead-letters poison messages with their reason and goes on consuming', async () => {
    const topic = `${h.prefix}${penalties.code}`;
    const good = fresh('administrative-penalty', penalties);
    const invalid = fresh('administrative-penalty', penalties);
    invalid.value.envelope.subject.code = '91350100M000100Y4X';
    const unknownFingerprint = Buffer.concat([
      Buffer.from([0xc3, 0x01]),
      Buffer.alloc(8, 0xab),
      Buffer.from('x'),
    ]);
    const truncated = contracts().codec.encode(good.kind, good.value).subarray(0, 14);
    // Signed by the department, so what is refused is the content, not the signature.
    await h.send(
      topic,
      [
        { key: 'poison-1', value: Buffer.from('not avro at all') },
        { key: 'poison-1', value: unknownFingerprint },
        { key: 'poison-1', value: truncated },
        { key: 'poison-1', value: null },
      ],
      { signedBy: penalties },
    );
    await h.report(penalties, [invalid, good]);
    await h.waitFor(
      `select 1 from records where source_record_id = '${good.value.envelope.sourceRecordId}'`,
      (rows) => rows.length === 1,
    );
    const errors = await h.waitFor<{
      reason_code: string;
      reason: string;
      department: string;
      source_topic: string;
    }>(
      `select reason_code, reason, department, source_topic from ingest_errors where source_topic = '${topic}' order by source_offset`,
      (rows) => rows.length === 5,
    );
    expect(errors.map((e) => e.reason_code).sort()).toEqual(
      [
        'AGG_NO_VALUE',
        'INTAKE_SUBJECT_CODE',
        'SCHEMA_NOT_SINGLE_OBJECT',
        'SCHEMA_UNDECODABLE',
        'SCHEMA_UNKNOWN_FINGERPRINT',
      ].sort(),
    );
    expect(errors.every((e) => e.department === penalties.code)).toBe(true);
    const invalidReason = errors.find((e) => e.reason_code === 'INTAKE_SUBJECT_CODE')!.reason;
    expect(invalidReason).toMatch(/envelope\.subject\.code/);

    const dead = await h.readTopic(h.deadLetterTopic, 5);
    const fromThisTopic = dead.filter(
      (m) => m.headers[DEAD_LETTER_HEADERS.sourceTopic]?.toString() === topic,
    );
    expect(fromThisTopic).toHaveLength(5);
    for (const message of fromThisTopic) {
      expect(message.headers[DEAD_LETTER_HEADERS.sourcePartition]?.toString()).toMatch(/^\d+$/);
      expect(message.headers[DEAD_LETTER_HEADERS.sourceOffset]?.toString()).toMatch(/^\d+$/);
      expect(message.headers[DEAD_LETTER_HEADERS.reason]?.toString().length).toBeGreaterThan(10);
    }
    const notAvro = fromThisTopic.find((m) => m.value?.toString() === 'not avro at all');
    expect(notAvro?.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString()).toBe('SCHEMA_NOT_SINGLE_OBJECT');
  });

  it('keeps a refusal whose key and headers are not text, and masks an identity number used as a key', async () => {
    const topic = declareHostileInput(
      `${h.prefix}${penalties.code}`,
      'a number in clear as a key and in a value',
    );
    const person = makeResidentId({ division: '350102', birthDate: '1975-02-03', sequence: 321 });
    const good = fresh('administrative-penalty', penalties);
    await h.send(
      topic,
      [
        {
          key: Buffer.from([0x00, 0x01, 0xff]),
          value: Buffer.from([0x00, 0x00]),
          headers: { 'x-bin': Buffer.from([0, 255]) },
        },
        { key: person, value: Buffer.from(`not avro, about ${person}`) },
      ],
      { signedBy: penalties },
    );
    await h.report(penalties, [good]);
    await h.waitFor(
      `select 1 from records where source_record_id = '${good.value.envelope.sourceRecordId}'`,
      (rows) => rows.length === 1,
    );
    const { rows } = await h.pool.query<{ message_key: string; headers: Record<string, string> }>(
      `select message_key, headers from ingest_errors where source_topic = $1 and reason_code = 'SCHEMA_NOT_SINGLE_OBJECT'
        and (message_key like 'base64:%' or message_key = $2) order by source_offset`,
      [topic, maskResidentId(person)],
    );
    expect(rows).toHaveLength(2);
    // Different keys, so different partitions: found by content, not by offset.
    const binary = rows.find((row) => row.message_key.startsWith('base64:'));
    const personal = rows.find((row) => !row.message_key.startsWith('base64:'));
    expect(binary?.message_key).toBe(`base64:${Buffer.from([0x00, 0x01, 0xff]).toString('base64')}`);
    expect(binary?.headers['x-bin']).toBe(`base64:${Buffer.from([0, 255]).toString('base64')}`);
    expect(personal?.message_key).toBe(maskResidentId(person));
  });

  it('consumes the topic of a department added while it runs', async () => {
    const honours = sampleDepartment(h.catalogue, 'honour');
    const { kind, value } = fresh('honour', honours);
    await h.ingestTopic(honours.code);
    await h.report(honours, [{ kind, value }]);
    await h.waitFor(
      `select 1 from records where source_record_id = '${value.envelope.sourceRecordId}'`,
      (rows) => rows.length === 1,
      30_000,
    );
    expect(h.aggregator.subscription.topics()).toContain(`${h.prefix}${honours.code}`);
  });

  it('keys a natural person by a token, shows the number masked and keeps it only encrypted', async () => {
    const court = sampleDepartment(h.catalogue, 'dishonest-judgment-debtor');
    await h.ingestTopic(court.code);
    const person = makeResidentId({ division: '350102', birthDate: '1980-05-17', sequence: 123 });
    // Dated from today (the sample's own dates would be judged against the real calendar).
    const { value } = naturalPersonRecord(h.catalogue, {
      kind: 'dishonest-judgment-debtor',
      department: court,
      person: { number: person, name: '张三' },
      id: `person-${Date.now()}`,
      daysAgo: 10,
    });
    await h.report(court, [{ kind: 'dishonest-judgment-debtor', value }]);
    const [row] = await h.waitFor<{
      code: string;
      display_code: string;
      identity_ciphertext: string;
      kind: string;
    }>(
      `select s.code, s.display_code, s.identity_ciphertext, s.kind from subjects s join records r on r.subject_code = s.code
        where r.source_record_id = '${value.envelope.sourceRecordId}'`,
      (rows) => rows.length === 1,
    );
    expect(row!.code).toMatch(/^p_[a-z2-7]{26}$/);
    expect(row!.kind).toBe('natural_person');
    expect(row!.display_code).toBe(maskResidentId(person));
    expect(row!.identity_ciphertext).not.toContain(person);
    expect(h.keys.cipher.decrypt(row!.identity_ciphertext)).toBe(`RESIDENT_IDENTITY_CARD:${person}`);
    const { rows } = await h.pool.query(
      'select payload::text as payload from records where subject_code = $1',
      [row!.code],
    );
    expect(rows[0].payload).not.toContain(person);
  });

  it("refuses what the topic's department did not sign and numbers in clear; the dead letters hold none in clear", async () => {
    const court = sampleDepartment(h.catalogue, 'dishonest-judgment-debtor');
    const topic = declareHostileInput(await h.ingestTopic(court.code), 'a record with its number in clear');
    const person = makeResidentId({ division: '350102', birthDate: '1983-09-21', sequence: 777 });
    const { value } = naturalPersonRecord(h.catalogue, {
      kind: 'dishonest-judgment-debtor',
      department: court,
      person: { number: person, name: '李四' },
      id: `clear-${Date.now()}`,
      daysAgo: 10,
    });
    // A producer that neither seals nor is the court: unsigned, signed by tax, signed by the court but unsealed.
    const clear = contracts().codec.encode('dishonest-judgment-debtor', value);
    await h.send(topic, [{ key: 'unsigned', value: clear }]);
    await h.send(topic, [{ key: 'by-tax', value: clear }], {
      signedBy: sampleDepartment(h.catalogue, 'credit-grade'),
    });
    await h.send(topic, [{ key: 'in-clear', value: clear }], { signedBy: court });
    const errors = await h.waitFor<{ message_key: string; reason_code: string; value: Buffer }>(
      `select message_key, reason_code, value from ingest_errors where source_topic = '${topic}'
         and message_key in ('unsigned', 'by-tax', 'in-clear')`,
      (rows) => rows.length === 3,
    );
    expect(Object.fromEntries(errors.map((e) => [e.message_key, e.reason_code]))).toEqual({
      unsigned: 'SIGNATURE_MISSING',
      'by-tax': 'SIGNATURE_WRONG_DEPARTMENT',
      'in-clear': 'SEALED_IDENTITY_IN_CLEAR',
    });
    for (const error of errors) expect(error.value.toString('latin1')).not.toContain(person);
    const dead = (await h.readTopic(h.deadLetterTopic, 3, 20_000)).filter(
      (m) => m.headers[DEAD_LETTER_HEADERS.sourceTopic]?.toString() === topic,
    );
    expect(dead.length).toBeGreaterThanOrEqual(3);
    for (const message of dead) {
      expect(message.value?.toString('latin1')).not.toContain(person);
      expect(message.headers[DEAD_LETTER_HEADERS.masked]?.toString()).toBe('1');
    }
    const { rows } = await h.pool.query('select 1 from records where source_record_id = $1', [
      value.envelope.sourceRecordId,
    ]);
    expect(rows).toHaveLength(0);
  });
});
