import { dayOrThrow } from './calendar.ts';
import { dateOfDayNumber } from './dates.ts';
import { CalendarBadArgument } from './errors.ts';
import type { WorkingCalendar } from './types.ts';

/**
 * How a jurisdiction counts the days of a deadline ("within 7 days of the decision"): working days of the
 * calendar (the national rule for 双公示 and list designations), or plain calendar days.
 */
export type DayCounting = 'working-days' | 'calendar-days';

export const DAY_COUNTINGS = ['working-days', 'calendar-days'] as const satisfies readonly DayCounting[];

export function isDayCounting(value: string): value is DayCounting {
  return (DAY_COUNTINGS as readonly string[]).includes(value);
}

/**
 * Days after `from` up to and including `to`, counted the jurisdiction's way; 0 when `to` is not after `from`.
 * Calendar days need no holiday data, so they work for any year.
 */
export function daysBetween(
  calendar: WorkingCalendar,
  from: string,
  to: string,
  counting: DayCounting,
): number {
  if (counting === 'working-days') return calendar.workingDaysBetween(from, to);
  checkCounting(counting);
  return Math.max(0, dayOrThrow(to, 'to') - dayOrThrow(from, 'from'));
}

/** The date `n` days after `date` counted the jurisdiction's way (n >= 0): the last day of an n-day deadline. */
export function addDays(calendar: WorkingCalendar, date: string, n: number, counting: DayCounting): string {
  if (counting === 'working-days') return calendar.addWorkingDays(date, n);
  checkCounting(counting);
  const day = dayOrThrow(date);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw CalendarBadArgument(`the number of days to add must be a whole number >= 0, not ${n}`);
  }
  return dateOfDayNumber(day + n);
}

function checkCounting(counting: string): void {
  if (!isDayCounting(counting)) {
    throw CalendarBadArgument(`day counting ${counting} is not one of ${DAY_COUNTINGS.join(', ')}`);
  }
}
