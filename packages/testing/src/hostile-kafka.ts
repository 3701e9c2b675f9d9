import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import {
  type Consumer,
  DEAD_LETTER_HEADERS,
  type Delivery,
  type IncomingMessage,
  type MessageBus,
  type OutgoingMessage,
  type Producer,
} from '@credit/kit';
import fc from 'fast-check';
import { hostileJsonValue, malformedJson, mutated } from './hostile-http.ts';

/**
 * Hostile Kafka input for property-based tests of the services' consumers: what a careless or malicious producer
 * puts on a topic (random bytes, nothing, a valid message cut short or with bits flipped, JSON of another shape,
 * values as large as the topic takes, garbled headers), and what a test needs to judge the consumer afterwards:
 * every dead letter by the position it came from, and whether the consumer group committed to the end.
 *
 * Nothing here makes a resident identity number: a test that writes one in clear declares its topic
 * (declareHostileInput).
 */

/** One message a test produces, and what the consumer must make of it. */
export interface Hostile {
  /** What was done to the message, for the failure report. */
  label: string;
  message: OutgoingMessage;
  /**
   * The reason codes one of which the consumer must dead-letter it with; `maybe` when the change can leave the
   * message valid (a bit flipped in a JSON string), so that it may take effect or be refused with one of those codes
   * ('any': any code of the service's own).
   */
  refused: readonly string[] | { maybe: readonly string[] | 'any' };
}

/** A hostile message's outcome: where it landed and the dead letter the consumer wrote for it, if any. */
export interface Judged {
  hostile: Hostile;
  delivery: Delivery;
  deadLetter: DeadLetterSeen | undefined;
}

/** Random bytes, from one byte up to `maxLength`. */
export function randomBytes(maxLength = 2048): fc.Arbitrary<Buffer> {
  return fc.uint8Array({ minLength: 1, maxLength }).map((bytes) => Buffer.from(bytes));
}

/** Text that is not JSON at all (JSON.parse throws on it). */
export const notJsonText: fc.Arbitrary<string> = malformedJson.filter((text) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
});

/** Valid JSON that is not an object: a number, a string, an array, null. */
export const jsonNotObject: fc.Arbitrary<string> = fc
  .oneof(fc.jsonValue({ maxDepth: 3 }), hostileJsonValue)
  .filter((value) => value === null || typeof value !== 'object' || Array.isArray(value))
  .map((value) => JSON.stringify(value) ?? 'null');

/** A JSON object without the field `field` (so it cannot be the event that field names). */
export function jsonObjectWithout(field: string): fc.Arbitrary<string> {
  return fc
    .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 })
    .map((value) => {
      const copy: Record<string, unknown> = { ...value };
      delete copy[field];
      return JSON.stringify(copy);
    });
}

/**
 * `valid` (an event as its producer writes it) with one to three values replaced by hostile ones, removed, or an
 * unexpected key added: the inputs closest to a valid event.
 */
export function mutatedJson(valid: Record<string, unknown>): fc.Arbitrary<string> {
  return mutated(valid).map((value) => JSON.stringify(value) ?? 'null');
}

/**
 * How one hostile message is made from a valid JSON event: data only, so fast-check can show and shrink it, and the
 * test makes it from an event of its own (jsonHostile).
 */
export type JsonRecipe =
  | { op: 'null' }
  | { op: 'empty' }
  | { op: 'random-bytes'; bytes: Buffer }
  | { op: 'not-json'; text: string }
  | { op: 'not-object'; text: string }
  | { op: 'no-schema'; text: string }
  | { op: 'other-schema'; schema: string }
  | { op: 'truncated'; cut: number }
  | { op: 'bit-flips'; bits: number[] }
  | { op: 'mutated'; text: string }
  | { op: 'other-key'; key: string | null }
  | { op: 'huge'; size: 'large' | 'at-limit'; shape: 'text' | 'padded' }
  | { op: 'headers'; headers: Record<string, Buffer> };

