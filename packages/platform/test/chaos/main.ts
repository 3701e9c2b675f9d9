import { isolateChaosInfrastructure } from './environment.ts';

/**
 * pnpm test:chaos — the whole pipeline (gateway, two aggregators, list designation, sanctions, query API, ops
 * monitor) on a broker and database of its own, while every service is SIGKILLed, the broker and PostgreSQL are
 * killed and stopped, and an aggregator is frozen past its session; then the unified database, list entries,
 * sanction orders, dead letters and public feed are compared with what the input implies. Ends with one JSON line
 * and exits 1 unless nothing was lost, doubled or left wrong, and every service degraded instead of dying.
 * CHAOS_PROFILE=short|full, CHAOS_SEED=<n> to replay, CHAOS_KEEP=1 to keep the broker and database afterwards.
 */
isolateChaosInfrastructure();
const { runChaos } = await import('./run.ts');
try {
  const result = await runChaos();
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
} catch (error) {
  console.error(error);
  console.log(
    JSON.stringify({
      test: 'chaos',
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  process.exit(1);
}
