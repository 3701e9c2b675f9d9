import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Generates the Prisma client of every `prisma/schema.prisma` in the workspace (services and test fixtures).
 * Runs after `pnpm install`, since generated clients are not committed.
 *
 * Prisma's CLI insists on a schema-engine binary it would download from binaries.prisma.sh, which these machines
 * cannot reach. Generation does not run that engine (it uses the WebAssembly engines shipped on npm), so any
 * existing file satisfies the check; migrations are plain SQL (see migrate.ts), so the engine is never needed.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function schemas(): string[] {
  const found: string[] = [];
  for (const group of ['services', 'packages']) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      for (const candidate of ['prisma/schema.prisma', 'test/fixtures/prisma/schema.prisma']) {
        const file = path.join(dir, name, candidate);
        if (existsSync(file)) found.push(file);
      }
    }
  }
  return found;
}

const prisma = path.join(root, 'packages', 'db', 'node_modules', '.bin', 'prisma');
let failed = 0;
for (const schema of schemas()) {
  const result = spawnSync(prisma, ['generate', '--schema', schema], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    },
  });
  const relative = path.relative(root, schema);
  if (result.status === 0) {
    console.log(`prisma client generated for ${relative}`);
  } else {
    failed += 1;
    console.error(`prisma generate failed for ${relative}:\n${result.stdout}${result.stderr}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
