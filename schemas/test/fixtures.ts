import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AVRO_DIR, loadRegistry, type SchemaRegistry } from '../src/registry.ts';

export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures', import.meta.url));

/** A fixture folder of kinds, composed with the repository's real common types. */
export function loadFixture(name: string): SchemaRegistry {
  return loadRegistry(path.join(FIXTURES_DIR, name), path.join(AVRO_DIR, 'common'));
}
