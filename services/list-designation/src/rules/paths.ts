import { fileURLToPath } from 'node:url';

/** The designation rules the platform runs with: services/list-designation/data/rules.yaml. */
export const RULES_FILE = fileURLToPath(new URL('../../data/rules.yaml', import.meta.url));
export const RULES_SCHEMA_FILE = fileURLToPath(new URL('../../data/rules.schema.json', import.meta.url));
