import { fileURLToPath } from 'node:url';

/** The calendar the platform runs with: packages/calendar/data/china-holidays.yaml. */
export const CHINA_HOLIDAYS_FILE = fileURLToPath(new URL('../data/china-holidays.yaml', import.meta.url));
export const CHINA_HOLIDAYS_SCHEMA_FILE = fileURLToPath(
  new URL('../data/china-holidays.schema.json', import.meta.url),
);
