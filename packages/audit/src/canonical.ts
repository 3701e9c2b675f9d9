import { NotCanonicalJson } from './errors.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * JSON with object keys sorted (recursively, by UTF-16 code units as `Array.prototype.sort` does), no whitespace;
 * arrays keep their order. Strings and numbers are written as JSON.stringify writes them. The same value always
 * gives the same text, however its keys were ordered, and a jsonb round trip (which reorders keys) does not change
 * it. Anything that is not plain JSON (undefined, functions, NaN, Infinity, bigint, class instances such as Date)
 * is refused rather than silently dropped or converted, since the text is what gets hashed.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, at: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw NotCanonicalJson(at, String(value));
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((item, index) => write(item, `${at}[${index}]`)).join(',')}]`;
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw NotCanonicalJson(at, `a ${value.constructor?.name ?? 'non-plain'} object`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${write(record[key], `${at}.${key}`)}`).join(',')}}`;
    }
    default:
      throw NotCanonicalJson(at, typeof value);
  }
}
