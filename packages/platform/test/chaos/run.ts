import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { loadCatalogue } from '@credit/catalogue';
import { createPool } from '@credit/db';
import {
  ensureLocalSigningKeys,
  type InfraState,
  infraDown,
  kafkaSecurityFor,
  LOG_DIR,
  localSecrets,
} from '@credit/infra';
import { issueKey } from '@credit/ingest-gateway/keys';
import { toWire } from '@credit/intake';
import { loadKafkaAccess } from '@credit/kafka-access';
import { createKafkajsBus, createLogger, waitUntilReady } from '@credit/kit';
import { demoRecord, demoSubjects } from '@credit/sample-data';
import { createDepartmentReporter } from '@credit/sdk';
import { discoverServices, serviceEnvironment } from '../../src/services.ts';
import { createDriverLog, reportWithRetries, sendBatches, sendPoison } from './drivers.ts';
import { infraFaults } from './infra-faults.ts';
import { type Fault, faultSchedule, type Profile, profileFrom, randomFrom } from './schedule.ts';
import { createSupervisor, type Instance } from './supervisor.ts';
import { settled, type Verdict, verify } from './verify.ts';
import { buildWorkload } from './workload.ts';

export interface ChaosResult extends Verdict {
  test: 'chaos';
  ok: boolean;
  profile: string;
  seed: number;
  kills: number;
  broker_restarts: number;
  postgres_restarts: number;
  rebalances: number;
  recovery_s_max: number;
  died_while_serving: number;
  failed_starts: number;
  degrade_violations: string[];
  http_unexpected_answers: Record<string, number>;
  seconds: number;
}

const logger = createLogger({ service: 'chaos', level: process.env.LOG_LEVEL ?? 'warn' });

