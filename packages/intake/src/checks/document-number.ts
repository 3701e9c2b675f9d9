import {
  normaliseCode,
  validateOrganisationCode,
  validateRegistrationNumber,
  validateResidentId,
  validateUscc,
} from '@credit/identifiers';
import type { IdDocumentType } from '@credit/schemas';
import { hasControlCharacter } from '../plain.ts';
import { looksLikeResidentId } from '../sensitive.ts';

/** Why an identifier is not valid: a reason code (the identifiers package's, or one of ours) and words. */
export type IdentifierCheck = { valid: true } | { valid: false; code: string; message: string };

const VALID: IdentifierCheck = { valid: true };

/** A unified social credit code, refusing one that is really a resident identity number. */
export function checkUscc(input: string): IdentifierCheck {
  const result = validateUscc(input);
  if (result.valid) return VALID;
  // The USCC reasons quote parts of the code, which would give away parts of an identity number.
  if (looksLikeResidentId(normaliseCode(input))) {
    return invalid(
      'LOOKS_LIKE_RESIDENT_ID',
      'this is a resident identity number, not a unified social credit code',
    );
  }
  return invalid(result.reason.code, result.reason.message);
}

/** The number of an identity document of the given type (the subject's code or a legal representative's). */
export function checkDocumentNumber(
  type: IdDocumentType | null,
  input: string,
  today: string,
): IdentifierCheck {
  switch (type) {
    case 'USCC':
      return checkUscc(input);
    case 'RESIDENT_IDENTITY_CARD': {
      const result = validateResidentId(input, { today });
      return result.valid ? VALID : invalid(result.reason.code, result.reason.message);
    }
    case 'OTHER':
    case null:
      return checkFreeText(input, 64);
    default:
      return checkDocumentCharacters(input);
  }
}

/** Passports, travel permits, residence permits, foreign permanent resident cards: letters and digits. */
function checkDocumentCharacters(input: string): IdentifierCheck {
  const code = normaliseCode(input);
  if (code === '') return invalid('DOCUMENT_NUMBER_EMPTY', 'the document number is empty');
  if (code.length < 5 || code.length > 20) {
    return invalid(
      'DOCUMENT_NUMBER_LENGTH',
      `a document number has 5 to 20 characters, this has ${code.length}`,
    );
  }
  if (!/^[0-9A-Z]+$/.test(code)) {
    return invalid('DOCUMENT_NUMBER_CHARSET', 'a document number has only letters A-Z and digits');
  }
  return VALID;
}

/** Anything else: not blank, not too long, no control characters. */
export function checkFreeText(input: string, maxLength: number): IdentifierCheck {
  if (input.trim() === '') return invalid('NOT_BLANK', 'the value is blank; send null when there is none');
  if ([...input].length > maxLength) {
    return invalid('TOO_LONG', `at most ${maxLength} characters, this has ${[...input].length}`);
  }
  if (hasControlCharacter(input)) return invalid('NO_CONTROL_CHARACTERS', 'contains a control character');
  return VALID;
}

/**
 * A business registration number (工商注册号): 15 digits with a valid division. The MOD 11,10 check digit
 * only came with the 2006 numbering rules (GS15-2006) and older numbers, 13 digits or 15 without a check
 * digit, are exactly what legacy codes hold, so a wrong check digit alone does not refuse a record.
 */
export function checkRegistrationNumber(input: string): IdentifierCheck {
  if (/^\d{13}$/.test(normaliseCode(input))) return VALID;
  const result = validateRegistrationNumber(input);
  if (result.valid || result.reason.code === 'REG_CHECK_DIGIT') return VALID;
  return invalid(result.reason.code, result.reason.message);
}

export function checkOrganisationCode(input: string): IdentifierCheck {
  const result = validateOrganisationCode(input);
  return result.valid ? VALID : invalid(result.reason.code, result.reason.message);
}

/** The old 15-character tax registration number (division + organisation code), or the 18 to 20 of later forms. */
export function checkTaxRegistrationNumber(input: string): IdentifierCheck {
  const code = normaliseCode(input);
  if (!/^[0-9A-Z]{15,20}$/.test(code)) {
    return invalid(
      'TAX_REGISTRATION_NUMBER_FORMAT',
      'a tax registration number has 15 to 20 letters and digits',
    );
  }
  return VALID;
}

/** ISO 17442: 18 letters or digits, then 2 check digits (ISO 7064 MOD 97-10). */
export function checkLei(input: string): IdentifierCheck {
  const code = normaliseCode(input);
  if (!/^[0-9A-Z]{18}\d{2}$/.test(code)) {
    return invalid(
      'LEI_FORMAT',
      `an LEI has 18 letters or digits and 2 check digits, this is ${code.length} characters`,
    );
  }
  let remainder = 0;
  for (const character of code) {
    const digits = /\d/.test(character) ? character : String(character.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1
    ? VALID
    : invalid('LEI_CHECK_DIGITS', 'the check digits (positions 19-20) do not match');
}

function invalid(code: string, message: string): IdentifierCheck {
  return { valid: false, code, message };
}
