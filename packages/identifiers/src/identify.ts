import { classifyLegacyCode } from './legacy-code.ts';
import { maskResidentId } from './mask.ts';
import { normaliseCode } from './normalise.ts';
import type { OrganisationCodeResult } from './organisation-code.ts';
import type { RegistrationNumberResult } from './registration-number.ts';
import {
  type ResidentIdReasonCode,
  type Sex,
  type ValidResidentId,
  validateResidentId,
} from './resident-id.ts';
import type { Reason } from './result.ts';
import { tokeniseResidentId } from './token.ts';
import { type UsccReasonCode, type UsccResult, validateUscc } from './uscc.ts';

export type IdentifyOptions = {
  /** When given (at least 32 bytes), valid resident identity numbers carry their token. */
  tokenKey?: Uint8Array;
  /** `YYYY-MM-DD` for the birth-date check; defaults to today in China. */
  today?: string;
};

/** A resident identity number, never in clear: only masked, plus its token when a key is given. */
export type ResidentIdIdentification =
  | { type: 'resident_id'; valid: true; maskedNumber: string; divisionCode: string; sex: Sex; token?: string }
  | { type: 'resident_id'; valid: false; maskedInput: string; reason: Reason<ResidentIdReasonCode> };

/** Nothing recognisable; the input is not echoed, as it may be a mistyped identity number. */
export type UnknownIdentification = { type: 'unknown'; valid: false; reason: Reason<'UNKNOWN_FORMAT'> };

/**
 * Plain JSON data, to print as one JSON line. A resident_id result never holds the number in clear and an
 * unknown one does not echo the input; USCC and legacy results echo their input, as those codes are public.
 */
export type Identification =
  | ({ type: 'uscc' } & UsccResult)
  | ResidentIdIdentification
  | ({ type: 'organisation_code' } & OrganisationCodeResult)
  | ({ type: 'registration_number' } & RegistrationNumberResult)
  | UnknownIdentification;

const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;
const EXPECTED =
  'expected 18 characters (unified social credit code or resident identity number), ' +
  '9 (organisation code) or 15 digits (registration number)';

/**
 * Tells what an identifier is, after normalisation, and validates it as that.
 *
 * - 18 characters, 17 digits then a digit or X: a resident identity number if valid as one, else a USCC
 *   if valid as one (a USCC can be all digits). When neither, the resident-ID reason is reported (masked),
 *   unless the first six digits are no province's while the first two are a registration authority and
 *   entity type, as in `91…` (an enterprise): then the USCC reason.
 * - Any other 18 characters: a USCC.
 * - 9 characters: an organisation code; 15: a registration number.
 * - Anything else: unknown, saying what was expected.
 */
export function identify(input: string, options: IdentifyOptions = {}): Identification {
  const normalised = normaliseCode(input);
  if (normalised.length === 18) {
    if (!RESIDENT_ID_SHAPE.test(normalised)) return { type: 'uscc', ...validateUscc(input) };
    const person = validateResidentId(input, { today: options.today });
    if (person.valid) return residentIdentification(person, options);
    const organisation = validateUscc(input);
    if (organisation.valid || looksLikeUscc(person.reason.code, organisation.reason.code)) {
      return { type: 'uscc', ...organisation };
    }
    return {
      type: 'resident_id',
      valid: false,
      maskedInput: maskResidentId(normalised),
      reason: person.reason,
    };
  }

  const legacy = classifyLegacyCode(input);
  if (legacy.type !== 'unknown') return legacy;
  const message =
    normalised.length === 0
      ? `input is empty; ${EXPECTED}`
      : `${EXPECTED}; got ${normalised.length} characters`;
  return { type: 'unknown', valid: false, reason: { code: 'UNKNOWN_FORMAT', message } };
}

function looksLikeUscc(residentIdReason: ResidentIdReasonCode, usccReason: UsccReasonCode): boolean {
  return (
    residentIdReason === 'ID_DIVISION' &&
    usccReason !== 'USCC_REGISTRATION_AUTHORITY' &&
    usccReason !== 'USCC_ENTITY_TYPE'
  );
}

function residentIdentification(person: ValidResidentId, options: IdentifyOptions): ResidentIdIdentification {
  const identification: ResidentIdIdentification = {
    type: 'resident_id',
    valid: true,
    maskedNumber: maskResidentId(person.number),
    divisionCode: person.divisionCode,
    sex: person.sex,
  };
  if (options.tokenKey !== undefined) {
    identification.token = tokeniseResidentId(person.number, options.tokenKey, { today: options.today });
  }
  return identification;
}
