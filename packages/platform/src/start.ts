import type { ChildProcess } from 'node:child_process';
import { loadCatalogue } from '@credit/catalogue';
import { createPool } from '@credit/db';
import { defineError, isCodedError } from '@credit/errors';
import { ensureLocalSigningKeys, infraUp, kafkaSecurityFor, localSecrets, portIsOpen } from '@credit/infra';
import { loadKafkaAccess } from '@credit/kafka-access';
import { createLogger, waitUntilReady } from '@credit/kit';
import { runDemo } from './demo/run.ts';
import { discoverServices, serviceEnvironment, signalGroup, spawnService } from './services.ts';

/**
 * `pnpm start`: the whole platform on this machine. Brings the infrastructure up, then starts every service
 * under services/ that has a `start` script (each gets KAFKA_BROKERS, its own Kafka principal's credentials and
 * DATABASE_URL), prints where
 * everything is, and stops the services on Ctrl-C. The infrastructure keeps running (`pnpm infra:down`).
 */
const logger = createLogger({ service: 'platform', level: process.env.LOG_LEVEL ?? 'info' });

const ServicePortTaken = defineError(
  'PLATFORM_PORT_TAKEN',
  500,
  'port %s of %s is already taken (an earlier pnpm start still running?); stop that process first',
);

