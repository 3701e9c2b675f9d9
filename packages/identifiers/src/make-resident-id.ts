import { computeResidentIdCheckCharacter } from './resident-id-check-character.ts';

export type ResidentIdParts = {
  /** 6 digits, e.g. '110101'. */
  division: string;
  /** `YYYY-MM-DD` or `YYYYMMDD`. */
  birthDate: string;
  /** 0–999; odd for a man, even for a woman. */
  sequence: number;
};

const SIX_DIGITS = /^\d{6}$/;
const EIGHT_DIGITS = /^\d{8}$/;

/**
 * Builds a resident identity number with its check character, for fixtures. It does not check that the
 * division or date exist, so tests can also build numbers that fail only on those.
 */
export function makeResidentId(parts: ResidentIdParts): string {
  const birthDate = parts.birthDate.replaceAll('-', '');
  if (!SIX_DIGITS.test(parts.division))
    throw new RangeError(`division must be 6 digits, got '${parts.division}'`);
  if (!EIGHT_DIGITS.test(birthDate)) {
    throw new RangeError(`birthDate must be YYYY-MM-DD or YYYYMMDD, got '${parts.birthDate}'`);
  }
  if (!Number.isInteger(parts.sequence) || parts.sequence < 0 || parts.sequence > 999) {
    throw new RangeError(`sequence must be an integer from 0 to 999, got ${parts.sequence}`);
  }
  const first17 = `${parts.division}${birthDate}${String(parts.sequence).padStart(3, '0')}`;
  return `${first17}${computeResidentIdCheckCharacter(first17)}`;
}