/** Recipes for events like `sample`, whose `schema` field names `schema` (e.g. credit.list-change/1). */
export function jsonRecipes(sample: Record<string, unknown>, schema: string): fc.Arbitrary<JsonRecipe> {
  const family = schema.replace(/\/\d+$/, '');
  return fc.oneof(
    fc.constant({ op: 'null' as const }),
    fc.constant({ op: 'empty' as const }),
    fc.record({ op: fc.constant('random-bytes' as const), bytes: randomBytes(512) }),
    fc.record({ op: fc.constant('not-json' as const), text: notJsonText }),
    fc.record({ op: fc.constant('not-object' as const), text: jsonNotObject }),
    fc.record({ op: fc.constant('no-schema' as const), text: jsonObjectWithout('schema') }),
    fc.record({
      op: fc.constant('other-schema' as const),
      schema: fc.oneof(
        fc.constantFrom('credit.subject-change/1', 'credit.list-change/1', '', schema.toUpperCase(), family),
        fc.string({ maxLength: 30 }),
      ),
    }),
    fc.record({ op: fc.constant('truncated' as const), cut: fc.nat() }),
    fc.record({
      op: fc.constant('bit-flips' as const),
      bits: fc.uniqueArray(fc.nat({ max: 1 << 16 }), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({ op: fc.constant('mutated' as const), text: mutatedJson(sample) }),
    fc.record({
      op: fc.constant('other-key' as const),
      key: fc.oneof(fc.constant(null), fc.string({ minLength: 1, maxLength: 30 })),
    }),
    fc.record({
      op: fc.constant('huge' as const),
      size: fc.constantFrom('large' as const, 'at-limit' as const),
      shape: fc.constantFrom('text' as const, 'padded' as const),
    }),
    fc.record({ op: fc.constant('headers' as const), headers: garbledHeaders }),
  );
}

/** A recipe as the failure report shows it: buffers by their length. */
export function labelOf(recipe: object): string {
  return JSON.stringify(recipe, (_, v) => (v?.type === 'Buffer' ? `${v.data.length} bytes` : v)).slice(
    0,
    200,
  );
}

export interface JsonTarget {
  /** The valid event the message is made from (never sent itself), and its key. */
  valid: Record<string, unknown>;
  key: string;
  /** What the service's own reader makes of a message whose outcome the recipe does not fix. */
  read: (message: OutgoingMessage) => Hostile['refused'];
  /** The reader's codes for no value and for a value that is not JSON. */
  codes: { empty: string; notJson: string };
  /** The topic's max.message.bytes: 'at-limit' values are just under it. */
  maxMessageBytes: number;
}

/** The hostile message `recipe` makes of `target.valid`, and what must become of it. */
export function jsonHostile(recipe: JsonRecipe, target: JsonTarget): Hostile {
  const { valid, key, codes } = target;
  const text = JSON.stringify(valid);
  const message = (k: string | null, value: string | Buffer | null, headers?: Record<string, Buffer>) => ({
    key: k,
    value: typeof value === 'string' ? Buffer.from(value) : value,
    ...(headers ? { headers } : {}),
  });
  const of = (m: OutgoingMessage, refused: Hostile['refused']): Hostile => ({
    label: labelOf(recipe),
    message: m,
    refused,
  });
  const asRead = (m: OutgoingMessage) => of(m, target.read(m));
  switch (recipe.op) {
    case 'null':
      return of(message(key, null), [codes.empty]);
    case 'empty':
      return of(message(key, Buffer.alloc(0)), [codes.notJson]);
    case 'not-json':
      return of(message(key, recipe.text), [codes.notJson]);
    case 'truncated':
      return of(message(key, Buffer.from(text).subarray(0, recipe.cut % text.length)), [codes.notJson]);
    case 'random-bytes':
      return asRead(message(key, recipe.bytes));
    case 'not-object':
    case 'no-schema':
      return asRead(message(key, recipe.text));
    case 'other-schema':
      return asRead(message(key, JSON.stringify({ ...valid, schema: recipe.schema })));
    case 'bit-flips': {
      const flipped = Buffer.from(text);
      for (const bit of recipe.bits) flipped[(bit >> 3) % flipped.length]! ^= 1 << (bit & 7);
      return asRead(message(key, flipped));
    }
    case 'mutated':
      // Unkeyed, as a careless producer sends it: the key cannot contradict the event.
      return asRead(message(null, recipe.text));
    case 'other-key':
      return asRead(message(recipe.key, text));
    case 'huge': {
      // Under the limit by the key, the headers and the record's own bytes: what the broker still takes.
      const size = recipe.size === 'large' ? 300_000 : target.maxMessageBytes - 256;
      if (recipe.shape === 'text') return of(message(key, Buffer.alloc(size, 'x')), [codes.notJson]);
      return asRead(message(key, JSON.stringify({ ...valid, padding: 'x'.repeat(size - text.length - 20) })));
    }
    case 'headers':
      return asRead(message(key, text, recipe.headers));
  }
}

/** Header names a consumer may read, and others. */
const HEADER_NAMES = [
  'signature',
  'signature-key-id',
  'content-type',
  'schema',
  'event-id',
  DEAD_LETTER_HEADERS.sourceTopic,
  DEAD_LETTER_HEADERS.sourcePartition,
  DEAD_LETTER_HEADERS.sourceOffset,
  DEAD_LETTER_HEADERS.reasonCode,
  DEAD_LETTER_HEADERS.at,
  '',
  'x-\u0000',
  '信用',
  // Names an object already has: a decoder that looks a header up in a plain object finds a function.
  'valueOf',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
] as const;

/** A header value that is not what its name promises: empty, NUL bytes, invalid UTF-8, long, random. */
export const garbledHeaderValue: fc.Arbitrary<Buffer> = fc
  .oneof(
    fc.constant(Buffer.alloc(0)),
    fc.constant(Buffer.from([0])),
    fc.constant(Buffer.from('a\u0000b')),
    fc.constant(Buffer.from([0xff, 0xfe, 0xc3, 0x28])),
    fc.constant(Buffer.alloc(4096, '9')),
    fc.constantFrom('-1', '99999999999999999999999', 'NaN', '1e400', '2026-13-45T25:61:61Z', '\u202E'),
    randomBytes(64),
  )
  .map((value) => (typeof value === 'string' ? Buffer.from(value) : value));

/** Garbled headers, some of them named as the headers consumers read. */
export const garbledHeaders: fc.Arbitrary<Record<string, Buffer>> = fc.dictionary(
  fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ unit: 'binary', maxLength: 16 })),
  garbledHeaderValue,
  { minKeys: 1, maxKeys: 4 },
);

