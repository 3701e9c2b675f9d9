export { chinaDateTime, chinaToday } from './china-time.ts';
export { addDays, DAY_COUNTINGS, type DayCounting, daysBetween, isDayCounting } from './counting.ts';
export { isCalendarDate } from './dates.ts';
export { CalendarBadArgument, CalendarInvalid, CalendarYearNotCovered } from './errors.ts';
export { isRealInstant } from './instants.ts';
export { loadCalendar } from './load.ts';
export { CHINA_HOLIDAYS_FILE, CHINA_HOLIDAYS_SCHEMA_FILE } from './paths.ts';
export type {
  CalendarChange,
  CalendarData,
  CalendarYear,
  DaysOff,
  Holiday,
  Problem,
  WorkingCalendar,
} from './types.ts';