export async function runChaos(): Promise<ChaosResult> {
  const started = Date.now();
  const profile: Profile = profileFrom(process.env);
  const random = randomFrom(profile.seed);
  const catalogue = loadCatalogue();
  const run = Date.now().toString(36);
  const faults = infraFaults(logger);

  // A clean slate of its own: the chaos broker and database hold nothing from an earlier run.
  await infraDown(logger, { purge: true });
  let state: InfraState = await faults.up();
  const access = loadKafkaAccess();
  const signingKeys = await ensureLocalSigningKeys(
    state.database.url,
    catalogue.departments.map((department) => department.code),
    ['intermediate-court'],
  );
  const services = discoverServices();
  const base = Number(process.env.CHAOS_HTTP_PORT ?? 18700);
  const instances: Instance[] = services.map((service, i) => ({
    id: service.short,
    service,
    port: base + i,
  }));
  // Two aggregators in one group: pausing one past its session moves its partitions to the other mid-batch.
  const aggregator = services.find((service) => service.short === 'aggregator')!;
  instances.push({ id: 'aggregator#2', service: aggregator, port: base + services.length });
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `chaos-${run}-services.log`);
  console.log(`chaos: profile ${profile.name}, seed ${profile.seed}; services' output in ${logFile}`);
  const supervisor = createSupervisor(
    instances,
    (instance) => ({
      ...serviceEnvironment(state, access, instance.service, {
        gatewayKeysDir: signingKeys.gatewayKeysDir,
        port: instance.port,
      }),
      LOG_LEVEL: 'warn',
      GATEWAY_WORKERS: '2',
      SESSION_TIMEOUT_MS: String(profile.sessionTimeoutMs),
      TOPIC_SCAN_MS: '2000',
      PUBLIC_RATE_LIMIT: '100000',
    }),
    openSync(logFile, 'a'),
  );
  const url = (id: string) => `http://127.0.0.1:${instances.find((instance) => instance.id === id)!.port}`;
  const pool = createPool(state.database.url, { max: 4, onIdleError: () => {} });
  const log = createDriverLog();
  const counts = { kills: 0, broker: 0, postgres: 0, rebalances: 0 };
  const violations: string[] = [];
  let recoveryMax = 0;
  try {
    supervisor.start();
    await allReady(
      instances.map((instance) => url(instance.id)),
      180_000,
    );
    const apiKey = (await issueKey(pool, 'market-regulation', { label: 'chaos' })).apiKey;
    const workload = buildWorkload(catalogue, profile.sizes, run);
    const courtPrincipal = access.departmentPrincipal('intermediate-court');
    const courtBus = () =>
      createKafkajsBus({
        brokers: state.kafka.brokers.split(','),
        clientId: 'chaos-court',
        security: kafkaSecurityFor(state, courtPrincipal),
        logger,
      });
    const newReporter = () =>
      createDepartmentReporter({
        department: 'intermediate-court',
        bus: courtBus(),
        signingKey: signingKeys.departmentKey('intermediate-court'),
        platformKey: localSecrets().PLATFORM_SEALING_PUBLIC_KEY,
        catalogue,
        logger,
      });
    const deadline = Date.now() + profile.deadlineMs;

    // A canary record through the gateway into the unified database: the pipeline works again.
    const market = catalogue.department('market-regulation')!;
    const canarySubjects = demoSubjects(profile.sizes.penalties + profile.sizes.debtors + 200).slice(-200);
    let canaries = 0;
    const canary = async () => {
      const n = canaries++;
      const subject = canarySubjects[n % canarySubjects.length]!;
      const id = `CHAOS-${run}-CANARY-${n}`;
      const record = demoRecord('administrative-penalty', market, catalogue, subject, id, 1);
      record.envelope.severity = 'GENERAL_DISHONESTY';
      workload.records.set(`${market.code}/${id}`, { version: 1, status: 'active' });
      workload.organisations.add(subject.code);
      await sendBatches(
        () => url('ingest-gateway'),
        apiKey,
        [[toWire('administrative-penalty', record)]],
        log,
        deadline,
      );
      await until(async () => {
        const { rowCount } = await pool
          .query('select 1 from aggregator.records where source_record_id = $1', [id])
          .catch(() => ({ rowCount: 0 }));
        return (rowCount ?? 0) > 0;
      }, deadline);
    };
    const recovered = async (since: number) => {
      await allReady(
        instances.map((instance) => url(instance.id)),
        deadline - Date.now(),
      );
      await canary();
      recoveryMax = Math.max(recoveryMax, (Date.now() - since) / 1000);
    };

    const apply = async (fault: Fault) => {
      const since = Date.now();
      switch (fault.kind) {
        case 'kill':
          counts.kills += 1;
          await supervisor.kill(fault.target);
          break;
        case 'kill-gateway-worker':
          if (await supervisor.killGatewayWorker()) counts.kills += 1;
          break;
        case 'pause':
          counts.rebalances += 1;
          await supervisor.pause(fault.target, profile.sessionTimeoutMs + 4_000);
          break;
        case 'broker': {
          counts.broker += 1;
          await faults.stopBroker(fault.mode);
          violations.push(
            ...(await probeBrokerDown(
              url('ingest-gateway'),
              apiKey,
              run,
              counts.broker,
              workload.unanswered,
            )),
          );
          state = await faults.up();
          break;
        }
        case 'postgres': {
          counts.postgres += 1;
          await faults.stopPostgres(fault.mode);
          violations.push(...(await probeDatabaseDown(instances, url, workload.organisations)));
          state = await faults.up();
          break;
        }
      }
      await recovered(since);
    };

    const schedule = faultSchedule(profile, instances, random);
    const half = Math.ceil(schedule.length / 2);
    const chaos = async (faultsToRun: Fault[]) => {
      for (const fault of faultsToRun) {
        // Random moments: a gap of 0.5–3 s between one recovery and the next fault.
        await new Promise((resolve) => setTimeout(resolve, 500 + random() * 2_500));
        console.log(`chaos: ${describe(fault)}`);
        await apply(fault);
      }
    };

    // Phase 1: first versions, corrections and garbage while the first half of the faults strike.
    await Promise.all([
      sendBatches(() => url('ingest-gateway'), apiKey, workload.http.phase1, log, deadline),
      reportWithRetries(newReporter, workload.court.phase1, 20, logger, deadline),
      sendPoison(courtBus, 'credit.ingest.intermediate-court', workload.poison, deadline),
      chaos(schedule.slice(0, half)),
    ]);
    // Revocations follow the listings they end, as they do in life: wait until the court's entries are in force.
    await until(async () => {
      const { rows } = await pool
        .query<{ n: string }>(`select count(*) as n from lists.entries where state = 'published'`)
        .catch(() => ({ rows: [{ n: '0' }] }));
      return Number(rows[0]!.n) >= workload.debtors.size;
    }, deadline);
    await Promise.all([
      sendBatches(() => url('ingest-gateway'), apiKey, workload.http.phase2, log, deadline),
      reportWithRetries(newReporter, workload.court.phase2, 20, logger, deadline),
      chaos(schedule.slice(half)),
    ]);

    // Left to settle, then looked at once more after the outboxes drained: late duplicates would show.
    let verdict = await verifySafely(pool, workload, log);
    while (!settled(verdict) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      verdict = await verifySafely(pool, workload, log);
    }
    await until(async () => {
      const { rows } = await pool.query<{ n: string }>(
        `select (select count(*) from aggregator.outbox) + (select count(*) from lists.outbox) as n`,
      );
      return rows[0]!.n === '0';
    }, Date.now() + 60_000);
    verdict = await verifySafely(pool, workload, log);
    const exits = supervisor.unexpectedExits();
    // A start that fails while the broker or database is away is restarted, as an orchestrator would; a service
    // that was serving and died is a violation.
    for (const exit of exits.filter((e) => e.serving))
      violations.push(`${exit.id} died while serving (${exit.signal ?? exit.code})`);
    if (log.unavailableWithoutRetryAfter > 0)
      violations.push(`${log.unavailableWithoutRetryAfter} gateway 503 answers without Retry-After`);
    const unexpectedAnswers = Object.fromEntries(log.unexpectedAnswers);
    return {
      test: 'chaos',
      ok: settled(verdict) && violations.length === 0 && log.unexpectedAnswers.size === 0,
      profile: profile.name,
      seed: profile.seed,
      ...verdict,
      kills: counts.kills,
      broker_restarts: counts.broker,
      postgres_restarts: counts.postgres,
      rebalances: counts.rebalances,
      recovery_s_max: Math.round(recoveryMax * 10) / 10,
      died_while_serving: exits.filter((exit) => exit.serving).length,
      failed_starts: exits.filter((exit) => !exit.serving).length,
      degrade_violations: violations,
      http_unexpected_answers: unexpectedAnswers,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await supervisor.stop();
    await pool.end().catch(() => {});
    if (process.env.CHAOS_KEEP !== '1') await infraDown(logger, { purge: true });
  }
}

