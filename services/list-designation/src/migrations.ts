import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The PostgreSQL schema list-designation owns; it reads the aggregator's schema and never writes it. */
export const LISTS_SCHEMA = 'lists';
