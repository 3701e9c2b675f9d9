import { loadCalendar } from '@credit/calendar';
import { describe, expect, it } from 'vitest';
import { assessSilence, DEFAULT_SILENCE_POLICY, percentile } from '../src/silence.ts';

const calendar = loadCalendar();

/** Every date from `from` to `to` (both included) that `keep` accepts. */
function datesBetween(from: string, to: string, keep: (date: string) => boolean): string[] {
  const dates: string[] = [];
  for (let time = Date.parse(from); time <= Date.parse(to); time += 86_400_000) {
    const date = new Date(time).toISOString().slice(0, 10);
    if (keep(date)) dates.push(date);
  }
  return dates;
}

const everyWorkingDay = (from: string, to: string) => datesBetween(from, to, (d) => calendar.isWorkingDay(d));

describe('a department that reports every working day', () => {
  const history = everyWorkingDay('2025-11-03', '2025-11-21');

  it('is not silent over a weekend and two quiet days', () => {
    expect(assessSilence(calendar, history, '2025-11-25')).toEqual({
      lastReportingDay: '2025-11-21',
      silentDays: 2,
      usualGapDays: 1,
      thresholdDays: 3,
      alert: false,
    });
  });

  it('raises its alert after more than three times its usual gap', () => {
    expect(assessSilence(calendar, history, '2025-11-27')).toMatchObject({ silentDays: 4, alert: true });
  });

  it('is not silent over the 2025 国庆 break when counting working days, but would be in calendar days', () => {
    const beforeHoliday = everyWorkingDay('2025-09-01', '2025-09-30');
    expect(assessSilence(calendar, beforeHoliday, '2025-10-09')).toMatchObject({
      silentDays: 1,
      alert: false,
    });
    const calendarDays = { ...DEFAULT_SILENCE_POLICY, counting: 'calendar-days' as const };
    expect(assessSilence(calendar, beforeHoliday, '2025-10-09', calendarDays)).toMatchObject({
      silentDays: 9,
      alert: true,
    });
  });
});

describe('a department that reports weekly', () => {
  const mondays = datesBetween('2025-03-03', '2025-04-28', (d) => new Date(d).getUTCDay() === 1);

  it('is judged by its own rhythm, not a daily one', () => {
    const quiet = assessSilence(calendar, mondays, '2025-05-14');
    expect(quiet).toMatchObject({ lastReportingDay: '2025-04-28', usualGapDays: 5, thresholdDays: 15 });
    expect(quiet.alert).toBe(false);
    expect(assessSilence(calendar, mondays, '2025-05-30')).toMatchObject({ alert: true });
  });
});

describe('silence without a rhythm', () => {
  it('judges by the longest gap seen when the history is too short to have a rhythm', () => {
    expect(assessSilence(calendar, ['2025-11-03', '2025-11-04'], '2025-11-07')).toMatchObject({
      usualGapDays: null,
      thresholdDays: 3,
      silentDays: 3,
      alert: false,
    });
    expect(assessSilence(calendar, ['2025-11-03', '2025-11-04'], '2025-11-10')).toMatchObject({
      silentDays: 4,
      alert: true,
    });
  });

  it('does not alert for a department that never reported', () => {
    expect(assessSilence(calendar, [], '2025-11-07')).toMatchObject({ silentDays: null, alert: false });
  });

  it('ignores reporting days after today and duplicates', () => {
    const history = ['2025-11-05', '2025-11-05', '2025-11-04', '2025-11-03', '2025-11-06', '2025-12-01'];
    expect(assessSilence(calendar, history, '2025-11-07')).toMatchObject({
      lastReportingDay: '2025-11-06',
      silentDays: 1,
      usualGapDays: 1,
      alert: false,
    });
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([1, 1, 1, 9], 0.9)).toBe(9);
    expect(percentile([4], 0)).toBe(4);
  });
});

describe('too little history to tell a rhythm', () => {
  it('does not flag a monthly reporter in the middle of its month', () => {
    const calendar = loadCalendar();
    const silence = assessSilence(calendar, ['2026-08-03', '2026-09-01', '2026-10-09'], '2026-10-23');
    expect(silence.usualGapDays).toBeNull();
    expect(silence.alert).toBe(false);
    expect(assessSilence(calendar, ['2026-08-03', '2026-09-01', '2026-10-09'], '2027-03-01').alert).toBe(
      true,
    );
  });
});
