import { addDays, CalendarYearNotCovered, type WorkingCalendar } from '@credit/calendar';
import type { DueDate } from './follow-lists.ts';

/** n working days after `from`; where the holiday file does not reach, n calendar days (never a guess at holidays). */
export function dueDates(calendar: WorkingCalendar): DueDate {
  return (from, days) => {
    try {
      return addDays(calendar, from, days, 'working-days');
    } catch (error) {
      if (!CalendarYearNotCovered.is(error)) throw error;
      return addDays(calendar, from, days, 'calendar-days');
    }
  };
}
