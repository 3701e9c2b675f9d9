import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Department } from '@credit/catalogue';
import { makeResidentId } from '@credit/identifiers';
import { departmentTopics } from '@credit/infra';
import { createSealer, type Sealer, TRUST_CODES } from '@credit/ingest-trust';
import { contracts, encodeRecord, INTAKE_CODES, ingestMessage, type KindValue } from '@credit/intake';
import type { Delivery, OutgoingMessage } from '@credit/kit';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import { declareHostileInput, TEST_PLATFORM_KEYS, testSigner } from '@credit/testing';
import { fuzzRuns, hostileString } from '@credit/testing/hostile-http';
import {
  collectDeadLetters,
  committedToEnd,
  type DeadLetterCollector,
  eventually,
  garbledHeaders,
  garbledHeaderValue,
  type Hostile,
  judge,
  randomBytes,
  sendInOrder,
} from '@credit/testing/hostile-kafka';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSAL_CODES } from '../src/errors.ts';
import { type AggregatorHarness, naturalPersonRecord, startAggregatorHarness } from './aggregator-harness.ts';

/**
 * Whatever a department's topic carries, the aggregator goes on: each message it cannot take is dead-lettered and
 * kept in ingest_errors with a specific code, every valid one is stored, and the group commits to the end.
 */

const PARTITIONS = 3;
const codec = contracts().codec;
let h: AggregatorHarness;
let penalties: Department;
let court: Department;
let dead: DeadLetterCollector;
/** The ingest topic's own limit (infra/topics.json): the broker refuses anything larger from the producer. */
let maxMessageBytes: number;
let run = 0;

beforeAll(async () => {
  h = await startAggregatorHarness({ start: false });
  penalties = sampleDepartment(h.catalogue, 'administrative-penalty');
  court = sampleDepartment(h.catalogue, 'dishonest-judgment-debtor');
  const ingest = departmentTopics('x')[0]!;
  maxMessageBytes = Number(ingest.configs?.['max.message.bytes'] ?? 1_048_576);
  const admin = await h.bus.admin();
  try {
    await admin.ensureTopics(
      [penalties, court].map((d) => ({
        name: `${h.prefix}${d.code}`,
        partitions: PARTITIONS,
        configs: ingest.configs,
      })),
    );
  } finally {
    await admin.disconnect();
  }
  declareHostileInput(topicOf(court), 'a record of a person with the identity number in clear');
  dead = await collectDeadLetters(h.bus, h.deadLetterTopic);
  await h.aggregator.start();
}, 60_000);
afterAll(async () => {
  await dead?.stop();
  await h?.close();
});

const topicOf = (department: Department) => `${h.prefix}${department.code}`;

/**
 * A record no other message carries: a company's penalty (penalties' topic), a person's judgment (the court's, its
 * number sealed), or a company's judgment without a legal representative (the court's, nothing sealed).
 */
type Flavour = 'company' | 'person' | 'court-company';

function freshRecord(flavour: Flavour): { department: Department; record: KindValue; id: string } {
  run += 1;
  const id = `hostile-${Date.now().toString(36)}-${run}`;
  if (flavour === 'person') {
    const number = makeResidentId({ division: '350102', birthDate: '1981-03-09', sequence: run % 1000 });
    const record = naturalPersonRecord(h.catalogue, {
      kind: 'dishonest-judgment-debtor',
      department: court,
      person: { number, name: '王五' },
      id,
      daysAgo: 3,
    });
    return { department: court, record: record as KindValue, id };
  }
  const subject = demoSubjects(9000 + run)[8999 + run]!;
  if (flavour === 'court-company') {
    const value = demoRecord('dishonest-judgment-debtor', court, h.catalogue, subject, id, 3);
    value.envelope.subject.legalRepresentative = null;
    return { department: court, record: { kind: 'dishonest-judgment-debtor', value } as KindValue, id };
  }
  const value = demoRecord('administrative-penalty', penalties, h.catalogue, subject, id, 5);
  return { department: penalties, record: { kind: 'administrative-penalty', value } as KindValue, id };
}

interface Sent {
  department: Department;
  message: OutgoingMessage;
}

function signed(department: Department, key: string | Buffer | null, value: Buffer): OutgoingMessage {
  const keyBytes = key === null ? null : Buffer.from(key);
  return { key, value, headers: testSigner(department.code).headers(keyBytes, value) };
}