async function main(): Promise<void> {
  const startedAt = new Date();
  const state = await infraUp(logger);
  const found = discoverServices();
  const access = loadKafkaAccess();
  // The court reports with the SDK in the demo: it signs with a key of its own; the gateway holds one per department.
  const signingKeys = await ensureLocalSigningKeys(
    state.database.url,
    loadCatalogue().departments.map((department) => department.code),
    ['intermediate-court'],
  );
  // An old process on a service's port would answer its readiness check and take its requests.
  for (const service of found) {
    if (service.port && (await portIsOpen(service.port))) {
      throw ServicePortTaken(String(service.port), service.name);
    }
  }
  const children: ChildProcess[] = found.map((service) =>
    spawnService(
      service,
      serviceEnvironment(state, access, service, { gatewayKeysDir: signingKeys.gatewayKeysDir }),
      'inherit',
    ),
  );

  // A service that exits while starting (a taken port, bad configuration) stops the start, rather than letting an
  // old process on the same port answer in its place.
  const exitedWhileStarting = () => {
    const i = children.findIndex((child) => child.exitCode !== null || child.signalCode !== null);
    if (i < 0) return undefined;
    return `${found[i]!.name} exited with ${children[i]!.exitCode ?? children[i]!.signalCode} while starting`;
  };
  const stop = () => {
    for (const child of children) signalGroup(child, 'SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Services already up are stopped when the start fails, instead of being left behind on their ports.
  stopOnFailure = stop;
  await Promise.all(
    found
      .filter((s) => s.port)
      .map((s) => waitUntilReady(`http://127.0.0.1:${s.port}`, { abandon: exitedWhileStarting })),
  );
  const gateway = found.find((s) => s.name === '@credit/ingest-gateway');
  const demo =
    gateway && process.env.DEMO !== '0'
      ? await runDemo({
          gatewayUrl: `http://127.0.0.1:${gateway.port}`,
          databaseUrl: state.database.url,
          kafkaBrokers: state.kafka.brokers,
          court: {
            kafkaSecurity: kafkaSecurityFor(state, access.departmentPrincipal('intermediate-court')),
            signingKey: signingKeys.departmentKey('intermediate-court'),
            platformKey: localSecrets().PLATFORM_SEALING_PUBLIC_KEY,
          },
          logger,
        }).catch((error: unknown) => ({ failed: error instanceof Error ? error.message : String(error) }))
      : undefined;

  const unified = found.some((s) => s.name === '@credit/aggregator')
    ? await unifiedDatabaseFigures(state.database.url, demo, startedAt)
    : undefined;

  const lists = found.some((s) => s.name === '@credit/list-designation')
    ? await settledCounts(
        state.database.url,
        `select list_type || ' ' || state as key, count(*) as count from lists.entries group by 1 order by 1`,
      )
    : undefined;

  const orders = found.some((s) => s.name === '@credit/sanctions')
    ? await settledCounts(
        state.database.url,
        `select status as key, count(*) as count from sanctions.orders group by 1 order by 1`,
      )
    : undefined;

  console.log('\nCredit data exchange platform');
  console.log(`  Kafka broker   ${state.kafka.brokers} (${state.kafka.source})`);
  console.log(`  PostgreSQL     ${state.database.url} (${state.database.source})`);
  for (const service of found) {
    const url = service.port ? `http://127.0.0.1:${service.port}` : undefined;
    console.log(`  ${service.name.replace('@credit/', '').padEnd(16)} ${url ?? '(no HTTP)'}`);
    const openapi = ['@credit/ingest-gateway', '@credit/query-api'].includes(service.name)
      ? `${url}/openapi.json  `
      : '';
    if (url) console.log(`  ${''.padEnd(16)} ${openapi}${url}/metrics  ${url}/health/ready`);
  }
  if (gateway) console.log(`  schemas          http://127.0.0.1:${gateway.port}/v1/schemas`);
  const listService = found.find((s) => s.name === '@credit/list-designation');
  const sanctionsService = found.find((s) => s.name === '@credit/sanctions');
  if (sanctionsService) {
    console.log(
      `  checks           POST http://127.0.0.1:${sanctionsService.port}/v1/checks  (Bearer tokens: SANCTIONS_API_TOKENS in .run/secrets.json)`,
    );
  }
  const queryService = found.find((s) => s.name === '@credit/query-api');
  if (queryService) {
    const base = `http://127.0.0.1:${queryService.port}`;
    const example = await listedSubject(state.database.url);
    console.log(`  credit query     ${base}/  (信用查询: the public web page)`);
    if (example) {
      console.log(
        `  public profile   ${base}/v1/public/subjects/${example}  (web: ${base}/#/subject/${example})`,
      );
    }
    console.log(
      `  authorised       ${base}/v1/authorised/...  (Bearer tokens: QUERY_API_CLIENTS in .run/secrets.json; header X-Credit-Purpose)`,
    );
  }
  const opsService = found.find((s) => s.name === '@credit/ops-monitor');
  if (opsService) {
    const base = `http://127.0.0.1:${opsService.port}`;
    console.log(
      `  operations       ${base}/  (运行监控: consumer lag and status, departments' reporting, dead letters)`,
    );
    console.log(
      `  ${''.padEnd(16)} ${base}/v1/lag  ${base}/v1/departments  ${base}/v1/reports/quarterly/<YYYYQn>.html`,
    );
  }
  if (listService) {
    console.log(
      `  review queue     http://127.0.0.1:${listService.port}/v1/review-queue  (Bearer tokens: LIST_API_TOKENS in .run/secrets.json)`,
    );
  }
  if (demo) console.log(`\nDemo departments reported:\n${JSON.stringify(demo, null, 2)}`);
  if (unified) console.log(`\nUnified credit database (schema aggregator): ${JSON.stringify(unified)}`);
  if (lists) console.log(`List entries by list type and state (schema lists): ${JSON.stringify(lists)}`);
  if (orders) console.log(`Sanction orders by status (schema sanctions): ${JSON.stringify(orders)}`);
  if (found.length === 0) {
    console.log('  No services yet: the infrastructure is up; services join as they are built (see README).');
    return;
  }
  console.log('\nCtrl-C stops the services; pnpm infra:down stops Kafka and the embedded database.');
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}

let stopOnFailure = () => {};

/** A subject the demo put on a published list, to show on the query page; undefined when there is none yet. */
async function listedSubject(url: string): Promise<string | undefined> {
  const pool = createPool(url, { max: 1 });
  try {
    const { rows } = await pool.query<{ code: string }>(
      `select subject_code as code from lists.entries where state = 'published' order by created_at limit 1`,
    );
    return rows[0]?.code;
  } catch {
    return undefined;
  } finally {
    await pool.end();
  }
}

/** What the aggregator has built, once this start's demo records are in (or after 30 s, whatever it has then). */
async function unifiedDatabaseFigures(
  url: string,
  demo: unknown,
  since: Date,
): Promise<Record<string, number>> {
  const pool = createPool(url, { max: 1 });
  const expected = typeof demo === 'object' && demo !== null ? acceptedIn(demo) : 0;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await pool.query<{
        subjects: string;
        records: string;
        new_records: string;
        errors: string;
      }>(
        `select (select count(*) from aggregator.subjects) as subjects,
                (select count(*) from aggregator.records) as records,
                (select count(*) from aggregator.records where first_stored_at >= $1) as new_records,
                (select count(*) from aggregator.ingest_errors) as errors`,
        [since],
      );
      const row = rows[0]!;
      const figures = {
        subjects: Number(row.subjects),
        records: Number(row.records),
        stored_by_this_start: Number(row.new_records),
        refused: Number(row.errors),
      };
      if (figures.stored_by_this_start >= expected || Date.now() > deadline) return figures;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch {
    return {};
  } finally {
    await pool.end();
  }
}

/** Counts by key from `sql` (`key`, `count` columns), once they stop changing (or after 20 s). */
async function settledCounts(url: string, sql: string): Promise<Record<string, number>> {
  const pool = createPool(url, { max: 1 });
  try {
    const deadline = Date.now() + 20_000;
    let previous = '';
    for (;;) {
      const { rows } = await pool.query<{ key: string; count: string }>(sql);
      const figures = Object.fromEntries(rows.map((row) => [row.key, Number(row.count)]));
      const now = JSON.stringify(figures);
      if ((now === previous && rows.length > 0) || Date.now() > deadline) return figures;
      previous = now;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  } catch {
    // The schema does not exist until its service has migrated it.
    return {};
  } finally {
    await pool.end();
  }
}

/** Records the demo got onto the ingest topics: every `accepted` (gateway, CSV push) and `sent` (SDK) count. */
function acceptedIn(value: object): number {
  let total = 0;
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'accepted' || key === 'sent') && typeof inner === 'number') total += inner;
    else if (typeof inner === 'object' && inner !== null) total += acceptedIn(inner);
  }
  return total;
}

main().catch((error: unknown) => {
  console.error(isCodedError(error) ? `start: ${error.message}` : error);
  stopOnFailure();
  process.exit(1);
});
