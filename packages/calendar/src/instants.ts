import { isCalendarDate } from './dates.ts';

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Whether `text` is an ISO 8601 timestamp with its offset (`2026-03-01T08:00:00+08:00`) that names a real instant,
 * or with `dateAlone` also a bare real date. Date.parse takes 2026-02-30 and 24:00, which PostgreSQL refuses.
 */
export function isRealInstant(text: string, options: { dateAlone?: boolean } = {}): boolean {
  const match = INSTANT.exec(text);
  if (match === null) return false;
  const [, date = '', hours, minutes = '0', seconds = '0', offsetHours = '0', offsetMinutes = '0'] = match;
  if (hours === undefined && !options.dateAlone) return false;
  return (
    isCalendarDate(date) &&
    Number(hours ?? '0') < 24 &&
    Number(minutes) < 60 &&
    Number(seconds) < 60 &&
    Number(offsetHours) <= 15 &&
    Number(offsetMinutes) < 60
  );
}
