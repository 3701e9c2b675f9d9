import { dateOfDayNumber, dayNumberOf, isWeekend, yearOfDayNumber } from './dates.ts';
import { CalendarBadArgument, CalendarYearNotCovered } from './errors.ts';
import type { CalendarChange, CalendarData, WorkingCalendar } from './types.ts';

/** The day number of a real date, or CALENDAR_BAD_ARGUMENT. */
export function dayOrThrow(date: string, what = 'date'): number {
  const day = typeof date === 'string' ? dayNumberOf(date) : undefined;
  if (day === undefined)
    throw CalendarBadArgument(`${what} ${String(date)} is not a YYYY-MM-DD calendar date`);
  return day;
}

/** The calendar over data that has passed the load-time checks. */
export function calendarOf(data: CalendarData, source: string): WorkingCalendar {
  const years = new Set(data.years.map((entry) => entry.year));
  const coveredYears = Object.freeze([...years].sort((a, b) => a - b));
  // Day number → holiday name for days off; make-up working days.
  const daysOff = new Map<number, string>();
  const workingDays = new Set<number>();
  for (const entry of data.years) {
    for (const holiday of entry.holidays) {
      for (const off of holiday.daysOff) {
        const [from, to] = typeof off === 'string' ? [off, off] : [off.from, off.to];
        const last = dayOrThrow(to);
        for (let day = dayOrThrow(from); day <= last; day += 1) daysOff.set(day, holiday.name);
      }
      for (const date of holiday.workingDays ?? []) workingDays.add(dayOrThrow(date));
    }
  }

  const coveredDay = (day: number, date: string): number => {
    const year = yearOfDayNumber(day);
    if (!years.has(year)) {
      throw CalendarYearNotCovered.with(
        { year, date, source, coveredYears },
        undefined,
        year,
        date,
        source,
        coveredYears.join(', '),
      );
    }
    return day;
  };
  const working = (day: number): boolean => workingDays.has(day) || (!isWeekend(day) && !daysOff.has(day));
  const workingOn = (day: number): boolean => working(coveredDay(day, dateOfDayNumber(day)));

  return {
    version: data.version,
    changes: Object.freeze(structuredClone(data.changes) as CalendarChange[]),
    jurisdiction: data.jurisdiction,
    source,
    coveredYears,
    covers: (date) => years.has(yearOfDayNumber(dayOrThrow(date))),
    isWorkingDay: (date) => working(coveredDay(dayOrThrow(date), date)),
    holidayOn: (date) => daysOff.get(coveredDay(dayOrThrow(date), date)),
    workingDaysBetween(from, to) {
      const start = dayOrThrow(from, 'from');
      const end = dayOrThrow(to, 'to');
      let count = 0;
      for (let day = start + 1; day <= end; day += 1) if (workingOn(day)) count += 1;
      return count;
    },
    addWorkingDays(date, n) {
      let day = dayOrThrow(date);
      if (!Number.isSafeInteger(n) || n < 0) {
        throw CalendarBadArgument(`the number of working days to add must be a whole number >= 0, not ${n}`);
      }
      for (let left = n; left > 0; ) {
        day += 1;
        if (workingOn(day)) left -= 1;
      }
      return dateOfDayNumber(day);
    },
  };
}
