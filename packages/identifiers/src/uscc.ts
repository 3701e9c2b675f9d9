import { divisionProblem } from './divisions.ts';
import { normaliseCode } from './normalise.ts';
import { computeOrganisationCodeCheckCharacter, validateOrganisationCode } from './organisation-code.ts';
import {
  findEntityType,
  findRegistrationAuthority,
  REGISTRATION_AUTHORITIES,
  type SubjectKind,
} from './registration-authorities.ts';
import { type Invalid, invalid, quoteCharacterAt } from './result.ts';
import { computeUsccCheckCharacter, isUsccCharacter } from './uscc-check-character.ts';

export type UsccReasonCode =
  | 'USCC_LENGTH'
  | 'USCC_CHARSET'
  | 'USCC_REGISTRATION_AUTHORITY'
  | 'USCC_ENTITY_TYPE'
  | 'USCC_DIVISION'
  | 'USCC_ORGANISATION_CODE_CHECK'
  | 'USCC_CHECK_CHARACTER';

export type ValidUscc = {
  valid: true;
  code: string;
  registrationAuthority: { code: string; name: string };
  entityType: { code: string; name: string };
  kind: SubjectKind;
  divisionCode: string;
  /** Positions 9–17: the GB 11714 organisation code, nine characters without hyphen. */
  organisationCode: string;
};

export type UsccResult = ValidUscc | Invalid<UsccReasonCode>;

/**
 * Validates a unified social credit code (GB 32100-2015) after normalisation, reporting the first problem
 * in this order: length, characters, registration authority, entity type, division, organisation code, check.
 */
export function validateUscc(input: string): UsccResult {
  const code = normaliseCode(input);
  const fail = (reason: UsccReasonCode, message: string) => invalid(input, code, reason, message);

  if (code.length !== 18) {
    return fail('USCC_LENGTH', `a unified social credit code has 18 characters, this has ${code.length}`);
  }
  const badIndex = [...code].findIndex((character) => !isUsccCharacter(character));
  if (badIndex !== -1) {
    return fail(
      'USCC_CHARSET',
      `character ${quoteCharacterAt(code, badIndex)} at position ${badIndex + 1} is not allowed; ` +
        'the charset is 0-9 and A-Z without I, O, S, V, Z',
    );
  }

  const authorityCode = code.charAt(0);
  const authority = findRegistrationAuthority(authorityCode);
  if (authority === undefined) {
    return fail(
      'USCC_REGISTRATION_AUTHORITY',
      `registration authority code '${authorityCode}' (position 1) is unknown; ` +
        `expected one of ${Object.keys(REGISTRATION_AUTHORITIES).join(', ')}`,
    );
  }
  const entityTypeCode = code.charAt(1);
  const entityType = findEntityType(authority, entityTypeCode);
  if (entityType === undefined) {
    return fail(
      'USCC_ENTITY_TYPE',
      `entity type '${entityTypeCode}' (position 2) does not exist for registration authority ` +
        `'${authorityCode}' (${authority.name}); expected one of ${Object.keys(authority.entityTypes).join(', ')}`,
    );
  }

  const divisionCode = code.slice(2, 8);
  const problem = divisionProblem(divisionCode, { allowNational: true });
  if (problem !== undefined) {
    return fail('USCC_DIVISION', `administrative division code '${divisionCode}' (positions 3–8) ${problem}`);
  }

  const organisationCode = code.slice(8, 17);
  const organisationCheck = computeOrganisationCodeCheckCharacter(organisationCode.slice(0, 8));
  if (organisationCode.charAt(8) !== organisationCheck) {
    return fail(
      'USCC_ORGANISATION_CODE_CHECK',
      `organisation code '${organisationCode}' (positions 9–17) has check character ` +
        `'${organisationCode.charAt(8)}' but its first 8 characters give '${organisationCheck}'`,
    );
  }

  const expected = computeUsccCheckCharacter(code.slice(0, 17));
  const found = code.charAt(17);
  if (found !== expected) {
    return fail(
      'USCC_CHECK_CHARACTER',
      `check character is '${found}' but the code's first 17 characters give '${expected}'`,
    );
  }

  return {
    valid: true,
    code,
    registrationAuthority: { code: authorityCode, name: authority.name },
    entityType: { code: entityTypeCode, name: entityType.name },
    kind: entityType.kind,
    divisionCode,
    organisationCode,
  };
}

/**
 * True when both codes are valid and positions 9–17 of the USCC are the organisation code: how a legacy
 * organisation code maps to the USCC that replaced it.
 */
export function usccContainsOrganisationCode(uscc: string, organisationCode: string): boolean {
  const credit = validateUscc(uscc);
  const organisation = validateOrganisationCode(organisationCode);
  return credit.valid && organisation.valid && credit.organisationCode === organisation.code;
}
