import { describe, expect, it } from 'vitest';
import {
  addDays,
  DAY_COUNTINGS,
  daysBetween,
  isCalendarDate,
  isDayCounting,
  loadCalendar,
} from '../src/index.ts';
import { codedErrorOf, fixture } from './helpers.ts';

const calendar = loadCalendar();

describe('workingDaysBetween: working days after from, up to and including to', () => {
  it('a record decided on a Monday and reported the next Monday is 5', () => {
    expect(calendar.workingDaysBetween('2025-03-03', '2025-03-10')).toBe(5);
  });

  it('is 0 when to is not after from', () => {
    expect(calendar.workingDaysBetween('2025-03-03', '2025-03-03')).toBe(0);
    expect(calendar.workingDaysBetween('2025-03-10', '2025-03-03')).toBe(0);
  });

  it('does not count the day of the decision, counts the day of the report', () => {
    expect(calendar.workingDaysBetween('2025-03-03', '2025-03-04')).toBe(1);
    // Friday to the Saturday and Sunday after: nothing.
    expect(calendar.workingDaysBetween('2025-03-07', '2025-03-09')).toBe(0);
  });

  it('skips the 2025 National Day week and counts its Saturday make-up day', () => {
    // Tue 30 Sep: off 1–8 Oct; 9, 10, 11 (Sat, make-up), 13 Oct are working days.
    expect(calendar.workingDaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    expect(calendar.workingDaysBetween('2025-09-30', '2025-10-13')).toBe(4);
    // In calendar days the same span is 13.
    expect(daysBetween(calendar, '2025-09-30', '2025-10-13', 'calendar-days')).toBe(13);
  });

  it('counts the Sunday make-up day before a holiday', () => {
    // Fri 26 Sep 2025 to Tue 30 Sep: Sun 28 (make-up), Mon 29, Tue 30.
    expect(calendar.workingDaysBetween('2025-09-26', '2025-09-30')).toBe(3);
  });

  it('runs across the turn of a covered year', () => {
    // Tue 31 Dec 2024 to Mon 6 Jan 2025: 1 Jan off; 2, 3, 6 Jan working.
    expect(calendar.workingDaysBetween('2024-12-31', '2025-01-06')).toBe(3);
  });
});

describe('addWorkingDays: the last day of a "within n working days" deadline', () => {
  it('is the same date for 0 and a working day otherwise', () => {
    expect(calendar.addWorkingDays('2025-03-03', 0)).toBe('2025-03-03');
    expect(calendar.addWorkingDays('2025-03-03', 7)).toBe('2025-03-12');
    expect(calendar.addWorkingDays('2025-03-07', 1)).toBe('2025-03-10');
  });

  it('jumps the 2026 Spring Festival and lands on its Saturday make-up days', () => {
    // Thu 12 Feb 2026: 13 (Fri), 14 (Sat, make-up), then 24, 25, 26, 27, 28 (Sat, make-up).
    expect(calendar.addWorkingDays('2026-02-12', 7)).toBe('2026-02-28');
    expect(calendar.addWorkingDays('2026-02-12', 2)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-12', 3)).toBe('2026-02-24');
  });

  it('a 2025 National Day decision has its 7 working days end on 16 October', () => {
    expect(calendar.addWorkingDays('2025-09-30', 7)).toBe('2025-10-16');
  });

  it('is the inverse of workingDaysBetween', () => {
    for (const start of [
      '2024-02-08',
      '2024-09-28',
      '2025-01-24',
      '2025-04-30',
      '2026-09-18',
      '2026-12-01',
    ]) {
      for (const n of [1, 5, 7, 15]) {
        const end = calendar.addWorkingDays(start, n);
        expect(calendar.workingDaysBetween(start, end), `${start} + ${n}`).toBe(n);
        expect(calendar.isWorkingDay(end), `${start} + ${n}`).toBe(true);
      }
    }
  });

  it('refuses a negative or fractional count', () => {
    expect(
      codedErrorOf(() => calendar.addWorkingDays('2025-03-03', -1), 'CALENDAR_BAD_ARGUMENT').message,
    ).toMatch(/whole number >= 0, not -1/);
    codedErrorOf(() => calendar.addWorkingDays('2025-03-03', 1.5), 'CALENDAR_BAD_ARGUMENT');
  });
});

describe('day counting: working days or calendar days', () => {
  it('knows both ways', () => {
    expect(DAY_COUNTINGS).toEqual(['working-days', 'calendar-days']);
    expect(isDayCounting('calendar-days')).toBe(true);
    expect(isDayCounting('business-days')).toBe(false);
  });

  it('counts working days through the calendar', () => {
    expect(daysBetween(calendar, '2026-02-12', '2026-02-28', 'working-days')).toBe(7);
    expect(addDays(calendar, '2026-02-12', 7, 'working-days')).toBe('2026-02-28');
  });

  it('counts calendar days without holidays, and for any year', () => {
    expect(daysBetween(calendar, '2026-02-12', '2026-02-19', 'calendar-days')).toBe(7);
    expect(daysBetween(calendar, '2026-02-19', '2026-02-12', 'calendar-days')).toBe(0);
    expect(addDays(calendar, '2026-02-12', 7, 'calendar-days')).toBe('2026-02-19');
    expect(daysBetween(calendar, '2030-02-26', '2030-03-05', 'calendar-days')).toBe(7);
    expect(addDays(calendar, '2028-02-27', 3, 'calendar-days')).toBe('2028-03-01');
  });

  it('refuses an unknown counting', () => {
    codedErrorOf(
      () => daysBetween(calendar, '2026-02-12', '2026-02-19', 'business-days' as 'calendar-days'),
      'CALENDAR_BAD_ARGUMENT',
    );
  });
});

describe('years the file does not cover', () => {
  it('covers only the years of the file', () => {
    expect(calendar.covers('2024-01-01')).toBe(true);
    expect(calendar.covers('2026-12-31')).toBe(true);
    expect(calendar.covers('2023-12-31')).toBe(false);
    expect(calendar.covers('2027-01-01')).toBe(false);
  });

  it('throws CALENDAR_YEAR_NOT_COVERED naming the year and the file, and does not guess', () => {
    const error = codedErrorOf(() => calendar.isWorkingDay('2027-01-04'), 'CALENDAR_YEAR_NOT_COVERED');
    expect(error.message).toContain('the year 2027 (date 2027-01-04)');
    expect(error.message).toContain('china-holidays.yaml');
    expect(error.message).toContain('2024, 2025, 2026');
    expect(error.details).toMatchObject({ year: 2027, date: '2027-01-04', source: calendar.source });
  });

  it('throws when a count or deadline runs into an uncovered year', () => {
    expect(
      codedErrorOf(() => calendar.workingDaysBetween('2026-12-28', '2027-01-05'), 'CALENDAR_YEAR_NOT_COVERED')
        .message,
    ).toContain('the year 2027 (date 2027-01-01)');
    codedErrorOf(() => calendar.addWorkingDays('2026-12-30', 5), 'CALENDAR_YEAR_NOT_COVERED');
    codedErrorOf(
      () => daysBetween(calendar, '2023-12-25', '2024-01-03', 'working-days'),
      'CALENDAR_YEAR_NOT_COVERED',
    );
    codedErrorOf(() => calendar.holidayOn('2023-10-01'), 'CALENDAR_YEAR_NOT_COVERED');
  });

  it('names the fixture file when a fixture calendar is asked about another year', () => {
    const small = loadCalendar(fixture('valid-minimal.yaml'));
    expect(codedErrorOf(() => small.isWorkingDay('2024-05-06'), 'CALENDAR_YEAR_NOT_COVERED').message).toMatch(
      /valid-minimal\.yaml has the years 2025 only/,
    );
  });
});

describe('dates are YYYY-MM-DD calendar dates', () => {
  it('tells real dates from the rest', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-2-1')).toBe(false);
    expect(isCalendarDate('2025-02-01T00:00:00Z')).toBe(false);
  });

  it('refuses anything else with CALENDAR_BAD_ARGUMENT', () => {
    expect(codedErrorOf(() => calendar.isWorkingDay('2025-02-30'), 'CALENDAR_BAD_ARGUMENT').message).toBe(
      'date 2025-02-30 is not a YYYY-MM-DD calendar date',
    );
    codedErrorOf(() => calendar.workingDaysBetween('2025/03/03', '2025-03-10'), 'CALENDAR_BAD_ARGUMENT');
    codedErrorOf(() => calendar.covers('tomorrow'), 'CALENDAR_BAD_ARGUMENT');
  });
});
