import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { requireInfrastructure } from '@credit/infra';
import { brokersOf, createKafkajsBus, type Logger, type MessageBus, waitUntilReady } from '@credit/kit';
import pg from 'pg';

/** Shared by the benchmarks: where the infrastructure is, child services, percentiles, memory. */
export function infrastructure(): ReturnType<typeof requireInfrastructure> {
  return requireInfrastructure('benchmarks need');
}

/** A Kafka client of the benchmarks' identity (the local broker's admin, or the KAFKA_* credentials given). */
export function benchBus(clientId: string, logger: Logger): MessageBus {
  const { kafkaBrokers, kafkaSecurity } = infrastructure();
  return createKafkajsBus({ brokers: brokersOf(kafkaBrokers), clientId, security: kafkaSecurity, logger });
}

/** KAFKA_BROKERS and the same identity's KAFKA_* credentials, for a service a benchmark runs as a child. */
export function kafkaChildEnv(): Record<string, string> {
  const { kafkaBrokers, kafkaEnv } = infrastructure();
  return { KAFKA_BROKERS: kafkaBrokers, ...kafkaEnv };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a service's main.ts in its own Node process (one process: node --import tsx), waits until ready. */
export async function startService(
  entry: string,
  env: Record<string, string>,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env, HTTP_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitUntilReady(`http://127.0.0.1:${port}`, {
      timeoutMs: 60_000,
      abandon: () => (child.exitCode === null ? undefined : `${entry} exited with ${child.exitCode}`),
    });
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

export async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Peak resident memory (VmHWM) of a process and all its descendants (cluster workers), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return Math.round(kb / 1024) + children.reduce((sum, child) => sum + peakRssMb(Number(child)), 0);
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** A database of its own for one benchmark run, on the server `serverUrl` names; returns its URL. */
export async function createBenchDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropBenchDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

export interface OpenLoopResult {
  /** Successful calls per second over the run. */
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  errors: number;
  /** How many calls ended each way: 'ok', another outcome the call named, or a rejection's error name. */
  outcomes: Record<string, number>;
}

/**
 * Open loop: one call every 1/rate s for `seconds`, latency measured from when the call was due (so a slow server
 * cannot slow the offered load down and flatter itself). `call` resolves to 'ok' or the name of another outcome;
 * only 'ok' calls count towards latency and the achieved rate.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  call: (i: number) => Promise<string>,
): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const count = (outcome: string) => {
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      call(i).then(
        (outcome) => {
          if (outcome === 'ok') latencies.push(performance.now() - due);
          count(outcome);
        },
        (error: Error) => count(error.name),
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    achieved: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    ok: latencies.length,
    errors: total - latencies.length,
    outcomes,
  };
}

// Generated subjects for the list and check benchmarks: subject number i has a deterministic code and category, the
// same in SQL (for bulk generation) and in TypeScript (for random picks while driving load).

/** Non-negative pseudo-random int from an integer SQL expression (deterministic: the same data every run). */
export const hashSql = (x: string) => `(hashint4(${x}) & 2147483647)`;

/** Subject number `i`'s code in SQL; {@link benchSubjectCode} is the same code in TypeScript. */
export const subjectCodeSql = (i: string) => `case when ${i} % 20 = 0 then 'P35' || lpad(${i}::text, 15, '0')
  when ${i} % 20 = 1 then '92350100' || lpad(${i}::text, 10, '0') else '91350100' || lpad(${i}::text, 10, '0') end`;

/** Subject number `i`'s category in SQL: 5 % natural persons, 5 % individual businesses, the rest legal entities. */
export const subjectCategorySql = (i: string) => `case when ${i} % 20 = 0 then 'NATURAL_PERSON'
  when ${i} % 20 = 1 then 'INDIVIDUAL_BUSINESS' else 'LEGAL_ENTITY' end`;

export function benchSubjectCode(i: number): string {
  if (i % 20 === 0) return `P35${String(i).padStart(15, '0')}`;
  return `${i % 20 === 1 ? '92350100' : '91350100'}${String(i).padStart(10, '0')}`;
}
