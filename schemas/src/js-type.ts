/** What a JS value is, for "expected X, got Y" messages (typeof says "object" for null, arrays and Dates). */
export function jsTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  return typeof value;
}
