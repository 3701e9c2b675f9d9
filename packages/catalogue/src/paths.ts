import { fileURLToPath } from 'node:url';

/** The catalogue the platform runs with: packages/catalogue/data/catalogue.yaml. */
export const CATALOGUE_FILE = fileURLToPath(new URL('../data/catalogue.yaml', import.meta.url));
export const CATALOGUE_SCHEMA_FILE = fileURLToPath(new URL('../data/catalogue.schema.json', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
