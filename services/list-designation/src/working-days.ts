import { CalendarYearNotCovered, type WorkingCalendar } from '@credit/calendar';
import type { WorkingDaysCounter } from './reconcile.ts';

/** Working days between two dates, or null when the holiday file does not cover their years (never a guess). */
export function workingDaysCounter(calendar: WorkingCalendar): WorkingDaysCounter {
  return (from, to) => {
    try {
      return calendar.workingDaysBetween(from, to);
    } catch (error) {
      if (CalendarYearNotCovered.is(error)) return null;
      throw error;
    }
  };
}
