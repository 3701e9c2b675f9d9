import { normaliseCode } from './normalise.ts';

// GB 11643-1999 (ISO 7064 MOD 11-2): weight of position i is 2^(18-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const SEVENTEEN_DIGITS = /^\d{17}$/;

/** The 18th character for a number's first 17 digits; throws RangeError for anything else. */
export function computeResidentIdCheckCharacter(first17: string): string {
  const digits = normaliseCode(first17);
  if (!SEVENTEEN_DIGITS.test(digits)) {
    throw new RangeError('expected the first 17 digits of a resident identity number');
  }
  let sum = 0;
  for (const [index, weight] of WEIGHTS.entries()) sum += Number(digits.charAt(index)) * weight;
  return CHECK_CHARACTERS.charAt(sum % 11);
}
