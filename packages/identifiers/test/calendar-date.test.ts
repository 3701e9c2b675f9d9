import { chinaToday } from '@credit/calendar';
import { describe, expect, it } from 'vitest';
import { isIsoDate, parseCompactDate } from '../src/calendar-date.ts';

describe('calendar dates', () => {
  it('parses YYYYMMDD into YYYY-MM-DD only when the day exists', () => {
    expect(parseCompactDate('20240229')).toBe('2024-02-29');
    expect(parseCompactDate('21000229')).toBeUndefined();
    expect(parseCompactDate('20240431')).toBeUndefined();
    expect(parseCompactDate('2024022')).toBeUndefined();
  });

  it('recognises YYYY-MM-DD dates', () => {
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-2-29')).toBe(false);
  });

  it("takes today's date in China, eight hours ahead of UTC", () => {
    expect(chinaToday(new Date('2025-06-01T15:59:59Z'))).toBe('2025-06-01');
    expect(chinaToday(new Date('2025-06-01T16:00:00Z'))).toBe('2025-06-02');
  });
});