/**
 * Sends the messages in order, each huge one (over `batchBytes`) in a produce request of its own and the others
 * together, and returns where each landed, in order.
 */
export async function sendInOrder(
  producer: Producer,
  topic: string,
  messages: readonly OutgoingMessage[],
  batchBytes = 256 * 1024,
): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  let pending: OutgoingMessage[] = [];
  const flush = async () => {
    if (pending.length > 0) deliveries.push(...(await producer.send(topic, pending)));
    pending = [];
  };
  for (const message of messages) {
    if ((message.value?.length ?? 0) > batchBytes) {
      await flush();
      deliveries.push(...(await producer.send(topic, [message])));
    } else {
      pending.push(message);
    }
  }
  await flush();
  return deliveries;
}

/** A dead letter as the kit's deadLetter() writes it, read back. */
export interface DeadLetterSeen {
  sourceTopic: string;
  position: string;
  code: string;
  reason: string;
  service: string;
  message: IncomingMessage;
}

/** Every dead letter on a topic since the collector started, by source topic and position. */
export interface DeadLetterCollector {
  /** The dead letter of the message at `partition:offset` of `topic`, if one came. */
  of(topic: string, delivery: Pick<Delivery, 'partition' | 'offset'>): DeadLetterSeen | undefined;
  all(): DeadLetterSeen[];
  stop(): Promise<void>;
}

