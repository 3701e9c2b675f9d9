import { isCodedError } from '@credit/errors';
import { maskIdentityNumberBytes, maskIdentityNumbers } from '@credit/identifiers';
import { isSingleObject, showRecord } from './dlq-avro.ts';

/**
 * Bytes of dead letters as JSON: headers kept exactly (a string when the bytes are UTF-8 that round-trips, else
 * `{base64}`), and keys and values shown to an operator as text when they are text, as JSON when they are a
 * record in Avro, else as base64. What is shown has identity numbers masked; what is stored, which a replay
 * re-injects, stays as it was.
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

const isBase64Header = (value: unknown): value is { base64: string } =>
  typeof value === 'object' && value !== null && typeof (value as { base64?: unknown }).base64 === 'string';

/** The headers as they were sent, byte for byte. */
export function decodeHeaders(stored: Record<string, unknown>): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (typeof value === 'string') headers[name] = Buffer.from(value, 'utf8');
    else if (isBase64Header(value)) headers[name] = Buffer.from(value.base64, 'base64');
  }
  return headers;
}

/** The stored headers as people see them: text, and the bytes inside base64, with identity numbers masked. */
export function showHeaders(stored: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    shown[maskIdentityNumbers(name)] =
      typeof value === 'string'
        ? maskIdentityNumbers(value)
        : isBase64Header(value)
          ? { base64: maskedBase64(Buffer.from(value.base64, 'base64'), false) }
          : JSON.parse(maskIdentityNumbers(JSON.stringify(value)));
  }
  return shown;
}

interface ShownHead {
  text: string;
  /** The whole value's length in bytes. */
  bytes: number;
  /** Only the first `SHOWN_BYTES` bytes are shown. */
  truncated: boolean;
}

export type ShownBytes =
  | (ShownHead & { encoding: 'utf8' })
  | (ShownHead & {
      /** `text` is the record as JSON. */
      encoding: 'avro';
      kind: string;
      /** The version the record was written with. */
      version: number;
    })
  | (ShownHead & {
      encoding: 'base64';
      /** For a value in Avro single-object encoding: why it is not shown decoded. */
      notDecoded?: string;
    });

export const SHOWN_BYTES = 4096;

const DIGIT = /[0-9]/;

/**
 * Where the run of ASCII digits that `head` ends with starts. At the end of a truncated head those digits may be
 * the start of an identity number, too short for its shape to show, and 17 of its 18 characters give away the
 * 18th (the check character).
 */
function digitsAtCut(head: string): number {
  let start = head.length;
  while (start > 0 && DIGIT.test(head.charAt(start - 1))) start -= 1;
  return start;
}

/** Base64 of `bytes` with identity numbers masked, and digits at the cut of a truncated head. */
function maskedBase64(bytes: Buffer, truncated: boolean): string {
  let masked = maskIdentityNumberBytes(bytes).bytes;
  // latin1: one character per byte, so the offset in the string is the offset in the buffer.
  const cut = truncated ? digitsAtCut(masked.toString('latin1')) : masked.length;
  if (cut < masked.length) masked = Buffer.from(masked).fill('*', cut);
  return masked.toString('base64');
}

/** `text` with identity numbers masked, and digits at the cut of a truncated head. */
function maskedText(text: string, truncated: boolean): string {
  const masked = maskIdentityNumbers(text);
  const cut = truncated ? digitsAtCut(masked) : masked.length;
  return masked.slice(0, cut) + '*'.repeat(masked.length - cut);
}

/**
 * `head` (the first SHOWN_BYTES bytes of a value of `total` bytes) as people may see it: a record in Avro
 * single-object encoding decoded to JSON, UTF-8 text as text, anything else as base64, identity numbers masked in
 * each. A multi-byte character cut at the end of a truncated head is dropped rather than turning the whole value
 * to base64.
 */
export function showBytes(head: Buffer, total: number): ShownBytes {
  const truncated = total > head.length;
  const sizes = { bytes: total, truncated };
  if (isSingleObject(head)) {
    const base64 = { encoding: 'base64', text: maskedBase64(head, truncated), ...sizes } as const;
    if (truncated)
      return {
        ...base64,
        notDecoded: `cut at ${head.length} of its ${total} bytes, the record cannot be decoded`,
      };
    try {
      const record = showRecord(head);
      return { encoding: 'avro', text: record.json, kind: record.kind, version: record.version, ...sizes };
    } catch (error) {
      // Anything that fails to decode is shown as bytes: one odd dead letter must not break the whole list.
      const reason = isCodedError(error)
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
      return { ...base64, notDecoded: maskIdentityNumbers(reason) };
    }
  }
  let decoded = asText(head);
  if (decoded === undefined && truncated) {
    for (let cut = 1; cut <= 3 && decoded === undefined && cut < head.length; cut += 1) {
      decoded = asText(head.subarray(0, head.length - cut));
    }
  }
  return decoded === undefined
    ? { encoding: 'base64', text: maskedBase64(head, truncated), ...sizes }
    : { encoding: 'utf8', text: maskedText(decoded, truncated), ...sizes };
}
