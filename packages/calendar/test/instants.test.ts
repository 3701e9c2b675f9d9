import { describe, expect, it } from 'vitest';
import { isRealInstant } from '../src/index.ts';

describe('isRealInstant', () => {
  it('takes a real timestamp with its offset', () => {
    for (const text of ['2026-03-01T08:00:00+08:00', '2026-02-28T23:59:59.999999Z', '2024-02-29T00:00Z'])
      expect(isRealInstant(text), text).toBe(true);
  });

  it('refuses days, hours, minutes, seconds and offsets that do not exist', () => {
    for (const text of [
      '2026-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T00:00:00+16:00',
      '2026-01-01T00:00:00+08:60',
    ])
      expect(isRealInstant(text), text).toBe(false);
  });

  it('refuses a timestamp without an offset, and anything else', () => {
    for (const text of [
      '2026-01-01T00:00:00',
      '2026-01-01 00:00:00Z',
      '1',
      'now',
      '',
      '2026-01-01T00:00:00Z\u0000',
    ])
      expect(isRealInstant(text), text).toBe(false);
  });

  it('takes a bare real date only when asked to', () => {
    expect(isRealInstant('2026-03-01')).toBe(false);
    expect(isRealInstant('2026-03-01', { dateAlone: true })).toBe(true);
    expect(isRealInstant('2026-02-30', { dateAlone: true })).toBe(false);
  });
});
