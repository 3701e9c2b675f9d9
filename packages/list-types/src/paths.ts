import { fileURLToPath } from 'node:url';

/** The list types the platform runs with: packages/list-types/data/list-types.yaml. */
export const LIST_TYPES_FILE = fileURLToPath(new URL('../data/list-types.yaml', import.meta.url));
export const LIST_TYPES_SCHEMA_FILE = fileURLToPath(
  new URL('../data/list-types.schema.json', import.meta.url),
);
