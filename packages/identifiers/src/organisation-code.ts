import { normaliseCode } from './normalise.ts';
import { type Invalid, invalid, quoteCharacterAt } from './result.ts';

// GB 11714-1997
const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const BODY_CHARACTER = /[0-9A-Z]/;
const CHECK_CHARACTER = /[0-9X]/;

export type OrganisationCodeReasonCode = 'ORG_LENGTH' | 'ORG_CHARSET' | 'ORG_CHECK_CHARACTER';

export type ValidOrganisationCode = {
  valid: true;
  /** Nine characters, no hyphen. */
  code: string;
  /** `XXXXXXXX-X`, as printed on certificates. */
  displayForm: string;
};

export type OrganisationCodeResult = ValidOrganisationCode | Invalid<OrganisationCodeReasonCode>;

/** Check character of an 8-character body of 0-9 and A-Z (0-9 count as 0-9, A-Z as 10-35). */
export function computeOrganisationCodeCheckCharacter(body: string): string {
  if (body.length !== WEIGHTS.length || ![...body].every((character) => BODY_CHARACTER.test(character))) {
    throw new RangeError(`an organisation code body is 8 characters of 0-9 and A-Z, got '${body}'`);
  }
  let sum = 0;
  for (const [index, weight] of WEIGHTS.entries()) sum += characterValue(body.charAt(index)) * weight;
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

/** Accepts the display form `XXXXXXXX-X` as well as the bare nine characters. */
export function validateOrganisationCode(input: string): OrganisationCodeResult {
  const code = normaliseCode(input);
  const fail = (reason: OrganisationCodeReasonCode, message: string) => invalid(input, code, reason, message);

  if (code.length !== 9) {
    return fail('ORG_LENGTH', `an organisation code has 9 characters (8 + check), this has ${code.length}`);
  }
  for (let index = 0; index < 8; index++) {
    if (!BODY_CHARACTER.test(code.charAt(index))) {
      return fail(
        'ORG_CHARSET',
        `character ${quoteCharacterAt(code, index)} at position ${index + 1} is not allowed; the first 8 characters are 0-9 or A-Z`,
      );
    }
  }
  const found = code.charAt(8);
  if (!CHECK_CHARACTER.test(found)) {
    return fail(
      'ORG_CHARSET',
      `check character ${quoteCharacterAt(code, 8)} at position 9 is not allowed; it is a digit or X`,
    );
  }
  const expected = computeOrganisationCodeCheckCharacter(code.slice(0, 8));
  if (found !== expected) {
    return fail(
      'ORG_CHECK_CHARACTER',
      `check character is '${found}' but the code's first 8 characters give '${expected}'`,
    );
  }
  return { valid: true, code, displayForm: `${code.slice(0, 8)}-${found}` };
}

function characterValue(character: string): number {
  const code = character.charCodeAt(0);
  return character <= '9' ? code - 48 : code - 55;
}
