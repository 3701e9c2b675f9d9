import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The PostgreSQL schema the sanctions service owns; it reads the aggregator's subjects and records, never writes. */
export const SANCTIONS_SCHEMA = 'sanctions';
