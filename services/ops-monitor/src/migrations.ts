import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The PostgreSQL schema the ops monitor owns (dead letters). */
export const OPS_SCHEMA = 'ops';
