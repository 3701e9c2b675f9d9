import { describe, expect, it } from 'vitest';
import { chinaDateTime, chinaToday } from '../src/china-time.ts';

describe('China wall-clock time (UTC+8 all year)', () => {
  it('turns the date at 16:00 UTC, not at midnight UTC', () => {
    expect(chinaToday(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
    expect(chinaToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    // No daylight saving: the same offset in summer.
    expect(chinaToday(new Date('2026-07-01T16:00:00Z'))).toBe('2026-07-02');
  });

  it('writes a time as China wall-clock time to the second', () => {
    expect(chinaDateTime(new Date('2025-10-13T01:30:05.750Z'))).toBe('2025-10-13 09:30:05');
    expect(chinaDateTime(new Date('2024-02-28T16:00:00Z'))).toBe('2024-02-29 00:00:00');
  });
});