function valid(flavour: Flavour, sealer: Sealer): { id: string; sent: Sent } {
  const { department, record, id } = freshRecord(flavour);
  const message = ingestMessage(encodeRecord(record, { sealer }), department, testSigner(department.code));
  return { id, sent: { department, message } };
}

/** The value of a decoded record with `change` applied, encoded again and signed by its department. */
function reencoded(template: OutgoingMessage, department: Department, change: (value: never) => void) {
  const decoded = codec.decode(template.value as Buffer);
  change(decoded.value as never);
  const bytes = codec.encode(decoded.kind, decoded.value);
  return signed(department, template.key as string, bytes);
}

/** Avro's zig-zag varint of a long. */
function zigzag(n: bigint): Buffer {
  let z = (n << 1n) ^ (n >> 63n);
  const out: number[] = [];
  while (z > 0x7fn) {
    out.push(Number((z & 0x7fn) | 0x80n));
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}

const SCHEMA = ['SCHEMA_NOT_SINGLE_OBJECT', 'SCHEMA_UNKNOWN_FINGERPRINT', 'SCHEMA_UNDECODABLE'];

/** How one hostile message is made from a fresh valid one; data only, so fast-check can show and shrink it. */
type Recipe =
  | { op: 'random-bytes'; bytes: Buffer; signed: boolean }
  | { op: 'empty'; signed: boolean }
  | { op: 'null' }
  | { op: 'truncated'; cut: number; resign: boolean }
  | { op: 'bit-flips'; bits: number[]; resign: boolean }
  | { op: 'foreign-fingerprint'; fingerprint: Buffer }
  | { op: 'json'; text: string }
  | { op: 'huge'; size: 'large' | 'at-limit'; fill: 'text' | 'random' | 'after-record' }
  | { op: 'headers'; variant: 'missing' | 'garbled-key-id' | 'garbled-signature' | 'other-department' }
  | { op: 'garbled-key-id'; value: Buffer }
  | { op: 'extra-headers'; headers: Record<string, Buffer> }
  | { op: 'sealed-key-id'; keyId: string }
  | { op: 'sealed-data-key'; bits: number[] }
  | { op: 'reported-at'; millis: bigint }
  | { op: 'text-field'; field: 'sourceRecordId' | 'name' | 'changeReason'; text: string }
  | { op: 'in-clear' };

const person = (recipe: Recipe) =>
  ['sealed-key-id', 'sealed-data-key', 'in-clear'].includes(recipe.op) ||
  (recipe.op === 'bit-flips' && recipe.resign);

function make(recipe: Recipe, sealer: Sealer): { hostile: Hostile; department: Department } {
  const { sent } = valid(person(recipe) ? 'person' : 'company', sealer);
  const { department } = sent;
  const template = sent.message;
  const value = template.value as Buffer;
  const key = template.key as string;
  const label = JSON.stringify(recipe, (_, v) =>
    typeof v === 'bigint' ? String(v) : v?.type === 'Buffer' ? `${v.data.length} bytes` : v,
  ).slice(0, 200);
  const done = (message: OutgoingMessage, refused: Hostile['refused']) => ({
    hostile: { label, message, refused },
    department,
  });
  switch (recipe.op) {
    case 'random-bytes':
      return recipe.signed
        ? done(signed(department, key, recipe.bytes), SCHEMA)
        : done({ key, value: recipe.bytes }, [TRUST_CODES.unsigned]);
    case 'empty':
      return done(
        recipe.signed ? signed(department, key, Buffer.alloc(0)) : { key, value: Buffer.alloc(0) },
        [REFUSAL_CODES.noValue],
      );
    case 'null':
      return done({ key, value: null }, [REFUSAL_CODES.noValue]);
    case 'truncated': {
      const cut = value.subarray(0, recipe.cut % value.length);
      const message = recipe.resign ? signed(department, key, cut) : { ...template, value: cut };
      if (cut.length === 0) return done(message, [REFUSAL_CODES.noValue]);
      return done(message, recipe.resign ? SCHEMA : [TRUST_CODES.invalid]);
    }
    case 'bit-flips': {
      const flipped = Buffer.from(value);
      for (const bit of recipe.bits) flipped[(bit >> 3) % value.length]! ^= 1 << (bit & 7);
      return recipe.resign
        ? done(signed(department, key, flipped), { maybe: 'any' })
        : done({ ...template, value: flipped }, [TRUST_CODES.invalid]);
    }
    case 'foreign-fingerprint': {
      const bytes = Buffer.concat([value.subarray(0, 2), recipe.fingerprint, value.subarray(10)]);
      return done(signed(department, key, bytes), ['SCHEMA_UNKNOWN_FINGERPRINT']);
    }
    case 'json':
      return done(signed(department, key, Buffer.from(recipe.text)), ['SCHEMA_NOT_SINGLE_OBJECT']);
    case 'huge': {
      // Under the topic's limit with the key and headers: what the broker still takes from a producer.
      const size = recipe.size === 'large' ? 200_000 : maxMessageBytes - 512;
      const filler = recipe.fill === 'text' ? Buffer.alloc(size, 'x') : cryptoRandomBytes(size);
      const bytes =
        recipe.fill === 'after-record' ? Buffer.concat([value, filler.subarray(value.length)]) : filler;
      return done(
        signed(department, key, bytes),
        recipe.fill === 'after-record' ? ['SCHEMA_UNDECODABLE'] : SCHEMA,
      );
    }
    case 'headers': {
      const headers = { ...(template.headers as Record<string, string>) };
      if (recipe.variant === 'missing') {
        delete headers.signature;
        delete headers['signature-key-id'];
        return done({ ...template, headers }, [TRUST_CODES.unsigned]);
      }
      if (recipe.variant === 'garbled-key-id') {
        headers['signature-key-id'] = 'ffffffffffffffffffffffffffffffff';
        return done({ ...template, headers }, [TRUST_CODES.unknownKey]);
      }
      if (recipe.variant === 'garbled-signature') {
        headers.signature = Buffer.from('not a signature').toString('base64url');
        return done({ ...template, headers }, [TRUST_CODES.invalid]);
      }
      const other = department.code === penalties.code ? court : penalties;
      return done({ ...template, headers: { ...headers, ...testSigner(other.code).headers(key, value) } }, [
        TRUST_CODES.wrongDepartment,
      ]);
    }
    case 'garbled-key-id':
      return done(
        { ...template, headers: { ...(template.headers as object), 'signature-key-id': recipe.value } },
        [TRUST_CODES.unknownKey],
      );
    case 'extra-headers': {
      const extra = Object.fromEntries(
        Object.entries(recipe.headers).filter(
          ([name]) => name !== 'signature' && name !== 'signature-key-id',
        ),
      );
      return done({ ...template, headers: { ...extra, ...(template.headers as object) } }, { maybe: 'any' });
    }
    case 'sealed-key-id':
      return done(
        reencoded(template, department, (v: { envelope: { sealed: { keyId: string } } }) => {
          v.envelope.sealed.keyId = recipe.keyId;
        }),
        [TRUST_CODES.unknownSealingKey],
      );
    case 'sealed-data-key':
      return done(
        reencoded(template, department, (v: { envelope: { sealed: { encapsulatedKey: Buffer } } }) => {
          const enc = Buffer.from(v.envelope.sealed.encapsulatedKey);
          for (const bit of recipe.bits) enc[(bit >> 3) % enc.length]! ^= 1 << (bit & 7);
          v.envelope.sealed.encapsulatedKey = enc;
        }),
        [TRUST_CODES.unreadable],
      );
    case 'reported-at': {
      // The encoder refuses a Date out of range, so the long is written into the bytes directly.
      const now = reencoded(template, department, (v: { envelope: { reportedAt: Date } }) => {
        v.envelope.reportedAt = new Date(1_234_567_890_123);
      }).value as Buffer;
      const needle = zigzag(1_234_567_890_123n);
      const at = now.indexOf(needle);
      const bytes = Buffer.concat([
        now.subarray(0, at),
        zigzag(recipe.millis),
        now.subarray(at + needle.length),
      ]);
      return done(signed(department, key, bytes), { maybe: 'any' });
    }
    case 'text-field':
      return done(
        reencoded(template, department, (v: { envelope: Record<string, unknown> & { subject: object } }) => {
          if (recipe.field === 'name') Object.assign(v.envelope.subject, { name: recipe.text });
          else v.envelope[recipe.field] = recipe.text;
        }),
        { maybe: 'any' },
      );
    case 'in-clear': {
      const { record } = freshRecord('person');
      return done(signed(department, key, codec.encode(record.kind, record.value)), [TRUST_CODES.notSealed]);
    }
  }
}

const bits = fc.uniqueArray(fc.nat({ max: 1 << 20 }), { minLength: 1, maxLength: 8 });
const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.record({ op: fc.constant('random-bytes'), bytes: randomBytes(1024), signed: fc.boolean() }),
  fc.record({ op: fc.constant('empty'), signed: fc.boolean() }),
  fc.constant({ op: 'null' as const }),
  fc.record({ op: fc.constant('truncated'), cut: fc.nat(), resign: fc.boolean() }),
  fc.record({ op: fc.constant('bit-flips'), bits, resign: fc.boolean() }),
  fc.record({
    op: fc.constant('foreign-fingerprint'),
    fingerprint: fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => Buffer.from(b)),
  }),
  fc.record({ op: fc.constant('json'), text: fc.json({ maxDepth: 3 }) }),
  fc.record({
    op: fc.constant('huge'),
    size: fc.constantFrom('large', 'at-limit'),
    fill: fc.constantFrom('text', 'random', 'after-record'),
  }),
  fc.record({
    op: fc.constant('headers'),
    variant: fc.constantFrom('missing', 'garbled-key-id', 'garbled-signature', 'other-department'),
  }),
  fc.record({ op: fc.constant('garbled-key-id'), value: garbledHeaderValue }),
  fc.record({ op: fc.constant('extra-headers'), headers: garbledHeaders }),
  fc.record({ op: fc.constant('sealed-key-id'), keyId: fc.string({ maxLength: 40 }) }),
  fc.record({ op: fc.constant('sealed-data-key'), bits }),
  fc.record({
    op: fc.constant('reported-at'),
    millis: fc.constantFrom(
      9_000_000_000_000_000n,
      -9_000_000_000_000_000n,
      -62_198_755_200_001n,
      8_000_000_000_000_000n,
    ),
  }),
  fc.record({
    op: fc.constant('text-field'),
    field: fc.constantFrom('sourceRecordId', 'name', 'changeReason'),
    text: hostileString,
  }),
  fc.constant({ op: 'in-clear' as const }),
);

