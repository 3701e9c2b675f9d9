import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type InfraState, kafkaEnvFor, localSecretsOf, ROOT } from '@credit/infra';
import type { KafkaAccess } from '@credit/kafka-access';

interface ServiceManifest {
  name: string;
  scripts?: Record<string, string>;
  /** `config.port`: the HTTP port the service gets in `pnpm start`. */
  config?: { port?: number };
}

export interface ServicePackage {
  /** The package name, `@credit/<short>`. */
  name: string;
  /** The service's own name (its principal's and its secrets'). */
  short: string;
  port: number | undefined;
}

/** Every package under services/ with a `start` script, and its `pnpm start` port. */
export function discoverServices(): ServicePackage[] {
  const root = path.join(ROOT, 'services');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((dir) => path.join(root, dir))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as ServiceManifest)
    .filter((pkg) => pkg.scripts?.start)
    .map((pkg) => ({ name: pkg.name, short: pkg.name.replace('@credit/', ''), port: pkg.config?.port }));
}

/**
 * A service's environment beside the platform's infrastructure: the broker, its own Kafka principal's credentials
 * (it holds only its ACLs), the database, its own secrets only (the sealing private key reaches the aggregator
 * alone), the gateway's department signing keys, and its HTTP port.
 */
export function serviceEnvironment(
  state: InfraState,
  access: KafkaAccess,
  service: ServicePackage,
  options: { gatewayKeysDir: string; port?: number },
): NodeJS.ProcessEnv {
  const port = options.port ?? service.port;
  return {
    ...process.env,
    KAFKA_BROKERS: state.kafka.brokers,
    ...kafkaEnvFor(state, access.servicePrincipal(service.short)),
    DATABASE_URL: state.database.url,
    ...localSecretsOf(service.short),
    ...(service.short === 'ingest-gateway' ? { SIGNING_KEYS_DIR: options.gatewayKeysDir } : {}),
    ...(port ? { HTTP_PORT: String(port) } : {}),
  };
}

/** Starts a service as `pnpm start` does, in its own process group (so a signal reaches it under pnpm and tsx). */
export function spawnService(
  service: ServicePackage,
  env: NodeJS.ProcessEnv,
  stdio: 'inherit' | ['ignore', number, number],
): ChildProcess {
  return spawn('pnpm', ['--filter', service.name, 'start'], { cwd: ROOT, stdio, detached: true, env });
}

/** Sends `signal` to a service's whole process group; false when it is already gone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}
