import { normaliseCode } from './normalise.ts';
import { validateResidentId } from './resident-id.ts';
import { RESIDENT_ID_TOKEN_PREFIX, tokeniseResidentId } from './token.ts';

/**
 * The subject as the unified database keys it: a resident identity number becomes its token (the aggregator's
 * HMAC), so the number is neither looked up nor stored; a token passes as it is (it is lower case, and
 * normalising would break it); other codes are normalised (full-width to ASCII, upper case).
 */
export function subjectKey(code: string, tokenKey: Uint8Array): string {
  const trimmed = code.trim();
  if (trimmed.startsWith(RESIDENT_ID_TOKEN_PREFIX)) return trimmed;
  const normalised = normaliseCode(trimmed);
  return validateResidentId(normalised).valid ? tokeniseResidentId(normalised, tokenKey) : normalised;
}
