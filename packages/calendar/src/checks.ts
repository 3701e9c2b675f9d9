import { changeLogProblems } from '@credit/data-file';
import { dateOfDayNumber, dayNumberOf, WEEKDAY_NAMES, weekdayOfDayNumber, yearOfDayNumber } from './dates.ts';
import type { CalendarData, CalendarYear, Problem } from './types.ts';

/**
 * What the JSON Schema cannot say: dates exist and belong to their year, ranges run forward, make-up working days
 * are Saturdays or Sundays and not also days off, nothing is listed twice, and the change log is complete.
 */
export function calendarProblems(data: CalendarData): Problem[] {
  const problems = changeLogProblems(data.changes, data.version, "the calendar's");
  const firstOfYear = new Map<number, number>();
  data.years.forEach((entry, index) => {
    const first = firstOfYear.get(entry.year);
    if (first !== undefined) {
      problems.push({
        path: ['years', index, 'year'],
        message: `year ${entry.year} is listed twice (first at years[${first}])`,
      });
    } else firstOfYear.set(entry.year, index);
    problems.push(...yearProblems(entry, index));
  });
  return problems;
}

function yearProblems(entry: CalendarYear, index: number): Problem[] {
  const problems: Problem[] = [];
  const at = (...path: (string | number)[]) => ['years', index, ...path];

  /** A real date of this year, or a problem and undefined. */
  const dayOf = (date: string, what: string, path: (string | number)[]): number | undefined => {
    const day = dayNumberOf(date);
    if (day === undefined) {
      problems.push({ path, message: `${date} (${what}) is not a real date` });
      return undefined;
    }
    if (yearOfDayNumber(day) !== entry.year) {
      problems.push({
        path,
        message: `${date} (${what}) is not in the year ${entry.year} it is listed under`,
      });
      return undefined;
    }
    return day;
  };

  const holidayNames = new Map<string, number>();
  // Day number → where it was first listed, for the duplicate and day-off/make-up checks.
  const daysOff = new Map<number, string>();
  const workingDays = new Map<number, string>();

  entry.holidays.forEach((holiday, position) => {
    const first = holidayNames.get(holiday.name);
    if (first !== undefined) {
      problems.push({
        path: at('holidays', position, 'name'),
        message: `holiday ${holiday.name} is listed twice in ${entry.year} (first at holidays[${first}])`,
      });
    } else holidayNames.set(holiday.name, position);
    const label = `${holiday.name} ${entry.year}`;

    holiday.daysOff.forEach((off, item) => {
      const path = at('holidays', position, 'daysOff', item);
      let days: number[] = [];
      if (typeof off === 'string') {
        const day = dayOf(off, `day off of ${label}`, path);
        if (day !== undefined) days = [day];
      } else {
        const from = dayOf(off.from, `first day off of ${label}`, [...path, 'from']);
        const to = dayOf(off.to, `last day off of ${label}`, [...path, 'to']);
        if (from !== undefined && to !== undefined) {
          if (to < from) {
            problems.push({ path, message: `days off of ${label} run backwards: ${off.from} to ${off.to}` });
          }
          for (let day = from; day <= to; day += 1) days.push(day);
        }
      }
      for (const day of days) {
        const seen = daysOff.get(day);
        if (seen !== undefined) {
          problems.push({
            path,
            message: `${dateOfDayNumber(day)} is a day off twice (${seen} and ${label})`,
          });
        } else daysOff.set(day, label);
      }
    });

    (holiday.workingDays ?? []).forEach((date, item) => {
      const path = at('holidays', position, 'workingDays', item);
      const day = dayOf(date, `make-up working day of ${label}`, path);
      if (day === undefined) return;
      const weekday = weekdayOfDayNumber(day);
      if (weekday !== 0 && weekday !== 6) {
        problems.push({
          path,
          message: `make-up working day ${date} of ${label} is a ${WEEKDAY_NAMES[weekday]}, not a Saturday or Sunday (weekdays are working days anyway)`,
        });
      }
      const seen = workingDays.get(day);
      if (seen !== undefined) {
        problems.push({ path, message: `${date} is a make-up working day twice (${seen} and ${label})` });
      } else workingDays.set(day, label);
    });
  });

  // After all holidays of the year: a make-up day may be listed before or after the holiday whose day off it is.
  entry.holidays.forEach((holiday, position) => {
    (holiday.workingDays ?? []).forEach((date, item) => {
      const day = dayNumberOf(date);
      const off = day === undefined ? undefined : daysOff.get(day);
      if (off !== undefined) {
        problems.push({
          path: at('holidays', position, 'workingDays', item),
          message: `${date} is both a make-up working day of ${holiday.name} ${entry.year} and a day off of ${off}`,
        });
      }
    });
  });
  return problems;
}
