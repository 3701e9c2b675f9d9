import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, migrate } from '@credit/db';
import { createCodec, type Decoded, samples as schemaSamples } from '@credit/schemas';
import { createTestDatabase, createTestTopics, type TestDatabase, testBus } from '@credit/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The foundation end to end: records encoded with the shared Avro schemas go through the real broker, a consumer
 * decodes them and stores them in the real PostgreSQL, committing offsets only after the insert, and what is read
 * back equals what was sent (Chinese text, exact decimals, calendar dates, instants).
 */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
/**
 * The schemas' samples with the legal representative's number masked as the platform stores it: the samples hold it
 * in clear, and no topic or table may (the privacy scan of the test run checks).
 */
const samples = Object.fromEntries(
  Object.entries(schemaSamples).map(([kind, sample]) => {
    const copy = structuredClone(sample);
    const representative = copy.envelope.subject.legalRepresentative;
    if (representative?.idNumber)
      representative.idNumber = `${'*'.repeat(14)}${representative.idNumber.slice(-4)}`;
    return [kind, copy];
  }),
) as typeof schemaSamples;
const codec = createCodec();
const bus = testBus('foundation-test');
let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
  await migrate(pool, 'foundation', path.join(fixtures, 'migrations'));
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

function fineAmountOf(decoded: Decoded): string | null {
  return decoded.kind === 'administrative-penalty' ? decoded.value.fineAmount : null;
}

describe('Avro over Kafka into PostgreSQL', () => {
  it('round-trips every record kind through the real broker and database', async () => {
    const [topic] = await createTestTopics(bus, [{ name: 'foundation.ingest', partitions: 3 }]);
    const kinds = Object.keys(samples) as (keyof typeof samples)[];
    const producer = await bus.producer();
    await producer.send(
      topic!,
      kinds.map((kind) => ({
        key: samples[kind].envelope.subject.code,
        value: codec.encode(kind, samples[kind] as never),
        headers: { 'record-kind': kind },
      })),
    );
    await producer.disconnect();

    const groupId = `foundation-${Date.now()}`;
    const consumer = await bus.consumer({ groupId, topics: [topic!], fromBeginning: true });
    let stored = 0;
    void consumer.run(async (batch) => {
      for (const message of batch.messages) {
        const decoded = codec.decode(message.value!);
        const { envelope } = decoded.value;
        await pool.query(
          `insert into foundation.received_records
             (topic, kafka_partition, kafka_offset, kind, writer_version, fingerprint, source_record_id, subject_code,
              decision_date, fine_amount, payload)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           on conflict do nothing`,
          [
            message.topic,
            message.partition,
            message.offset,
            decoded.kind,
            decoded.version,
            decoded.fingerprint,
            envelope.sourceRecordId,
            envelope.subject.code,
            envelope.decisionDate,
            fineAmountOf(decoded),
            JSON.stringify(decoded.value),
          ],
        );
        stored += 1;
      }
    });
    const deadline = Date.now() + 30_000;
    while (stored < kinds.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();

    const { rows } = await pool.query(
      `select kind, writer_version, source_record_id, subject_code, to_char(decision_date, 'YYYY-MM-DD') as decision_date,
              fine_amount::text as fine_amount, payload
         from foundation.received_records order by kind`,
    );
    expect(rows.map((row) => row.kind)).toEqual([...kinds].sort());
    for (const row of rows) {
      const sent = samples[row.kind as keyof typeof samples];
      expect(row.writer_version).toBe(2);
      expect(row.source_record_id).toBe(sent.envelope.sourceRecordId);
      expect(row.subject_code).toBe(sent.envelope.subject.code);
      expect(row.decision_date).toBe(sent.envelope.decisionDate);
      expect(row.payload).toEqual(JSON.parse(JSON.stringify(sent)));
    }
    const penalty = rows.find((row) => row.kind === 'administrative-penalty');
    expect(penalty.fine_amount).toBe(samples['administrative-penalty'].fineAmount);
    expect(penalty.payload.violationFacts).toContain('预包装食品');

    const admin = await bus.admin();
    try {
      const committed = await admin.groupOffsets(groupId, [topic!]);
      const ends = await admin.topicOffsets(topic!);
      const committedTotal = committed.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      const endTotal = ends.reduce((sum, p) => sum + Number(p.high), 0);
      expect(committedTotal).toBe(endTotal);
    } finally {
      await admin.disconnect();
    }
  });
});