type Step = { kind: 'hostile'; recipe: Recipe } | { kind: 'valid'; flavour: Flavour };
const step: fc.Arbitrary<{ step: Step; partition: number }> = fc.record({
  step: fc.oneof(
    { weight: 4, arbitrary: recipe.map((r): Step => ({ kind: 'hostile', recipe: r })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Flavour>('company', 'person', 'court-company')
        .map((flavour): Step => ({ kind: 'valid', flavour })),
    },
  ),
  partition: fc.nat({ max: PARTITIONS - 1 }),
});

/** Produces the plan, then a valid marker on every partition of both topics, and checks what became of each. */
async function round(plan: { step: Step; partition: number }[]): Promise<void> {
  // A data key of its own, as after a rotation: the first sealed message of the round is the first to use it.
  const sealer = await createSealer(TEST_PLATFORM_KEYS.publicKey);
  try {
    const byTopic = new Map<string, { hostile?: Hostile; validId?: string; message: OutgoingMessage }[]>();
    const add = (
      department: Department,
      entry: { hostile?: Hostile; validId?: string; message: OutgoingMessage },
    ) => byTopic.set(topicOf(department), [...(byTopic.get(topicOf(department)) ?? []), entry]);
    for (const { step: s, partition } of plan) {
      if (s.kind === 'valid') {
        const { id, sent } = valid(s.flavour, sealer);
        add(sent.department, { validId: id, message: { ...sent.message, partition } });
      } else {
        const { hostile, department } = make(s.recipe, sealer);
        hostile.message = { ...hostile.message, partition };
        add(department, { hostile, message: hostile.message });
      }
    }
    for (const department of [penalties, court]) {
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        // Nothing sealed in a marker: a batch's sealed blocks are the plan's own.
        const { id, sent } = valid(department.code === court.code ? 'court-company' : 'company', sealer);
        add(department, { validId: id, message: { ...sent.message, partition } });
      }
    }

    const outcomes: { topic: string; hostile: Hostile[]; deliveries: Delivery[] }[] = [];
    const validIds: string[] = [];
    for (const [topic, entries] of byTopic) {
      const deliveries = await sendInOrder(
        h.producer,
        topic,
        entries.map((e) => e.message),
      );
      outcomes.push({
        topic,
        hostile: entries.flatMap((e) => (e.hostile ? [e.hostile] : [])),
        deliveries: deliveries.filter((_, i) => entries[i]!.hostile !== undefined),
      });
      validIds.push(...entries.flatMap((e) => (e.validId ? [e.validId] : [])));
    }

    // Every valid record (the markers last on each partition) is stored: no partition is stuck.
    await h.waitFor<{ source_record_id: string }>(
      `select source_record_id from records where source_record_id = any('{${validIds.join(',')}}')`,
      (rows) => rows.length === validIds.length,
      45_000,
    );
    for (const topic of byTopic.keys()) await committedToEnd(h.bus, h.groupId, topic, 30_000);

    const problems: string[] = [];
    for (const { topic, hostile, deliveries } of outcomes) {
      const stored = await positions(topic);
      // Dead-lettered before the error row commits; the collector may still be reading.
      await eventually(
        () => [...stored.errors.keys()].filter((at) => !dead.of(topic, parse(at))),
        (missing) => missing.length === 0,
        { what: `dead letters of ${topic}`, timeoutMs: 20_000 },
      );
      const verdict = judge(hostile, deliveries, dead, topic, isAggregatorCode);
      problems.push(...verdict.problems);
      for (const { hostile: one, delivery, deadLetter } of verdict.judged) {
        const at = `${delivery.partition}:${delivery.offset}`;
        const error = stored.errors.get(at);
        if (deadLetter && error !== deadLetter.code)
          problems.push(
            `${one.label} at ${at}: dead letter ${deadLetter.code}, error row ${error ?? 'none'}`,
          );
        if (!deadLetter && !stored.records.has(at))
          problems.push(`${one.label} at ${at}: neither stored nor dead-lettered`);
      }
    }
    expect(problems).toEqual([]);
  } finally {
    sealer.close();
  }
}

