/** China's wall-clock time: UTC+8 all year, no daylight saving. The one home of "today in China". */

const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;

/** Today's date in China at `now`, `YYYY-MM-DD`. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** `at` as China wall-clock time, `YYYY-MM-DD hh:mm:ss`. */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
