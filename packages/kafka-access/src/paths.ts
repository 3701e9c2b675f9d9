import { fileURLToPath } from 'node:url';

/** The access table the platform runs with: packages/kafka-access/data/access.yaml. */
export const ACCESS_FILE = fileURLToPath(new URL('../data/access.yaml', import.meta.url));
export const ACCESS_SCHEMA_FILE = fileURLToPath(new URL('../data/access.schema.json', import.meta.url));
