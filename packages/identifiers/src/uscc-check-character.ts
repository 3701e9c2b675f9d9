import { normaliseCode } from './normalise.ts';

/** GB 32100-2015: digits and upper-case letters without I, O, S, V, Z; a character's value is its index. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// Weight of position i is 3^(i-1) mod 31.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export function isUsccCharacter(character: string): boolean {
  return character.length === 1 && USCC_CHARSET.includes(character);
}

/** The 18th character for a code's first 17; throws RangeError when they are not 17 charset characters. */
export function computeUsccCheckCharacter(first17: string): string {
  const code = normaliseCode(first17);
  if (code.length !== WEIGHTS.length || ![...code].every(isUsccCharacter)) {
    throw new RangeError(
      `expected the first 17 characters of a unified social credit code, got '${first17}'`,
    );
  }
  let sum = 0;
  for (const [index, weight] of WEIGHTS.entries()) sum += USCC_CHARSET.indexOf(code.charAt(index)) * weight;
  const check = 31 - (sum % 31);
  return USCC_CHARSET.charAt(check === 31 ? 0 : check);
}
