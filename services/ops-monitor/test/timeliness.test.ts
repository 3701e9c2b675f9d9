import { loadCalendar } from '@credit/calendar';
import { describe, expect, it } from 'vitest';
import {
  NATIONAL_TIMELINESS_RULE,
  ruleForRegion,
  summariseTimeliness,
  type TimelinessRule,
  timeliness,
} from '../src/timeliness.ts';

const calendar = loadCalendar();
const working = NATIONAL_TIMELINESS_RULE;
const calendarDays: TimelinessRule = { counting: 'calendar-days', deadlineDays: 7 };

describe('timeliness of a 双公示 record', () => {
  it('does not count the decision day itself', () => {
    expect(timeliness(calendar, working, '2025-03-03', '2025-03-03')).toMatchObject({
      days: 0,
      onTime: true,
    });
    // Monday to the next Monday, no holiday between: 5 working days, 7 calendar days.
    expect(timeliness(calendar, working, '2025-03-03', '2025-03-10')).toMatchObject({
      days: 5,
      onTime: true,
    });
    expect(timeliness(calendar, calendarDays, '2025-03-03', '2025-03-10')).toMatchObject({
      days: 7,
      onTime: true,
    });
  });

  it('skips the 2025 国庆/中秋 days off and counts the make-up Sunday Sep 28 and Saturday Oct 11', () => {
    // Friday Sep 26: Sep 28, 29, 30, Oct 9, 10, 11, 13 are working days 1..7.
    expect(timeliness(calendar, working, '2025-09-26', '2025-10-13')).toEqual({
      measured: true,
      days: 7,
      onTime: true,
      lastDueDate: '2025-10-13',
    });
    expect(timeliness(calendar, working, '2025-09-26', '2025-10-14')).toMatchObject({
      days: 8,
      onTime: false,
    });
    expect(timeliness(calendar, working, '2025-09-26', '2025-10-08')).toMatchObject({
      days: 3,
      onTime: true,
    });
    expect(timeliness(calendar, working, '2025-09-30', '2025-10-16')).toMatchObject({
      days: 7,
      onTime: true,
      lastDueDate: '2025-10-16',
    });
    expect(timeliness(calendar, working, '2025-09-30', '2025-10-17')).toMatchObject({
      days: 8,
      onTime: false,
    });
  });

  it('counts every day of the same holiday under calendar-day counting', () => {
    expect(timeliness(calendar, calendarDays, '2025-09-26', '2025-10-03')).toMatchObject({
      days: 7,
      onTime: true,
      lastDueDate: '2025-10-03',
    });
    expect(timeliness(calendar, calendarDays, '2025-09-26', '2025-10-13')).toMatchObject({
      days: 17,
      onTime: false,
    });
  });

  it('crosses the 2026 Spring Festival with its two make-up Saturdays', () => {
    // Thursday Feb 12: Feb 13, Sat Feb 14 (make-up), Feb 24..27, Sat Feb 28 (make-up) are working days 1..7.
    expect(timeliness(calendar, working, '2026-02-12', '2026-02-28')).toMatchObject({
      days: 7,
      onTime: true,
      lastDueDate: '2026-02-28',
    });
    expect(timeliness(calendar, working, '2026-02-12', '2026-03-02')).toMatchObject({
      days: 8,
      onTime: false,
    });
    expect(timeliness(calendar, calendarDays, '2026-02-12', '2026-02-19')).toMatchObject({
      days: 7,
      onTime: true,
    });
    expect(timeliness(calendar, calendarDays, '2026-02-12', '2026-02-20')).toMatchObject({
      days: 8,
      onTime: false,
    });
  });

  it('treats a record received on a rest day after the last due day as received before the next working day', () => {
    // Sunday Mar 1 2026 follows the last due day Feb 28 but adds no working day.
    expect(timeliness(calendar, working, '2026-02-12', '2026-03-01')).toMatchObject({
      days: 7,
      onTime: true,
    });
  });

  it('crosses the 2025 Spring Festival (make-up Sunday Jan 26 and Saturday Feb 8)', () => {
    expect(timeliness(calendar, working, '2025-01-24', '2025-02-08')).toMatchObject({
      days: 6,
      onTime: true,
    });
    expect(timeliness(calendar, working, '2025-01-24', '2025-02-10')).toMatchObject({
      days: 7,
      onTime: true,
      lastDueDate: '2025-02-10',
    });
    expect(timeliness(calendar, working, '2025-01-24', '2025-02-11')).toMatchObject({
      days: 8,
      onTime: false,
    });
  });

  it('does not guess working days in a year the holiday file does not cover', () => {
    expect(timeliness(calendar, working, '2023-05-01', '2023-05-05')).toEqual({
      measured: false,
      reason: 'calendar-year-not-covered',
    });
    // Calendar days need no holiday data.
    expect(timeliness(calendar, calendarDays, '2023-05-01', '2023-05-05')).toMatchObject({
      days: 4,
      onTime: true,
    });
    // Measurable although the deadline itself runs into an uncovered year.
    expect(timeliness(calendar, working, '2026-12-28', '2026-12-31')).toEqual({
      measured: true,
      days: 3,
      onTime: true,
      lastDueDate: null,
    });
  });
});

describe('a department timeliness summary', () => {
  it('weights each (decision, received) pair by its records and leaves unmeasurable ones out of the share', () => {
    const summary = summariseTimeliness(calendar, working, [
      { decisionDate: '2025-09-26', receivedDate: '2025-10-13', records: 3 },
      { decisionDate: '2025-09-26', receivedDate: '2025-10-14', records: 1 },
      { decisionDate: '2023-05-01', receivedDate: '2023-05-05', records: 2 },
    ]);
    expect(summary).toEqual({ records: 6, onTime: 3, late: 1, unmeasured: 2, onTimeShare: 0.75, maxDays: 8 });
    expect(summariseTimeliness(calendar, working, [])).toMatchObject({
      records: 0,
      onTimeShare: null,
      maxDays: null,
    });
  });
});

describe('the rule of a jurisdiction', () => {
  const rules = {
    default: working,
    byRegion: {
      '350000': calendarDays,
      '350100': { counting: 'working-days', deadlineDays: 5 } as TimelinessRule,
    },
  };

  it('takes the most specific of county, city, province, then the default', () => {
    expect(ruleForRegion(rules, '350102')).toEqual({ counting: 'working-days', deadlineDays: 5 });
    expect(ruleForRegion(rules, '350200')).toBe(calendarDays);
    expect(ruleForRegion(rules, '110000')).toBe(working);
    expect(ruleForRegion(rules, undefined)).toBe(working);
  });
});

describe('a decision dated after the record arrived', () => {
  it('is not counted as on time: it is unmeasured, a data error', () => {
    expect(timeliness(loadCalendar(), NATIONAL_TIMELINESS_RULE, '2025-10-20', '2025-10-13')).toEqual({
      measured: false,
      reason: 'decided-after-receipt',
    });
  });
});
