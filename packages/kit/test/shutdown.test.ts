import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { installGracefulShutdown } from '../src/shutdown.ts';

const silent = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, d) => d() }),
});

describe('installGracefulShutdown', () => {
  it('marks the service not ready, runs the steps in order once, and exits 0', async () => {
    const order: string[] = [];
    const exits: number[] = [];
    const state = { shuttingDown: false };
    const shutdown = installGracefulShutdown({
      logger: silent,
      state,
      signals: [],
      exit: (code) => exits.push(code),
      steps: [
        { name: 'http', run: async () => void order.push(`http:${state.shuttingDown}`) },
        { name: 'kafka', run: async () => void order.push('kafka') },
      ],
    });
    await Promise.all([shutdown('test'), shutdown('again')]);
    expect(order).toEqual(['http:true', 'kafka']);
    expect(exits).toEqual([0]);
  });

  it('keeps going past a failing step and exits 1', async () => {
    const order: string[] = [];
    const exits: number[] = [];
    await installGracefulShutdown({
      logger: silent,
      state: { shuttingDown: false },
      signals: [],
      exit: (code) => exits.push(code),
      steps: [
        {
          name: 'broken',
          run: async () => {
            throw new Error('boom');
          },
        },
        { name: 'db', run: async () => void order.push('db') },
      ],
    })('test');
    expect(order).toEqual(['db']);
    expect(exits).toEqual([1]);
  });
});
