import { normaliseCode } from './normalise.ts';
import { type OrganisationCodeResult, validateOrganisationCode } from './organisation-code.ts';
import { type RegistrationNumberResult, validateRegistrationNumber } from './registration-number.ts';
import { type Invalid, invalid } from './result.ts';

export type LegacyCodeClassification =
  | ({ type: 'organisation_code' } & OrganisationCodeResult)
  | ({ type: 'registration_number' } & RegistrationNumberResult)
  | ({ type: 'unknown' } & Invalid<'LEGACY_FORMAT'>);

/**
 * Codes in use before the USCC, told apart by length after normalisation: 9 characters is an organisation
 * code (GB 11714), 15 a business registration number. Either is then validated.
 */
export function classifyLegacyCode(input: string): LegacyCodeClassification {
  const code = normaliseCode(input);
  if (code.length === 9) return { type: 'organisation_code', ...validateOrganisationCode(input) };
  if (code.length === 15) return { type: 'registration_number', ...validateRegistrationNumber(input) };
  return {
    type: 'unknown',
    ...invalid(
      input,
      code,
      'LEGACY_FORMAT',
      `expected a 9-character organisation code or a 15-digit registration number, got ${code.length} characters`,
    ),
  };
}
