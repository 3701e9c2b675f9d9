import { divisionProblem } from './divisions.ts';
import { computeMod1110CheckDigit } from './iso7064-mod-11-10.ts';
import { normaliseCode } from './normalise.ts';
import { type Invalid, invalid, quoteCharacterAt } from './result.ts';

export type RegistrationNumberReasonCode = 'REG_LENGTH' | 'REG_CHARSET' | 'REG_DIVISION' | 'REG_CHECK_DIGIT';

export type ValidRegistrationNumber = { valid: true; number: string; divisionCode: string };

export type RegistrationNumberResult = ValidRegistrationNumber | Invalid<RegistrationNumberReasonCode>;

/**
 * The 15-digit business registration number (工商注册号) used before the USCC: 6-digit division of the
 * registering administration, 8-digit sequence, ISO 7064 MOD 11,10 check digit.
 */
export function validateRegistrationNumber(input: string): RegistrationNumberResult {
  const number = normaliseCode(input);
  const fail = (reason: RegistrationNumberReasonCode, message: string) =>
    invalid(input, number, reason, message);

  if (number.length !== 15) {
    return fail('REG_LENGTH', `a registration number has 15 digits, this has ${number.length} characters`);
  }
  const badIndex = [...number].findIndex((character) => character < '0' || character > '9');
  if (badIndex !== -1) {
    return fail(
      'REG_CHARSET',
      `character ${quoteCharacterAt(number, badIndex)} at position ${badIndex + 1} is not a digit`,
    );
  }
  const divisionCode = number.slice(0, 6);
  const problem = divisionProblem(divisionCode, { allowNational: true });
  if (problem !== undefined) {
    return fail('REG_DIVISION', `division code '${divisionCode}' (positions 1–6) ${problem}`);
  }
  const expected = computeMod1110CheckDigit(number.slice(0, 14));
  const found = number.charAt(14);
  if (found !== expected) {
    return fail(
      'REG_CHECK_DIGIT',
      `check digit is '${found}' but the number's first 14 digits give '${expected}' (ISO 7064 MOD 11,10)`,
    );
  }
  return { valid: true, number, divisionCode };
}
