import { loadDataFile, shapeCheck } from '@credit/data-file';
import { calendarOf } from './calendar.ts';
import { calendarProblems } from './checks.ts';
import { CalendarInvalid } from './errors.ts';
import { CHINA_HOLIDAYS_FILE, CHINA_HOLIDAYS_SCHEMA_FILE } from './paths.ts';
import type { CalendarData, WorkingCalendar } from './types.ts';

const checkShape = shapeCheck<CalendarData>(CHINA_HOLIDAYS_SCHEMA_FILE);

/**
 * Reads and checks a calendar file (default: the repository's data/china-holidays.yaml): YAML syntax, the JSON
 * Schema, then the load-time checks (real dates in their year, weekend make-up days, no day both off and a make-up
 * day, nothing listed twice, the change log). Any failure is one CALENDAR_INVALID error listing every problem with
 * its path and line.
 */
export function loadCalendar(file: string = CHINA_HOLIDAYS_FILE): WorkingCalendar {
  const { data } = loadDataFile(file, { checkShape, invalid: CalendarInvalid, crossCheck: calendarProblems });
  return calendarOf(structuredClone(data), file);
}
