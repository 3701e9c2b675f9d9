import { createHmac } from 'node:crypto';
import { encodeBase32 } from './base32.ts';
import { type ResidentIdOptions, validateResidentId } from './resident-id.ts';

export const RESIDENT_ID_TOKEN_PREFIX = 'p_';
/** Base32 characters kept from the HMAC: 26 × 5 = 130 bits, so collisions are out of reach. */
export const RESIDENT_ID_TOKEN_LENGTH = 26;
export const MIN_TOKEN_KEY_BYTES = 32;

/**
 * A stable pseudonym for a resident identity number: `p_` + the first 26 characters of the lower-case
 * base32 HMAC-SHA-256 of the normalised number under `key`. Without the key the token reveals nothing
 * about the number; with another key it is a different token. Throws RangeError for a key shorter than
 * 32 bytes or an invalid number (the message does not quote the number).
 */
export function tokeniseResidentId(number: string, key: Uint8Array, options: ResidentIdOptions = {}): string {
  if (key.byteLength < MIN_TOKEN_KEY_BYTES) {
    throw new RangeError(
      `the tokenisation key must be at least ${MIN_TOKEN_KEY_BYTES} bytes, got ${key.byteLength}; ` +
        'use 32 random bytes, e.g. from crypto.randomBytes(32)',
    );
  }
  const result = validateResidentId(number, options);
  if (!result.valid) {
    throw new RangeError(`cannot tokenise an invalid resident identity number: ${result.reason.message}`);
  }
  const digest = createHmac('sha256', key).update(result.number, 'ascii').digest();
  return `${RESIDENT_ID_TOKEN_PREFIX}${encodeBase32(digest).slice(0, RESIDENT_ID_TOKEN_LENGTH)}`;
}
