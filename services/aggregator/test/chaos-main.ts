import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LOG_DIR, requireInfrastructure } from '@credit/infra';
import { createLogger } from '@credit/kit';
import { runCrashScenario } from './crash-scenario.ts';

/**
 * pnpm test:chaos — the aggregator SIGKILLed CHAOS_KILLS times (default 6) while CHAOS_RECORDS records (20,000)
 * flow; ends with one JSON line and exits 1 unless nothing was lost, doubled or left unannounced.
 * Needs the infrastructure (`pnpm infra:up`) or KAFKA_BROKERS and DATABASE_URL.
 */
let infrastructure: ReturnType<typeof requireInfrastructure>;
try {
  infrastructure = requireInfrastructure('test:chaos needs');
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const { kafkaBrokers: brokers, databaseUrl: serverUrl } = infrastructure;
const name = `chaos_${Date.now().toString(36)}`;
mkdirSync(LOG_DIR, { recursive: true });
const logFile = path.join(LOG_DIR, `${name}-aggregator.log`);
console.log(`aggregator output: ${logFile}`);
const result = await runCrashScenario({
  brokers,
  kafkaEnv: infrastructure.kafkaEnv,
  serverUrl,
  records: Number(process.env.CHAOS_RECORDS ?? 20_000),
  kills: Number(process.env.CHAOS_KILLS ?? 6),
  killEveryMs: Number(process.env.CHAOS_KILL_EVERY_MS ?? 4000),
  logger: createLogger({ service: 'chaos', level: 'warn' }),
  logFile,
  name,
});
const ok =
  result.lost === 0 && result.duplicated === 0 && result.events_missing === 0 && result.summaries_wrong === 0;
console.log(JSON.stringify({ test: 'chaos', ok, ...result }));
process.exit(ok ? 0 : 1);
