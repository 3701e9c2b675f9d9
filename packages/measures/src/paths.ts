import { fileURLToPath } from 'node:url';

/** The measures catalogue the platform runs with: packages/measures/data/measures.yaml. */
export const MEASURES_FILE = fileURLToPath(new URL('../data/measures.yaml', import.meta.url));
export const MEASURES_SCHEMA_FILE = fileURLToPath(new URL('../data/measures.schema.json', import.meta.url));
