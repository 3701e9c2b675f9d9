import { chinaToday } from '@credit/calendar';
import { isIsoDate, parseCompactDate } from './calendar-date.ts';
import { divisionProblem } from './divisions.ts';
import { normaliseCode } from './normalise.ts';
import { computeResidentIdCheckCharacter } from './resident-id-check-character.ts';
import { type Invalid, invalid, quoteCharacterAt } from './result.ts';

export type ResidentIdReasonCode =
  | 'ID_LENGTH'
  | 'ID_CHARSET'
  | 'ID_DIVISION'
  | 'ID_BIRTH_DATE'
  | 'ID_CHECK_CHARACTER';

export type Sex = 'male' | 'female';

export type ValidResidentId = {
  valid: true;
  number: string;
  divisionCode: string;
  /** `YYYY-MM-DD` */
  birthDate: string;
  sex: Sex;
};

export type ResidentIdResult = ValidResidentId | Invalid<ResidentIdReasonCode>;

export type ResidentIdOptions = {
  /** `YYYY-MM-DD`; birth dates after it are rejected. Defaults to today in China. */
  today?: string;
};

const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * Validates an 18-character resident identity number (GB 11643-1999); a lower-case x is accepted.
 * Reason messages never quote positions 7–17 (birth date and sequence), so they can be logged next to a
 * masked number without undoing the mask.
 */
export function validateResidentId(input: string, options: ResidentIdOptions = {}): ResidentIdResult {
  const today = options.today ?? chinaToday();
  if (!isIsoDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date, got '${today}'`);

  const number = normaliseCode(input);
  const fail = (reason: ResidentIdReasonCode, message: string) => invalid(input, number, reason, message);

  if (number.length !== 18) {
    return fail('ID_LENGTH', `a resident identity number has 18 characters, this has ${number.length}`);
  }
  const badIndex = [...number].findIndex((character, index) => !isAllowedAt(character, index));
  if (badIndex !== -1) {
    const allowed = badIndex === 17 ? 'a digit or X' : 'a digit';
    return fail(
      'ID_CHARSET',
      `character ${quoteCharacterAt(number, badIndex)} at position ${badIndex + 1} is not allowed; it must be ${allowed}`,
    );
  }

  const divisionCode = number.slice(0, 6);
  const problem = divisionProblem(divisionCode, { allowNational: false });
  if (problem !== undefined) {
    return fail('ID_DIVISION', `division code '${divisionCode}' (positions 1–6) ${problem}`);
  }

  const birthDate = parseCompactDate(number.slice(6, 14));
  if (birthDate === undefined) {
    return fail('ID_BIRTH_DATE', 'birth date (positions 7–14) is not a real calendar date');
  }
  if (birthDate < EARLIEST_BIRTH_DATE) {
    return fail('ID_BIRTH_DATE', `birth date (positions 7–14) is before ${EARLIEST_BIRTH_DATE}`);
  }
  if (birthDate > today) {
    return fail('ID_BIRTH_DATE', `birth date (positions 7–14) is in the future (today is ${today})`);
  }

  const expected = computeResidentIdCheckCharacter(number.slice(0, 17));
  const found = number.charAt(17);
  if (found !== expected) {
    return fail(
      'ID_CHECK_CHARACTER',
      `check character is '${found}' but the number's first 17 characters give '${expected}'`,
    );
  }

  // Position 17 is the last digit of the sequence: odd for men, even for women.
  const sex: Sex = Number(number.charAt(16)) % 2 === 1 ? 'male' : 'female';
  return { valid: true, number, divisionCode, birthDate, sex };
}

function isAllowedAt(character: string, index: number): boolean {
  return (character >= '0' && character <= '9') || (index === 17 && character === 'X');
}
