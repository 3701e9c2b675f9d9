import { isCalendarDate } from '@credit/calendar';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, compareDates, isWithin } from '../src/rules/dates.ts';

describe('date arithmetic on YYYY-MM-DD', () => {
  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-03-15', 36)).toBe('2028-03-15');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });

  it('subtracts months', () => {
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('compares and tests half-open ranges', () => {
    expect(compareDates('2025-01-01', '2025-01-02')).toBeLessThan(0);
    expect(compareDates('2025-01-02', '2025-01-02')).toBe(0);
    expect(isWithin('2025-01-01', '2025-01-01', '2025-02-01')).toBe(true);
    expect(isWithin('2025-02-01', '2025-01-01', '2025-02-01')).toBe(false);
    expect(isWithin('2099-01-01', '2025-01-01', null)).toBe(true);
  });

  it('knows real calendar dates and refuses others', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
    expect(() => addMonths('2025-13-01', 1)).toThrow(RangeError);
  });
});
