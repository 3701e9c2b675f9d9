import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isCodedError } from '@credit/errors';
import { createLogger } from '@credit/kit';
import { infraUp } from './infra.ts';
import { ROOT } from './paths.ts';

/**
 * `pnpm start`: the whole platform on this machine. Brings the infrastructure up, then starts every service
 * under services/ that has a `start` script (each gets KAFKA_BROKERS and DATABASE_URL), prints where
 * everything is, and stops the services on Ctrl-C. The infrastructure keeps running (`pnpm infra:down`).
 */
const logger = createLogger({ service: 'platform', level: process.env.LOG_LEVEL ?? 'info' });

interface ServiceManifest {
  name: string;
  scripts?: Record<string, string>;
  /** `config.port`: the HTTP port the service gets in `pnpm start`. */
  config?: { port?: number };
}

interface ServicePackage {
  dir: string;
  name: string;
  port: number | undefined;
}

function services(): ServicePackage[] {
  const root = path.join(ROOT, 'services');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((dir) => path.join(root, dir))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      pkg: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as ServiceManifest,
    }))
    .filter(({ pkg }) => pkg.scripts?.start)
    .map(({ dir, pkg }) => ({ dir, name: pkg.name, port: pkg.config?.port }));
}

async function main(): Promise<void> {
  const state = await infraUp(logger);
  const found = services();
  const children: ChildProcess[] = found.map((service) =>
    spawn('pnpm', ['--filter', service.name, 'start'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        KAFKA_BROKERS: state.kafka.brokers,
        DATABASE_URL: state.database.url,
        ...(service.port ? { HTTP_PORT: String(service.port) } : {}),
      },
    }),
  );

  console.log('\nCredit data exchange platform');
  console.log(`  Kafka broker   ${state.kafka.brokers} (${state.kafka.source})`);
  console.log(`  PostgreSQL     ${state.database.url} (${state.database.source})`);
  for (const service of found) {
    console.log(
      `  ${service.name.padEnd(14)} ${service.port ? `http://127.0.0.1:${service.port}` : '(no HTTP)'}`,
    );
  }
  if (found.length === 0) {
    console.log('  No services yet: the infrastructure is up; services join as they are built (see README).');
    return;
  }
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}

main().catch((error: unknown) => {
  console.error(isCodedError(error) ? `start: ${error.message}` : error);
  process.exit(1);
});
