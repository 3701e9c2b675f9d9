import { describe, expect, it } from 'vitest';
import { handleUntilDone } from '../src/kafka/retry-batch.ts';
import type { Batch, BatchContext } from '../src/kafka/types.ts';
import { createLogger } from '../src/logger.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
const batch: Batch = { topic: 't', partition: 0, highWatermark: '1', messages: [] };

function context(overrides: Partial<BatchContext> = {}): BatchContext & { heartbeats: number } {
  const state = {
    heartbeats: 0,
    heartbeat: async () => {
      state.heartbeats += 1;
    },
    isRunning: () => true,
    isStale: () => false,
    ...overrides,
  };
  return state;
}

const fast = { initialDelayMs: 1, maxDelayMs: 4 };

describe('handleUntilDone', () => {
  it('retries a failing batch, heartbeating between attempts, until it succeeds', async () => {
    let attempts = 0;
    const ctx = context();
    const done = await handleUntilDone(
      async () => {
        attempts += 1;
        if (attempts < 4) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
      batch,
      ctx,
      { logger, signal: new AbortController().signal, ...fast },
    );
    expect(done).toBe(true);
    expect(attempts).toBe(4);
    expect(ctx.heartbeats).toBe(3);
  });

  it('gives the batch up, uncommitted, when the consumer disconnects while it waits', async () => {
    const stopping = new AbortController();
    let attempts = 0;
    setTimeout(() => stopping.abort(), 20);
    const done = await handleUntilDone(
      async () => {
        attempts += 1;
        throw new Error('database down');
      },
      batch,
      context(),
      { logger, signal: stopping.signal, initialDelayMs: 60_000 },
    );
    expect(done).toBe(false);
    expect(attempts).toBe(1);
  });

  it('gives the batch up when the consumer stops or the partition is sought elsewhere', async () => {
    const failing = async () => {
      throw new Error('database down');
    };
    const signal = new AbortController().signal;
    expect(
      await handleUntilDone(failing, batch, context({ isRunning: () => false }), { logger, signal }),
    ).toBe(false);
    expect(await handleUntilDone(failing, batch, context({ isStale: () => true }), { logger, signal })).toBe(
      false,
    );
  });

  it('does not retry a batch whose own heartbeat reported a rebalance: the batch ends so the group can re-join', async () => {
    const rebalancing = new Error('The coordinator is not aware of this member');
    let attempts = 0;
    const ctx = context({
      heartbeat: async () => {
        throw rebalancing;
      },
    });
    await expect(
      handleUntilDone(
        async (_batch, handlerContext) => {
          attempts += 1;
          await handlerContext.heartbeat();
        },
        batch,
        ctx,
        { logger, signal: new AbortController().signal, ...fast },
      ),
    ).rejects.toBe(rebalancing);
    expect(attempts).toBe(1);
  });

  it('lets a rebalance the heartbeat reports end the wait, so the group can re-join', async () => {
    const rebalancing = new Error('The group is rebalancing, so a rejoin is needed');
    const ctx = context({
      heartbeat: async () => {
        throw rebalancing;
      },
    });
    await expect(
      handleUntilDone(
        async () => {
          throw new Error('database down');
        },
        batch,
        ctx,
        { logger, signal: new AbortController().signal, ...fast },
      ),
    ).rejects.toBe(rebalancing);
  });
});
