import { randomBytes } from 'node:crypto';
import type { IncomingMessage, MessageBus } from '@credit/kit';

/**
 * Reads a topic from its beginning with a throw-away consumer group until at least `count` messages arrived and
 * then on to the end of every partition as it stands at that moment, so a caller expecting exactly `count` also sees
 * any extra message already written. Throws after the timeout, saying how many it got. Callers wait for the
 * condition that ends the producing first (an outbox drained, a group committed to the end).
 */
export async function readTopic(
  bus: MessageBus,
  topic: string,
  count: number,
  timeoutMs = 15_000,
): Promise<IncomingMessage[]> {
  const consumer = await bus.consumer({
    groupId: `reader-${randomBytes(6).toString('hex')}`,
    topics: [topic],
    fromBeginning: true,
    maxWaitTimeMs: 200,
  });
  const got: IncomingMessage[] = [];
  /** Per partition, the offset after the last message read. */
  const next = new Map<number, bigint>();
  const deadline = Date.now() + timeoutMs;
  const until = async (done: () => boolean, what: () => string) => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what()} from ${topic} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await consumer.run(async (batch) => {
      got.push(...batch.messages);
      const last = batch.messages.at(-1);
      if (last) next.set(batch.partition, BigInt(last.offset) + 1n);
    });
    await until(
      () => got.length >= count,
      () => `read ${got.length} of ${count} messages`,
    );
    const ends = await endOffsets(bus, topic);
    await until(
      () => ends.every(({ partition, low, high }) => high <= low || (next.get(partition) ?? low) >= high),
      () => `read ${got.length} messages, not up to the end offsets ${JSON.stringify(ends, bigints)}`,
    );
    return got;
  } finally {
    await consumer.disconnect();
  }
}

async function endOffsets(bus: MessageBus, topic: string) {
  const admin = await bus.admin();
  try {
    return (await admin.topicOffsets(topic)).map((o) => ({
      partition: o.partition,
      low: BigInt(o.low),
      high: BigInt(o.high),
    }));
  } finally {
    await admin.disconnect();
  }
}

const bigints = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString() : value;
