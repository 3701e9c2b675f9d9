import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { timelinessReport } from '../src/timeliness.ts';

// Answers every query with no rows: these tests are about which periods reach the database at all.
const empty = { query: async () => ({ rows: [] }) } as unknown as pg.Pool;
const outcome = (from: string, to: string) =>
  timelinessReport(empty, from, to, 7).then(
    () => 'answered',
    (error: { code?: string; statusCode?: number }) => `${error.statusCode} ${error.code}`,
  );

describe('timeliness report period', () => {
  it('covers a year at most, its leap day included', async () => {
    expect(await outcome('2024-01-01', '2024-12-31')).toBe('answered');
    expect(await outcome('2024-01-01', '2025-01-01')).toBe('400 LIST_PERIOD_TOO_LONG');
    expect(await outcome('2025-03-01', '2026-03-01')).toBe('answered');
    expect(await outcome('2025-03-01', '2026-03-02')).toBe('400 LIST_PERIOD_TOO_LONG');
  });

  it('needs real dates in order', async () => {
    expect(await outcome('2026-02-30', '2026-03-31')).toBe('400 LIST_INVALID_PERIOD');
    expect(await outcome('2026-03-02', '2026-03-01')).toBe('400 LIST_INVALID_PERIOD');
    expect(await outcome('2026-03-01', '2026-03-01')).toBe('answered');
  });
});
