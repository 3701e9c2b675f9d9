import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCodedError } from '@credit/errors';
import { checkCompatibility } from './compatibility.ts';
import { recordNewFingerprints } from './fingerprint-lock.ts';
import { AVRO_DIR, loadRegistry } from './registry.ts';
import { GENERATED_TYPES_FILE, generateTypes } from './typescript.ts';

const [command, dir] = process.argv.slice(2);

/** The repository's schemas, or another folder of kinds (a fixture) using its own or the repository's common types. */
function registryToCheck() {
  if (dir === undefined) return loadRegistry();
  const ownCommon = path.join(dir, 'common');
  return loadRegistry(dir, existsSync(ownCommon) ? ownCommon : path.join(AVRO_DIR, 'common'));
}

function main(): number {
  switch (command) {
    case 'check': {
      const registry = registryToCheck();
      const problems = checkCompatibility(registry);
      for (const problem of problems) console.error(`✗ ${problem.message}`);
      const versions = [...registry.kinds.values()].reduce((sum, kind) => sum + kind.versions.length, 0);
      if (problems.length > 0) {
        console.error(`schemas: ${problems.length} problem(s) in ${registry.kinds.size} kinds`);
        return 1;
      }
      console.log(`schemas: ${registry.kinds.size} kinds, ${versions} versions, no problems`);
      return 0;
    }
    case 'types': {
      const registry = loadRegistry();
      writeFileSync(GENERATED_TYPES_FILE, generateTypes(registry));
      console.log(`wrote ${fileURLToPath(GENERATED_TYPES_FILE)}`);
      for (const pinned of recordNewFingerprints(registry)) console.log(`pinned ${pinned}`);
      return 0;
    }
    default:
      console.error('usage: tsx schemas/src/cli.ts check [avro-dir] | types');
      return 2;
  }
}

try {
  process.exitCode = main();
} catch (error) {
  // Coded errors name the file and the fix; anything else is a bug and gets its stack.
  console.error(isCodedError(error) ? `schemas ${command}: ${error.message}` : error);
  process.exitCode = 1;
}