/** Reads `topic` from its beginning; with `service`, only the dead letters that service wrote (several share one). */
export async function collectDeadLetters(
  bus: MessageBus,
  topic: string,
  options: { service?: string } = {},
): Promise<DeadLetterCollector> {
  const seen = new Map<string, DeadLetterSeen>();
  const text = (message: IncomingMessage, name: string) => message.headers[name]?.toString('utf8') ?? '';
  const consumer: Consumer = await bus.consumer({
    groupId: `dead-letters-${cryptoRandomBytes(6).toString('hex')}`,
    topics: [topic],
    fromBeginning: true,
    maxWaitTimeMs: 200,
  });
  await consumer.run(async (batch) => {
    for (const message of batch.messages) {
      const service = text(message, DEAD_LETTER_HEADERS.service);
      if (options.service !== undefined && service !== options.service) continue;
      const sourceTopic = text(message, DEAD_LETTER_HEADERS.sourceTopic);
      const position = `${text(message, DEAD_LETTER_HEADERS.sourcePartition)}:${text(message, DEAD_LETTER_HEADERS.sourceOffset)}`;
      seen.set(`${sourceTopic}@${position}`, {
        sourceTopic,
        position,
        code: text(message, DEAD_LETTER_HEADERS.reasonCode),
        reason: text(message, DEAD_LETTER_HEADERS.reason),
        service,
        message,
      });
    }
  });
  return {
    of: (sourceTopic, delivery) => seen.get(`${sourceTopic}@${delivery.partition}:${delivery.offset}`),
    all: () => [...seen.values()],
    stop: () => consumer.disconnect(),
  };
}

/** Polls `read` until `accept` takes its value; throws after `timeoutMs` with `describe` of the last value. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; what: string; describe?: (value: T) => string },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      const last = options.describe ? options.describe(value) : JSON.stringify(value)?.slice(0, 2000);
      throw new Error(`timed out waiting for ${options.what}; last: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * Resolves once `groupId` has committed every partition of `topic` up to its end: nothing is stuck behind a message
 * the consumer could not get past.
 */