const parse = (at: string) => {
  const [partition, offset] = at.split(':');
  return { partition: Number(partition), offset: offset! };
};

async function positions(topic: string) {
  const errors = await h.pool.query<{ at: string; reason_code: string }>(
    `select source_partition || ':' || source_offset as at, reason_code from ingest_errors where source_topic = $1`,
    [topic],
  );
  const records = await h.pool.query<{ at: string }>(
    `select source_partition || ':' || source_offset as at from records where source_topic = $1`,
    [topic],
  );
  return {
    errors: new Map(errors.rows.map((row) => [row.at, row.reason_code])),
    records: new Set(records.rows.map((row) => row.at)),
  };
}

const OWN_CODES = new Set<string>([
  ...Object.values(TRUST_CODES),
  ...Object.values(REFUSAL_CODES),
  ...Object.values(INTAKE_CODES),
  ...SCHEMA,
]);
const isAggregatorCode = (code: string) => OWN_CODES.has(code) || /^CATALOGUE_[A-Z_]+$/.test(code);

describe('the aggregator under hostile ingest messages', () => {
  it('dead-letters every message it cannot take with its code, stores every valid one and commits to the end', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 24 }), round), {
      numRuns: fuzzRuns(6),
      endOnFailure: true,
      examples: [
        [
          [
            // A sealed record, then one naming another platform key with the same data key, in one batch.
            { step: { kind: 'valid', flavour: 'person' }, partition: 0 },
            { step: { kind: 'hostile', recipe: { op: 'sealed-key-id', keyId: 'not-ours' } }, partition: 0 },
            // A signing key id the registry is asked about: text PostgreSQL cannot hold.
            {
              step: { kind: 'hostile', recipe: { op: 'garbled-key-id', value: Buffer.from('a\u0000b') } },
              partition: 1,
            },
            // A timestamp no Date can hold.
            {
              step: { kind: 'hostile', recipe: { op: 'reported-at', millis: 9_000_000_000_000_000n } },
              partition: 2,
            },
            {
              step: { kind: 'hostile', recipe: { op: 'huge', size: 'at-limit', fill: 'random' } },
              partition: 2,
            },
            { step: { kind: 'hostile', recipe: { op: 'in-clear' } }, partition: 1 },
          ],
        ],
      ],
    });
  }, 240_000);
});
