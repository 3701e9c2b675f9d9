/**
 * Avro `date` values as 'YYYY-MM-DD' strings: a calendar date has no time zone, so it never goes through a
 * local-time Date that could shift it by a day.
 */

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' string, or undefined when it is not a real calendar date. */
export function toEpochDays(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [, year, month, day] = match.map(Number);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year!, month! - 1, day!);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return Math.round(date.getTime() / DAY_MS);
}

/** 'YYYY-MM-DD' of a day count; throws outside years 0000–9999, which the string form cannot hold. */
export function fromEpochDays(days: number): string {
  const date = new Date(days * DAY_MS);
  const year = date.getUTCFullYear();
  if (!Number.isInteger(days) || Number.isNaN(year) || year < 0 || year > 9999) {
    throw new Error(`date ${days} days from 1970-01-01 is outside years 0000-9999`);
  }
  return date.toISOString().slice(0, 10);
}
