import { randomBytes } from 'node:crypto';
import type { IncomingMessage, MessageBus } from '@credit/kit';

/**
 * Reads a topic from its beginning with a throw-away consumer group until at least `count` messages arrived,
 * then `settleMs` longer (so a caller expecting exactly `count` also sees any extra message). Throws after the
 * timeout, saying how many it got.
 */
export async function readTopic(
  bus: MessageBus,
  topic: string,
  count: number,
  timeoutMs = 15_000,
  options: { settleMs?: number } = {},
): Promise<IncomingMessage[]> {
  const consumer = await bus.consumer({
    groupId: `reader-${randomBytes(6).toString('hex')}`,
    topics: [topic],
    fromBeginning: true,
    maxWaitTimeMs: 200,
  });
  const got: IncomingMessage[] = [];
  try {
    await consumer.run(async (batch) => {
      got.push(...batch.messages);
    });
    const deadline = Date.now() + timeoutMs;
    while (got.length < count && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    if (got.length < count) throw new Error(`read ${got.length} of ${count} messages from ${topic}`);
    await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 300));
    return got;
  } finally {
    await consumer.disconnect();
  }
}
