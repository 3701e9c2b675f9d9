import { InvalidCursor } from './errors.ts';

type Key = (string | number)[];

/** Opaque keyset cursors: the sort key of the last row of a page, base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor holds, when `valid` accepts its parts (length, types, formats); a coded 400 otherwise. */
export function decodeCursor(cursor: string, valid: (key: Key) => boolean): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw InvalidCursor(cursor.slice(0, 80));
  }
  if (
    Array.isArray(key) &&
    // A NUL in a string part would reach PostgreSQL, which cannot hold it in text.
    key.every((part) => (typeof part === 'string' && !part.includes('\u0000')) || typeof part === 'number') &&
    valid(key)
  ) {
    return key;
  }
  throw InvalidCursor(cursor.slice(0, 80));
}
