import { isCalendarDate } from '@credit/calendar';
import type { DateText } from './types.ts';

/** Calendar arithmetic on YYYY-MM-DD strings (dates in China, no time of day, no time zone). */

function parts(date: DateText): [year: number, month: number, day: number] {
  if (!isCalendarDate(date)) throw new RangeError(`${date} is not a YYYY-MM-DD date`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function format(year: number, month: number, day: number): DateText {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `months` calendar months after (negative: before) `date`, clamped to the month's end: 2024-01-31 + 1 → 2024-02-29. */
export function addMonths(date: DateText, months: number): DateText {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const toYear = Math.floor(index / 12);
  const toMonth = index - toYear * 12 + 1;
  return format(toYear, toMonth, Math.min(day, daysInMonth(toYear, toMonth)));
}

/** `days` days after (negative: before) `date`. */
export function addDays(date: DateText, days: number): DateText {
  const [year, month, day] = parts(date);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return format(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDates(a: DateText, b: DateText): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: DateText, b: DateText): boolean {
  return compareDates(a, b) < 0;
}

/** Whether `date` lies in [from, until); `until` null = no end. */
export function isWithin(date: DateText, from: DateText, until: DateText | null): boolean {
  return compareDates(from, date) <= 0 && (until === null || isBefore(date, until));
}

export function earliest(dates: readonly DateText[]): DateText | undefined {
  return dates.reduce<DateText | undefined>(
    (min, date) => (min === undefined || date < min ? date : min),
    undefined,
  );
}

export function latest(dates: readonly DateText[]): DateText | undefined {
  return dates.reduce<DateText | undefined>(
    (max, date) => (max === undefined || date > max ? date : max),
    undefined,
  );
}
