/**
 * A settable clock for a service under test (every service's deps take `now`): it stands still unless a test moves
 * it, so "today" cannot change under a test at midnight, and dates a test derives from it are the service's dates.
 */
export interface TestClock {
  now: () => Date;
  set(at: Date | string): void;
  /** Moves the clock on by `ms`. */
  advance(ms: number): void;
  /** The clock's date in China (UTC+8), `YYYY-MM-DD`: the date the services judge by. */
  today(): string;
  /** The China date `days` after the clock's (before it when negative). */
  daysFromToday(days: number): string;
}

export function testClock(start: Date = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set(at) {
      current = typeof at === 'string' ? Date.parse(at) : at.getTime();
      if (Number.isNaN(current)) throw new RangeError(`not a time: ${String(at)}`);
    },
    advance(ms) {
      current += ms;
    },
    today: () => chinaToday(new Date(current)),
    daysFromToday: (days) => shiftDate(chinaToday(new Date(current)), days),
  };
}

/** The date in China (UTC+8 all year) at `at`, `YYYY-MM-DD`, as the services' chinaToday gives it. */
function chinaToday(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** `date` (`YYYY-MM-DD`) moved by `days` calendar days. */
export function shiftDate(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(time)) throw new RangeError(`not a date: ${date}`);
  return new Date(time + days * 86_400_000).toISOString().slice(0, 10);
}
