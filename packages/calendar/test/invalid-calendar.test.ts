import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../src/index.ts';
import { codedErrorOf, fixture } from './helpers.ts';

function loadError(name: string): string {
  return codedErrorOf(() => loadCalendar(fixture(name)), 'CALENDAR_INVALID').message;
}

describe('loadCalendar refuses a broken calendar file, naming the entry, the line and the rule', () => {
  it('loads the valid fixture the broken ones derive from', () => {
    const calendar = loadCalendar(fixture('valid-minimal.yaml'));
    expect(calendar.coveredYears).toEqual([2025]);
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true);
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
  });

  it('a date that does not exist', () => {
    const message = loadError('broken-not-a-date.yaml');
    expect(message).toContain('broken-not-a-date.yaml');
    expect(message).toContain('(1 problem(s))');
    expect(message).toMatch(
      /years\[0\]\.holidays\[0\]\.daysOff\[0\]\.to \(line 11\): 2025-02-30 \(last day off of 春节 2025\) is not a real date/,
    );
  });

  it('a date listed under another year', () => {
    expect(loadError('broken-wrong-year.yaml')).toMatch(
      /years\[0\]\.holidays\[1\]\.workingDays\[0\] \(line 15\): 2024-04-28 \(make-up working day of 劳动节 2025\) is not in the year 2025 it is listed under/,
    );
  });

  it('a make-up working day that is not a Saturday or Sunday', () => {
    expect(loadError('broken-weekday-make-up.yaml')).toMatch(
      /years\[0\]\.holidays\[1\]\.workingDays\[0\] \(line 15\): make-up working day 2025-04-30 of 劳动节 2025 is a Wednesday, not a Saturday or Sunday/,
    );
  });

  it('a day that is both a day off and a make-up working day', () => {
    expect(loadError('broken-off-and-make-up.yaml')).toMatch(
      /years\[0\]\.holidays\[1\]\.workingDays\[0\] \(line 15\): 2025-02-01 is both a make-up working day of 劳动节 2025 and a day off of 春节 2025/,
    );
  });

  it('a range of days off that runs backwards', () => {
    expect(loadError('broken-range-backwards.yaml')).toMatch(
      /years\[0\]\.holidays\[1\]\.daysOff\[0\] \(line 14\): days off of 劳动节 2025 run backwards: 2025-05-05 to 2025-05-01/,
    );
  });

  it('a day off listed twice', () => {
    expect(loadError('broken-duplicate-day-off.yaml')).toMatch(
      /years\[0\]\.holidays\[1\]\.daysOff\[0\] \(line 14\): 2025-02-04 is a day off twice \(春节 2025 and 劳动节 2025\)/,
    );
  });

  it('a make-up working day listed twice', () => {
    expect(loadError('broken-duplicate-make-up.yaml')).toMatch(
      /years\[0\]\.holidays\[1\]\.workingDays\[1\] \(line 15\): 2025-02-08 is a make-up working day twice \(春节 2025 and 劳动节 2025\)/,
    );
  });

  it('a year listed twice', () => {
    expect(loadError('broken-duplicate-year.yaml')).toMatch(
      /years\[1\]\.year \(line 16\): year 2025 is listed twice \(first at years\[0\]\)/,
    );
  });

  it('a version without a change entry', () => {
    expect(loadError('broken-change-log.yaml')).toMatch(
      /changes \(line 4\): no change entry for the calendar's version 2026\.2/,
    );
  });

  it('a shape the JSON Schema refuses: a holiday without daysOff, an unknown key, a date not YYYY-MM-DD', () => {
    const message = loadError('broken-shape.yaml');
    expect(message).toMatch(
      /years\[0\]\.holidays\[0\] \(line 10\): must have required property 'daysOff' \(rule required\)/,
    );
    expect(message).toMatch(
      /years\[0\]\.holidays\[0\] \(line 10\): must NOT have additional properties \(rule additionalProperties: note\)/,
    );
    expect(message).toMatch(
      /years\[0\]\.holidays\[1\]\.daysOff\[0\]\.from \(line 14\): must match pattern .* \(rule pattern\)/,
    );
  });

  it('YAML that must not load: a duplicate key', () => {
    const message = loadError('broken-syntax.yaml');
    expect(message).toContain('broken-syntax.yaml');
    expect(message).toMatch(/Map keys must be unique.*line 16/s);
  });
});
