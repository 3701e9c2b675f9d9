import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Load for cost-cap tests: a crowd hammering an expensive route, cheap calls timed while it does, and the figures
 * (percentiles, outcomes) the test asserts and prints.
 */

/** The part of an inject() answer read here. */
export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}

/** What one call of the crowd got, and how long it took. */
export interface CrowdAnswer {
  status: number;
  code: string | undefined;
  retryAfter: unknown;
  ms: number;
}

/** The `p`th percentile (nearest rank) of `values`; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Milliseconds to a tenth, for a report. */
export const roundMs = (ms: number): number => Math.round(ms * 10) / 10;

/** What `call` answered and how long it took. */
export async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

/** Count, median, 95th percentile and slowest of `ms`, rounded. */
export function latencies(ms: readonly number[]): { calls: number; p50: number; p95: number; max: number } {
  return {
    calls: ms.length,
    p50: roundMs(percentile(ms, 50)),
    p95: roundMs(percentile(ms, 95)),
    max: roundMs(Math.max(...ms)),
  };
}

/** How many answers of each status and code (`200 ok`, `503 QUERY_BUSY`). */
export function byOutcome(answers: readonly CrowdAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = `${a.status} ${a.code ?? 'ok'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export interface Crowd {
  /** Every answer so far, in the order they came. */
  answers: CrowdAnswer[];
  /** Resolves once an answer carries `code` (the crowd took every turn), or after `timeoutMs` regardless. */
  reached(code: string, timeoutMs?: number): Promise<void>;
  /** Stops the callers after their current call and waits for them. */
  stop(): Promise<void>;
}

/**
 * `size` callers, each calling again as soon as it is answered (the first with turn 0, the next with 1, …; each
 * caller's turns start at its own number): a refused caller comes straight back, as a crowd does not wait, but lets
 * the event loop turn first.
 */
export function startCrowd(size: number, call: (turn: number) => Promise<Answer>): Crowd {
  let crowding = true;
  const answers: CrowdAnswer[] = [];
  const caller = async (n: number) => {
    for (let turn = n; crowding; turn += 1) {
      const { value, ms } = await timed(() => call(turn));
      answers.push({
        status: value.statusCode,
        code:
          value.statusCode === 200
            ? undefined
            : (value.json() as { error?: { code?: string } } | undefined)?.error?.code,
        retryAfter: value.headers['retry-after'],
        ms,
      });
      if (value.statusCode !== 200) await nextTurn();
    }
  };
  const callers = Array.from({ length: size }, (_, n) => caller(n));
  return {
    answers,
    reached: async (code, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!answers.some((a) => a.code === code) && Date.now() < deadline) await nextTurn();
    },
    stop: async () => {
      crowding = false;
      await Promise.all(callers);
    },
  };
}

/**
 * Times `count` calls one after another, stopping early after `withinMs`; `afterEach` runs after every call (to
 * sample a pool's queue, say).
 */
export async function timeCalls(
  count: number,
  call: (i: number) => Promise<Answer>,
  options: { withinMs?: number; afterEach?: () => void } = {},
): Promise<{ ms: number[]; statuses: number[] }> {
  const ms: number[] = [];
  const statuses: number[] = [];
  const until = Date.now() + (options.withinMs ?? 20_000);
  for (let i = 0; i < count && Date.now() < until; i += 1) {
    const { value, ms: took } = await timed(() => call(i));
    ms.push(took);
    statuses.push(value.statusCode);
    options.afterEach?.();
  }
  return { ms, statuses };
}
