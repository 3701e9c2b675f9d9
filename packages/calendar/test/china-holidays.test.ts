import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHINA_HOLIDAYS_FILE, CHINA_HOLIDAYS_SCHEMA_FILE, loadCalendar } from '../src/index.ts';

const calendar = loadCalendar();

/** The dates from `from` to `to`, both included, that are (or are not) working days. */
function days(from: string, to: string): { date: string; working: boolean }[] {
  const result: { date: string; working: boolean }[] = [];
  for (
    let time = Date.parse(`${from}T00:00:00Z`);
    time <= Date.parse(`${to}T00:00:00Z`);
    time += 86_400_000
  ) {
    const date = new Date(time).toISOString().slice(0, 10);
    result.push({ date, working: calendar.isWorkingDay(date) });
  }
  return result;
}

function daysOff(from: string, to: string): string[] {
  return days(from, to)
    .filter((day) => !day.working)
    .map((day) => day.date);
}

describe('the repository calendar (data/china-holidays.yaml)', () => {
  it('loads, passes its JSON Schema and checks, and says which version and jurisdiction it is', () => {
    expect(calendar.version).toBe('2026.1');
    expect(calendar.changes.map((change) => change.version)).toContain(calendar.version);
    expect(calendar.jurisdiction).toBe('CN');
    expect(calendar.source).toBe(CHINA_HOLIDAYS_FILE);
    expect(calendar.coveredYears).toEqual([2024, 2025, 2026]);
  });

  it('declares JSON Schema draft 2020-12', () => {
    const schema = JSON.parse(readFileSync(CHINA_HOLIDAYS_SCHEMA_FILE, 'utf8')) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('says where its dates come from and that uncovered years are an error', () => {
    const text = readFileSync(CHINA_HOLIDAYS_FILE, 'utf8');
    expect(text).toContain('国务院办公厅');
    expect(text).toContain('国办发明电');
    expect(text).toContain('CALENDAR_YEAR_NOT_COVERED');
  });

  it('2024 Spring Festival: Feb 10–17 off, Sundays Feb 4 and Feb 18 working', () => {
    expect(daysOff('2024-02-03', '2024-02-19')).toEqual([
      '2024-02-03',
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
      '2024-02-13',
      '2024-02-14',
      '2024-02-15',
      '2024-02-16',
      '2024-02-17',
    ]);
    expect(calendar.isWorkingDay('2024-02-04')).toBe(true);
    expect(calendar.isWorkingDay('2024-02-18')).toBe(true);
    expect(calendar.holidayOn('2024-02-12')).toBe('春节');
  });

  it('2024 Labour Day: May 1–5 off, Sunday Apr 28 and Saturday May 11 working', () => {
    expect(daysOff('2024-04-27', '2024-05-12')).toEqual([
      '2024-04-27',
      '2024-05-01',
      '2024-05-02',
      '2024-05-03',
      '2024-05-04',
      '2024-05-05',
      '2024-05-12',
    ]);
  });

  it('2024: New Year, Dragon Boat and Mid-Autumn days off and their make-up days', () => {
    expect(calendar.isWorkingDay('2024-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2024-01-02')).toBe(true);
    expect(calendar.isWorkingDay('2024-06-10')).toBe(false);
    expect(daysOff('2024-09-14', '2024-09-18')).toEqual(['2024-09-15', '2024-09-16', '2024-09-17']);
    expect(calendar.isWorkingDay('2024-09-29')).toBe(true);
    expect(calendar.isWorkingDay('2024-10-12')).toBe(true);
  });

  it('2025 National Day and Mid-Autumn: Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 working', () => {
    expect(days('2025-09-27', '2025-10-12')).toEqual(
      [
        ['2025-09-27', false],
        ['2025-09-28', true],
        ['2025-09-29', true],
        ['2025-09-30', true],
        ['2025-10-01', false],
        ['2025-10-02', false],
        ['2025-10-03', false],
        ['2025-10-04', false],
        ['2025-10-05', false],
        ['2025-10-06', false],
        ['2025-10-07', false],
        ['2025-10-08', false],
        ['2025-10-09', true],
        ['2025-10-10', true],
        ['2025-10-11', true],
        ['2025-10-12', false],
      ].map(([date, working]) => ({ date, working })),
    );
    expect(calendar.holidayOn('2025-10-06')).toBe('国庆节、中秋节');
  });

  it('2025 Spring Festival: Jan 28–Feb 4 off, Sunday Jan 26 and Saturday Feb 8 working', () => {
    expect(daysOff('2025-01-25', '2025-02-09')).toEqual([
      '2025-01-25',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
      '2025-02-04',
      '2025-02-09',
    ]);
  });

  it('2025: Qingming, Labour Day and Dragon Boat', () => {
    expect(daysOff('2025-04-04', '2025-04-07')).toEqual(['2025-04-04', '2025-04-05', '2025-04-06']);
    expect(calendar.isWorkingDay('2025-04-27')).toBe(true);
    expect(daysOff('2025-04-30', '2025-05-06')).toEqual([
      '2025-05-01',
      '2025-05-02',
      '2025-05-03',
      '2025-05-04',
      '2025-05-05',
    ]);
    expect(daysOff('2025-05-30', '2025-06-03')).toEqual(['2025-05-31', '2025-06-01', '2025-06-02']);
  });

  it('2026 Spring Festival: Feb 15–23 off, Saturdays Feb 14 and Feb 28 working', () => {
    expect(days('2026-02-13', '2026-03-01')).toEqual(
      [
        ['2026-02-13', true],
        ['2026-02-14', true],
        ['2026-02-15', false],
        ['2026-02-16', false],
        ['2026-02-17', false],
        ['2026-02-18', false],
        ['2026-02-19', false],
        ['2026-02-20', false],
        ['2026-02-21', false],
        ['2026-02-22', false],
        ['2026-02-23', false],
        ['2026-02-24', true],
        ['2026-02-25', true],
        ['2026-02-26', true],
        ['2026-02-27', true],
        ['2026-02-28', true],
        ['2026-03-01', false],
      ].map(([date, working]) => ({ date, working })),
    );
  });

  it('2026: New Year Jan 1–3 with Sunday Jan 4 working, Labour Day, Mid-Autumn and National Day', () => {
    expect(daysOff('2026-01-01', '2026-01-05')).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(calendar.isWorkingDay('2026-05-09')).toBe(true);
    expect(daysOff('2026-06-19', '2026-06-22')).toEqual(['2026-06-19', '2026-06-20', '2026-06-21']);
    expect(daysOff('2026-09-25', '2026-09-28')).toEqual(['2026-09-25', '2026-09-26', '2026-09-27']);
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(daysOff('2026-10-01', '2026-10-11')).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
      '2026-10-11',
    ]);
  });

  it('has the working days a year that weekdays, holiday weekdays and make-up days give', () => {
    // 2024: 262 weekdays - 19 holiday weekdays + 8 make-up days; 2025: 261 - 18 + 5; 2026: 261 - 19 + 6.
    const count = (year: number) => calendar.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`);
    expect([count(2024), count(2025), count(2026)]).toEqual([251, 248, 248]);
  });
});
