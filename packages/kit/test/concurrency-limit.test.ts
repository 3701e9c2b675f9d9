import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../src/concurrency-limit.ts';

class Refused extends Error {}

/** A unit of work that finishes when the test says so. */
function pending() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { work: () => done, finish, fail };
}

const limitOf = (max: number, queue: number, maxWaitMs = 60_000) =>
  createConcurrencyLimit({ max, queue, maxWaitMs, refuse: (why) => new Refused(why) });

describe('createConcurrencyLimit', () => {
  it('runs up to max at once, queues the next ones and refuses beyond the queue at once', async () => {
    const limit = limitOf(2, 1);
    const [a, b, c] = [pending(), pending(), pending()];
    const runs = [limit.run(a.work), limit.run(b.work)];
    const queued = limit.run(c.work);
    expect(limit.running).toBe(2);
    expect(limit.waiting).toBe(1);
    await expect(limit.run(async () => 'never')).rejects.toThrow('queue full');
    a.finish();
    await runs[0];
    expect(limit.waiting).toBe(0);
    expect(limit.running).toBe(2);
    b.finish();
    c.finish();
    await Promise.all([runs[1], queued]);
    expect(limit.running).toBe(0);
  });

  it('starts waiters first come, first served', async () => {
    const limit = limitOf(1, 3);
    const first = pending();
    const started: number[] = [];
    const running = limit.run(first.work);
    const waiters = [1, 2, 3].map((n) =>
      limit.run(async () => {
        started.push(n);
      }),
    );
    first.finish();
    await Promise.all([running, ...waiters]);
    expect(started).toEqual([1, 2, 3]);
  });

  it('refuses a waiter that waited too long and gives its place up', async () => {
    const limit = limitOf(1, 1, 20);
    const first = pending();
    const running = limit.run(first.work);
    await expect(limit.run(async () => 'late')).rejects.toThrow('waited too long');
    expect(limit.waiting).toBe(0);
    first.finish();
    await running;
    expect(await limit.run(async () => 'next')).toBe('next');
    expect(limit.running).toBe(0);
  });

  it('frees the turn of work that fails', async () => {
    const limit = limitOf(1, 0);
    const failing = pending();
    const run = limit.run(failing.work);
    failing.fail(new Error('statement timeout'));
    await expect(run).rejects.toThrow('statement timeout');
    expect(limit.running).toBe(0);
    expect(await limit.run(async () => 'again')).toBe('again');
  });
});
