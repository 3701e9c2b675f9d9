import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The PostgreSQL schema the query API owns (feed, reports, audit log); it only reads the others. */
export const QUERY_SCHEMA = 'query';
