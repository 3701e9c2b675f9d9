export type { Problem } from '@credit/data-file';

/** A day off: one date, or a range of dates, both ends included. */
export type DaysOff = string | { from: string; to: string };

export interface Holiday {
  /** Chinese name as in the notice, e.g. 春节, 国庆节、中秋节. */
  name: string;
  daysOff: DaysOff[];
  /** Make-up working days (调休上班): Saturdays or Sundays that are working days. */
  workingDays?: string[];
}

export interface CalendarYear {
  year: number;
  /** The 国务院办公厅 notice the dates come from. */
  notice: string;
  holidays: Holiday[];
}

export interface CalendarChange {
  version: string;
  date: string;
  changes: string[];
}

/** The data file's content once its shape is checked. */
export interface CalendarData {
  version: string;
  changes: CalendarChange[];
  /** ISO 3166 code, CN for the national calendar. */
  jurisdiction: string;
  years: CalendarYear[];
}

/**
 * A working-day calendar over the years of its data file. Dates are `YYYY-MM-DD` strings (a calendar date in
 * China). A date that is not a real date throws CALENDAR_BAD_ARGUMENT; a date in a year the file does not cover
 * throws CALENDAR_YEAR_NOT_COVERED wherever working days are needed.
 */
export interface WorkingCalendar {
  version: string;
  changes: readonly CalendarChange[];
  jurisdiction: string;
  /** The file the calendar was loaded from (named in errors). */
  source: string;
  /** The years the file has holiday arrangements for, ascending. */
  coveredYears: readonly number[];
  /** Whether the year of `date` is in the file, so working-day questions about it have an answer. */
  covers(date: string): boolean;
  /** Monday to Friday and not a holiday day off, or a make-up working day (调休上班). */
  isWorkingDay(date: string): boolean;
  /** The name of the holiday `date` is a day off of (春节), or undefined. */
  holidayOn(date: string): string | undefined;
  /**
   * Working days after `from` up to and including `to`; 0 when `to` is not after `from`. A record decided on a
   * Monday and reported the next Monday (no holiday between) is 5: "within 7 working days" is `<= 7`.
   */
  workingDaysBetween(from: string, to: string): number;
  /**
   * The date `n` working days after `date` (n >= 0; `date` itself for 0): the last day of a "within n working
   * days" deadline, so that workingDaysBetween(date, result) === n and the result is a working day.
   */
  addWorkingDays(date: string, n: number): string;
}
