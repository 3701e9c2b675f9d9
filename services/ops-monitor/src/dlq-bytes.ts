import { maskIdentityNumbers } from '@credit/kit';

/**
 * Bytes of dead letters as JSON: headers kept exactly (a string when the bytes are UTF-8 that round-trips, else
 * `{base64}`), and keys and values shown to an operator as text when they are text.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes` when they are valid UTF-8 without NUL (which jsonb and text columns refuse). */
function asText(bytes: Buffer): string | undefined {
  try {
    const decoded = utf8.decode(bytes);
    return decoded.includes('\u0000') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

export type StoredHeader = string | { base64: string };

export function encodeHeaders(headers: Record<string, Buffer | undefined>): Record<string, StoredHeader> {
  const encoded: Record<string, StoredHeader> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    encoded[name.replaceAll('\u0000', '')] = asText(value) ?? { base64: value.toString('base64') };
  }
  return encoded;
}

/** The headers as they were sent, byte for byte. */
export function decodeHeaders(stored: Record<string, unknown>): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (typeof value === 'string') headers[name] = Buffer.from(value, 'utf8');
    else if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as StoredHeader & object).base64 === 'string'
    )
      headers[name] = Buffer.from((value as { base64: string }).base64, 'base64');
  }
  return headers;
}

export interface ShownBytes {
  encoding: 'utf8' | 'base64';
  text: string;
  /** The whole value's length in bytes. */
  bytes: number;
  /** Only the first `SHOWN_BYTES` bytes are shown. */
  truncated: boolean;
}

export const SHOWN_BYTES = 4096;

/**
 * `head` (the first SHOWN_BYTES bytes of a value of `total` bytes) as UTF-8 text when it is text, else base64. A
 * multi-byte character cut at the end of a truncated head is dropped rather than turning the whole value to base64.
 */
export function showBytes(head: Buffer, total: number): ShownBytes {
  const truncated = total > head.length;
  let decoded = asText(head);
  if (decoded === undefined && truncated) {
    for (let cut = 1; cut <= 3 && decoded === undefined && cut < head.length; cut += 1) {
      decoded = asText(head.subarray(0, head.length - cut));
    }
  }
  return decoded === undefined
    ? { encoding: 'base64', text: head.toString('base64'), bytes: total, truncated }
    : // Identity numbers (a person's key, a legal representative's number) are masked in what people see; the
      // stored bytes, which a replay re-injects, stay as they were.
      { encoding: 'utf8', text: maskIdentityNumbers(decoded), bytes: total, truncated };
}