async function verifySafely(
  pool: ReturnType<typeof createPool>,
  ...rest: [Parameters<typeof verify>[1], Parameters<typeof verify>[2]]
) {
  return verify(pool, ...rest, { market: 'market-regulation', court: 'intermediate-court' });
}

/**
 * Degrade, do not die: with the database down, every service's readiness goes red and the query API answers 503
 * with Retry-After, each within the bound; any 5xx other than 503, or a request left unanswered past the bound, is
 * a violation.
 */
async function probeDatabaseDown(
  instances: Instance[],
  url: (id: string) => string,
  organisations: Set<string>,
): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all(
    instances.map(async (instance) => {
      const seen = await pollFor(`${url(instance.id)}/health/ready`, (a) => a.status === 503);
      if (seen) problems.push(`${instance.id} readiness with the database down: ${seen}`);
    }),
  );
  const code = [...organisations][0];
  if (code) {
    const seen = await pollFor(
      `${url('query-api')}/v1/public/subjects/${code}`,
      (a) => a.status === 503 && a.retryAfter,
    );
    if (seen) problems.push(`query-api profile with the database down: ${seen}`);
  }
  return problems;
}

/** With the broker down, the gateway refuses (503, Retry-After) instead of accepting, within the bound. */
async function probeBrokerDown(
  gatewayUrl: string,
  apiKey: string,
  run: string,
  n: number,
  unanswered: Set<string>,
): Promise<string[]> {
  const catalogue = loadCatalogue();
  const market = catalogue.department('market-regulation')!;
  const subject = demoSubjects(1)[0]!;
  const id = `CHAOS-${run}-PROBE-${n}`;
  const record = demoRecord('administrative-penalty', market, catalogue, subject, id, 1);
  unanswered.add(`${market.code}/${id}`);
  const answer = await timed(`${gatewayUrl}/v1/records`, BOUND_MS, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(toWire('administrative-penalty', record)),
  });
  if (answer.status === 503 && answer.retryAfter) return [];
  return [`gateway with the broker down: ${answer.status}${answer.retryAfter ? '' : ' without Retry-After'}`];
}

/** How long a request may take while a dependency is down: the answer must come, and be a refusal, by then. */
const BOUND_MS = 15_000;

/**
 * Asks until the answer is what `wanted` says or the bound passes; undefined when it came in time, else what was
 * seen (a 500, a hang, a 200).
 */
async function pollFor(
  target: string,
  wanted: (answer: { status: number | 'no answer'; retryAfter: boolean }) => boolean,
): Promise<string | undefined> {
  const deadline = Date.now() + BOUND_MS;
  const seen = new Set<string>();
  while (Date.now() < deadline) {
    const answer = await timed(target, deadline - Date.now());
    if (wanted(answer)) return undefined;
    seen.add(`${answer.status}${answer.status === 503 && !answer.retryAfter ? ' without Retry-After' : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return `not refused within ${BOUND_MS / 1000} s (saw ${[...seen].join(', ')})`;
}

async function timed(
  target: string,
  boundMs: number,
  init: RequestInit = {},
): Promise<{ status: number | 'no answer'; retryAfter: boolean }> {
  try {
    const response = await fetch(target, { ...init, signal: AbortSignal.timeout(boundMs) });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.has('retry-after') };
  } catch {
    return { status: 'no answer', retryAfter: false };
  }
}

async function allReady(urls: string[], timeoutMs: number): Promise<void> {
  await Promise.all(urls.map((base) => waitUntilReady(base, { timeoutMs: Math.max(timeoutMs, 1_000) })));
}

async function until(condition: () => Promise<boolean>, deadline: number): Promise<void> {
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('chaos: the platform did not get there before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function describe(fault: Fault): string {
  if (fault.kind === 'broker' || fault.kind === 'postgres') return `${fault.kind} ${fault.mode}`;
  if (fault.kind === 'kill-gateway-worker') return 'SIGKILL a gateway worker';
  return `${fault.kind === 'kill' ? 'SIGKILL' : 'SIGSTOP past the session'} ${fault.target}`;
}
