import { makeResidentId } from '@credit/identifiers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestTopics,
  declareHostileInput,
  type TestDatabase,
  testBus,
} from '../src/index.ts';
import { scanDatabase, scanTopics } from '../src/privacy-scan.ts';

const PERSON = makeResidentId({ division: '350102', birthDate: '1983-09-21', sequence: 777 });
const ALL_DIGIT_USCC = '113501000037021557';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  // The numbers this file wrote on purpose go before the database is dropped (and scanned).
  await client?.query('drop schema if exists aggregator cascade; drop schema if exists leaky cascade');
  await client?.end();
  await database?.drop();
});

describe('scanDatabase on the real server', () => {
  it('finds numbers in text, json, bytea, arrays, bigint and materialised views, and not in the sealed column', async () => {
    await client.query(`
      create schema aggregator;
      create table aggregator.subjects (code text primary key, identity_ciphertext text, display_code text);
      create schema leaky;
      create table leaky.things (
        id serial primary key, note text, payload jsonb, raw bytea, codes varchar[], amount bigint, at timestamptz
      );
      create materialized view leaky.notes as select note from leaky.things;
    `);
    await client.query(`insert into aggregator.subjects values ('p_x', $1, $2), ('q', null, $3)`, [
      `clear by mistake ${PERSON}`,
      `**************${PERSON.slice(-4)}`,
      ALL_DIGIT_USCC,
    ]);
    const insert =
      'insert into leaky.things (note, payload, raw, codes, amount, at) values ($1, $2, $3, $4, $5, now())';
    await client.query(insert, [`关于${PERSON}的说明`, { n: 1 }, null, null, null]);
    await client.query(insert, [
      ALL_DIGIT_USCC,
      { key: `\u0001${PERSON}` },
      Buffer.from(`$${PERSON}0`),
      null,
      null,
    ]);
    await client.query(insert, [
      'nothing',
      { code: ALL_DIGIT_USCC },
      Buffer.from([0, 1, 2]),
      [ALL_DIGIT_USCC, PERSON],
      null,
    ]);
    // A number with a digit check character fits a bigint.
    const digits = makeResidentId({ division: '350102', birthDate: '1983-09-21', sequence: 2 });
    expect(digits).toMatch(/^\d{18}$/);
    await client.query(insert, ['nothing', null, null, null, digits]);
    await client.query('refresh materialized view leaky.notes');

    const scan = await scanDatabase(database.url);
    expect(scan.findings.sort((a, b) => a.column.localeCompare(b.column))).toEqual([
      { column: 'leaky.notes.note', rows: 1 },
      { column: 'leaky.things.amount', rows: 1 },
      { column: 'leaky.things.codes', rows: 1 },
      { column: 'leaky.things.note', rows: 1 },
      { column: 'leaky.things.payload', rows: 1 },
      { column: 'leaky.things.raw', rows: 1 },
    ]);
    expect(scan).toMatchObject({ tables: 3, schemas: 2 });
    expect(JSON.stringify(scan)).not.toContain(PERSON);
  });
});

describe('scanTopics on the real broker', () => {
  it('reads a topic to its end and finds a number in a key, a value and a header', async () => {
    const bus = testBus('privacy-scan-test');
    const [topic] = await createTestTopics(bus, [{ name: 'privacy-scan', partitions: 2 }]);
    // This topic holds numbers in clear on purpose: the run's own scan leaves it out.
    declareHostileInput(topic!, 'the scanner is tested on it');
    const producer = await bus.producer();
    try {
      await producer.send(topic!, [
        { key: PERSON, value: 'a', partition: 0 },
        { key: 'b', value: `about ${PERSON}`, partition: 1 },
        { key: 'c', value: ALL_DIGIT_USCC, headers: { subject: PERSON }, partition: 1 },
        { key: 'd', value: null, partition: 0 },
      ]);
    } finally {
      await producer.disconnect();
    }
    const scan = await scanTopics(bus, [topic!], { timeoutMs: 30_000 });
    expect(scan).toMatchObject({ topics: 1, messages: 4, unfinished: [], missing: [] });
    expect(scan.findings.map((f) => [f.where, f.messages]).sort()).toEqual([
      ['header subject', 1],
      ['key', 1],
      ['value', 1],
    ]);
  });
});
