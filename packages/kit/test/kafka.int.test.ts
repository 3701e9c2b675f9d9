import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKafkajsBus } from '../src/kafka/kafkajs.ts';
import { kafkaSecurityFrom } from '../src/kafka/security.ts';
import type { Consumer, IncomingMessage, MessageBus, TopicSpec } from '../src/kafka/types.ts';
import { createLogger } from '../src/logger.ts';

// Built from the kit itself rather than @credit/testing, which depends on the kit.
const bus: MessageBus = createKafkajsBus({
  brokers: inject('kafkaBrokers').split(','),
  clientId: 'kit-kafka-test',
  security: kafkaSecurityFrom(inject('kafkaEnv')),
  logger: createLogger({ service: 'test', level: 'silent' }),
});
const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

async function createTopics(specs: TopicSpec[]): Promise<string[]> {
  const named = specs.map((spec) => ({ ...spec, name: uniqueName(spec.name) }));
  const admin = await bus.admin();
  try {
    await admin.ensureTopics(named);
  } finally {
    await admin.disconnect();
  }
  return named.map((spec) => spec.name);
}
const consumers: Consumer[] = [];
afterAll(async () => {
  await Promise.all(consumers.map((consumer) => consumer.disconnect()));
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('kafkajs bus against the real broker', () => {
  it('creates topics explicitly, reports existing ones and partition mismatches without changing them', async () => {
    const admin = await bus.admin();
    try {
      const name = uniqueName('kit-topics');
      const first = await admin.ensureTopics([{ name, partitions: 3, configs: { 'retention.ms': '-1' } }]);
      expect(first).toEqual({ created: [name], existing: [], mismatched: [] });
      const again = await admin.ensureTopics([{ name, partitions: 6 }]);
      expect(again).toEqual({
        created: [],
        existing: [name],
        mismatched: [{ name, expected: 6, actual: 3 }],
      });
      expect((await admin.topicOffsets(name)).length).toBe(3);
      expect((await admin.ping()).brokers).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers keyed messages in order per key and commits only after the handler resolved', async () => {
    const [topic] = await createTopics([{ name: 'kit-order', partitions: 3 }]);
    const producer = await bus.producer();
    const keys = ['91350100M000100Y43', '91110000100000000N', 'p_abc'];
    const sent = Array.from({ length: 90 }, (_, i) => ({
      key: keys[i % 3]!,
      value: Buffer.from(`${keys[i % 3]}:${i}`),
      headers: { 'record-id': `r-${i}` },
    }));
    const deliveries = await producer.send(topic!, sent);
    await producer.disconnect();
    expect(deliveries).toHaveLength(90);

    const groupId = uniqueName('kit-group');
    const received: IncomingMessage[] = [];
    const consumer = await bus.consumer({ groupId, topics: [topic!], fromBeginning: true });
    consumers.push(consumer);
    void consumer.run(async (batch) => {
      received.push(...batch.messages);
    });
    await until(() => received.length >= 90);

    for (const key of keys) {
      const sequence = received
        .filter((m) => m.key?.toString() === key)
        .map((m) => Number(m.value!.toString().split(':')[1]));
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(sequence.length).toBe(30);
    }
    expect(received[0]!.headers['record-id']).toBeInstanceOf(Buffer);
    // Each message's reported position is exactly where the consumer found it.
    for (const message of received) {
      const index = Number(message.headers['record-id']!.toString().slice(2));
      expect(deliveries[index]).toEqual({ topic, partition: message.partition, offset: message.offset });
    }

    const admin = await bus.admin();
    try {
      await until(async () => {
        const committed = await admin.groupOffsets(groupId, [topic!]);
        const ends = await admin.topicOffsets(topic!);
        // A partition no key hashed to has nothing to commit: its end offset is 0 and its committed offset -1.
        return ends.every((end) => {
          const offset = committed.find((c) => c.partition === end.partition)?.offset;
          return end.high === '0' ? offset === '-1' : offset === end.high;
        });
      });
    } finally {
      await admin.disconnect();
    }
  });

  it("hands over headers named as Object.prototype's members, and the first of a repeated one", async () => {
    const [topic] = await createTopics([{ name: 'kit-headers', partitions: 1 }]);
    const producer = await bus.producer();
    await producer.send(topic!, [
      {
        key: 'h',
        value: 'v',
        // Own properties, __proto__ too; kafkajs sends an array as the header repeated.
        headers: Object.fromEntries([
          ['valueOf', 'a'],
          ['constructor', 'b'],
          ['__proto__', 'c'],
          ['repeated', ['d', 'e'] as unknown as string],
        ]),
      },
    ]);
    await producer.disconnect();
    const received: IncomingMessage[] = [];
    const consumer = await bus.consumer({
      groupId: uniqueName('kit-headers'),
      topics: [topic!],
      fromBeginning: true,
    });
    consumers.push(consumer);
    void consumer.run(async (batch) => {
      received.push(...batch.messages);
    });
    await until(() => received.length >= 1);
    const text = Object.fromEntries(Object.entries(received[0]!.headers).map(([k, v]) => [k, v?.toString()]));
    expect(Object.entries(text)).toEqual([
      ['valueOf', 'a'],
      ['constructor', 'b'],
      ['__proto__', 'c'],
      ['repeated', 'd'],
    ]);
  });

  it('redelivers a batch whose handler failed, and does not commit it before it succeeds', async () => {
    const [topic] = await createTopics([{ name: 'kit-retry', partitions: 1 }]);
    const producer = await bus.producer();
    await producer.send(topic!, [
      { key: 'k', value: 'one' },
      { key: 'k', value: 'two' },
    ]);
    await producer.disconnect();

    const groupId = uniqueName('kit-retry-group');
    const admin = await bus.admin();
    let attempts = 0;
    let committedDuringFailure: string | undefined;
    const seen: string[] = [];
    const consumer = await bus.consumer({ groupId, topics: [topic!], fromBeginning: true });
    consumers.push(consumer);
    void consumer.run(async (batch) => {
      attempts += 1;
      if (attempts === 1) {
        committedDuringFailure = (await admin.groupOffsets(groupId, [topic!]))[0]?.offset;
        throw new Error('database unavailable');
      }
      seen.push(...batch.messages.map((m) => m.value!.toString()));
    });
    try {
      await until(() => seen.length >= 2);
      expect(committedDuringFailure).toBe('-1');
      expect(seen.slice(0, 2)).toEqual(['one', 'two']);
      expect(attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.disconnect();
    }
  });
});
