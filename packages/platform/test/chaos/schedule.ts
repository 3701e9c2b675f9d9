import type { Instance } from './supervisor.ts';

export type Fault =
  | { kind: 'kill'; target: string }
  | { kind: 'kill-gateway-worker' }
  | { kind: 'pause'; target: string }
  | { kind: 'broker'; mode: 'kill' | 'clean' }
  | { kind: 'postgres'; mode: 'kill' | 'clean' };

export interface Profile {
  name: 'short' | 'full';
  seed: number;
  sizes: { penalties: number; debtors: number; batch: number };
  /** Rounds of faults: each round kills every service once, restarts the broker and the database, pauses once. */
  rounds: number;
  sessionTimeoutMs: number;
  deadlineMs: number;
}

/**
 * CHAOS_PROFILE=short (CI: one round, a small workload) or full (the default: two rounds, broker and database
 * both killed and stopped cleanly). CHAOS_SEED replays a run's order of faults and its moments.
 */
export function profileFrom(env: NodeJS.ProcessEnv): Profile {
  const name = env.CHAOS_PROFILE === 'short' ? 'short' : 'full';
  const seed = Number(env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  return name === 'short'
    ? {
        name,
        seed,
        sizes: { penalties: 500, debtors: 60, batch: 50 },
        rounds: 1,
        sessionTimeoutMs: 10_000,
        deadlineMs: 600_000,
      }
    : {
        name,
        seed,
        sizes: { penalties: 4_000, debtors: 300, batch: 100 },
        rounds: 2,
        sessionTimeoutMs: 10_000,
        deadlineMs: 1_500_000,
      };
}

/** Each round: every instance SIGKILLed, a gateway worker SIGKILLed, the broker and the database restarted, one pause. */
export function faultSchedule(
  profile: Profile,
  instances: readonly Instance[],
  random: () => number,
): Fault[] {
  const faults: Fault[] = [];
  for (let round = 0; round < profile.rounds; round += 1) {
    const mode = round % 2 === 0 ? 'kill' : 'clean';
    faults.push(
      ...instances.map((instance) => ({ kind: 'kill' as const, target: instance.id })),
      { kind: 'kill-gateway-worker' },
      { kind: 'broker', mode },
      { kind: 'postgres', mode },
      { kind: 'pause', target: 'aggregator' },
    );
  }
  // Fisher–Yates with the run's seeded generator: random order, reproducible from the seed.
  for (let i = faults.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [faults[i], faults[j]] = [faults[j]!, faults[i]!];
  }
  return faults;
}

/** mulberry32: small, seedable, good enough to pick moments and orders. */
export function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
