/**
 * A request string (path parameter, query parameter, body field) of `min` to `max` characters without NUL, which
 * PostgreSQL text cannot hold: a NUL reaching a query would be answered with a 500 instead of a 400.
 */
export function text(max: number, min = 0) {
  return { type: 'string', minLength: min, maxLength: max, pattern: '^[^\\u0000]*$' } as const;
}
