/** Byte order, as Postgres's "C" collation would sort: the lock order must not depend on a locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
