import { defineError } from '@credit/errors';

/** The calendar file does not load: YAML syntax, JSON Schema or a load-time check; every problem listed. */
export const CalendarInvalid = defineError<[source: string, count: number, problems: string]>(
  'CALENDAR_INVALID',
  500,
  'the working-day calendar %s is invalid (%d problem(s)):\n%s',
);

/** A working day was asked about in a year the calendar file has no holiday arrangement for. */
export const CalendarYearNotCovered = defineError<
  [year: number, date: string, source: string, covered: string]
>(
  'CALENDAR_YEAR_NOT_COVERED',
  422,
  'the working-day calendar does not cover the year %d (date %s): %s has the years %s only; add the 国务院办公厅 holiday arrangement for that year to it (working days are not guessed)',
);

/** A date that is not a real YYYY-MM-DD calendar date, or a day count that is not a whole number. */
export const CalendarBadArgument = defineError<[problem: string]>('CALENDAR_BAD_ARGUMENT', 400, '%s');