export async function committedToEnd(
  bus: MessageBus,
  groupId: string,
  topic: string,
  timeoutMs = 30_000,
): Promise<void> {
  const admin = await bus.admin();
  try {
    await eventually(
      async () => {
        const ends = await admin.topicOffsets(topic);
        const committed = await admin.groupOffsets(groupId, [topic]);
        return ends.map((end) => ({
          partition: end.partition,
          end: BigInt(end.high),
          committed: BigInt(committed.find((c) => c.partition === end.partition)?.offset ?? '-1'),
        }));
      },
      (partitions) => partitions.every((p) => p.end === 0n || p.committed === p.end),
      {
        timeoutMs,
        what: `group ${groupId} to commit ${topic} to its end`,
        describe: (partitions) =>
          partitions.map((p) => `partition ${p.partition}: committed ${p.committed} of ${p.end}`).join('; '),
      },
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Pairs each hostile message with its delivery and dead letter, and returns the broken promises: a message that
 * must be refused and was not (or with another code), or a dead letter without a specific code and reason.
 */
export function judge(
  hostile: readonly Hostile[],
  deliveries: readonly Delivery[],
  deadLetters: DeadLetterCollector,
  topic: string,
  isOwnCode: (code: string) => boolean,
): { judged: Judged[]; problems: string[] } {
  const problems: string[] = [];
  const judged = hostile.map((h, i) => {
    const delivery = deliveries[i]!;
    const deadLetter = deadLetters.of(topic, delivery);
    const at = `${h.label} at ${delivery.partition}:${delivery.offset}`;
    const codes = 'maybe' in h.refused ? h.refused.maybe : h.refused;
    if (deadLetter) {
      if (!isOwnCode(deadLetter.code))
        problems.push(`${at}: dead-lettered with code ${deadLetter.code}, not one of the service's own`);
      if (deadLetter.reason.trim() === '') problems.push(`${at}: dead-lettered without a reason`);
      if (codes !== 'any' && !codes.includes(deadLetter.code))
        problems.push(`${at}: dead-lettered as ${deadLetter.code}, expected one of ${codes.join(', ')}`);
    } else if (!('maybe' in h.refused)) {
      problems.push(`${at}: not dead-lettered, expected one of ${h.refused.join(', ')}`);
    }
    return { hostile: h, delivery, deadLetter };
  });
  return { judged, problems };
}

/**
 * `bus`, noting in `groups` which consumer groups read each topic, for a harness that makes its service's group name
 * and does not say it: committedToEnd needs it.
 */
export function noteConsumerGroups(bus: MessageBus, groups: Map<string, string[]>): MessageBus {
  return {
    ...bus,
    consumer: (options) => {
      for (const topic of options.topics)
        if (typeof topic === 'string') groups.set(topic, [...(groups.get(topic) ?? []), options.groupId]);
      return bus.consumer(options);
    },
  };
}

/** The one group noted as reading `topic` whose name starts with `prefix`. */
export function groupReading(groups: Map<string, string[]>, topic: string, prefix: string): string {
  // A consumer made again (a prefix subscription following a new topic) is noted again: the same group.
  const found = [...new Set(groups.get(topic) ?? [])].filter((group) => group.startsWith(prefix));
  if (found.length !== 1)
    throw new Error(`groups reading ${topic} named ${prefix}*: ${found.join(', ') || 'none'}`);
  return found[0]!;
}

/**
 * `actual` (the @credit/testing module) with a testBus that notes in `groups` which consumer groups read each topic,
 * for a harness that makes its own buses:
 * `vi.mock('@credit/testing', async (original) => withGroupsNoted(await original(), groups))`.
 */
export function withGroupsNoted<T extends { testBus: (clientId?: string) => MessageBus }>(
  actual: T,
  groups: Map<string, string[]>,
): T {
  return { ...actual, testBus: (clientId?: string) => noteConsumerGroups(actual.testBus(clientId), groups) };
}

/** One step of a round: a hostile message made from `recipe`, or a valid one, on a partition. */
export type PlanStep<R> = { step: { kind: 'hostile'; recipe: R } | { kind: 'valid' }; partition: number };

/** Rounds of mostly hostile messages (four to one) with valid ones between, over `partitions` partitions. */
export function hostilePlan<R>(
  recipe: fc.Arbitrary<R>,
  partitions: number,
  maxLength = 20,
): fc.Arbitrary<PlanStep<R>[]> {
  return fc.array(
    fc.record({
      step: fc.oneof(
        { weight: 4, arbitrary: recipe.map((r) => ({ kind: 'hostile' as const, recipe: r })) },
        { weight: 1, arbitrary: fc.constant({ kind: 'valid' as const }) },
      ),
      partition: fc.nat({ max: partitions - 1 }),
    }),
    { minLength: 6, maxLength },
  );
}

/** A message of a round, and the hostile message it is, if it is one. */
export interface Sent {
  hostile?: Hostile;
  message: OutgoingMessage;
}

/**
 * The messages of `steps` in order, each on its step's partition, and last on every partition a valid one, which
 * takes effect only if nothing before it stuck.
 */
export function laidOut<R>(
  steps: readonly PlanStep<R>[],
  partitions: number,
  make: { hostile: (recipe: R) => Hostile; valid: (partition: number) => OutgoingMessage },
): Sent[] {
  const sent: Sent[] = [];
  const valid = (partition: number) => sent.push({ message: { ...make.valid(partition), partition } });
  for (const { step, partition } of steps) {
    if (step.kind === 'valid') valid(partition);
    else {
      const hostile = make.hostile(step.recipe);
      hostile.message = { ...hostile.message, partition };
      sent.push({ hostile, message: hostile.message });
    }
  }
  for (let partition = 0; partition < partitions; partition += 1) valid(partition);
  return sent;
}

/**
 * judge() of the hostile messages among `sent`, delivered as `deliveries`, polled until it finds no problem or
 * `timeoutMs` passed: the dead letters are durable before the offsets are committed, but the collector may still be
 * reading them. Returns the problems left.
 */
export async function judgeRound(
  sent: readonly Sent[],
  deliveries: readonly Delivery[],
  deadLetters: DeadLetterCollector,
  topic: string,
  isOwnCode: (code: string) => boolean,
  timeoutMs = 15_000,
): Promise<string[]> {
  const hostile = sent.flatMap((s, i) => (s.hostile ? [{ h: s.hostile, d: deliveries[i]! }] : []));
  const verdict = () =>
    judge(
      hostile.map((x) => x.h),
      hostile.map((x) => x.d),
      deadLetters,
      topic,
      isOwnCode,
    ).problems;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problems = verdict();
    if (problems.length === 0 || Date.now() > deadline) return problems;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
