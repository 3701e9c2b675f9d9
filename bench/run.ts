import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `pnpm bench <name>` runs bench/<name>.ts. Each benchmark measures the raw ceiling (bare Kafka, bare Postgres,
 * a bare endpoint) in the same run as the platform's figure, and prints one JSON object as its last line.
 */
const dir = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(dir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
const [name, ...args] = process.argv.slice(2);

if (!name || !existsSync(path.join(dir, `${name}.ts`))) {
  console.error(`usage: pnpm bench <name>; available: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
const result = spawnSync('tsx', [path.join(dir, `${name}.ts`), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
