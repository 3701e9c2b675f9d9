export { NATIONAL_DIVISION, PROVINCE_PREFIXES } from './divisions.ts';
export {
  type Identification,
  type IdentifyOptions,
  identify,
  type ResidentIdIdentification,
  type UnknownIdentification,
} from './identify.ts';
export { computeMod1110CheckDigit } from './iso7064-mod-11-10.ts';
export { classifyLegacyCode, type LegacyCodeClassification } from './legacy-code.ts';
export { makeResidentId, type ResidentIdParts } from './make-resident-id.ts';
export { makeUscc, type UsccParts } from './make-uscc.ts';
export {
  identityNumberCandidates,
  maskDocumentNumber,
  maskIdentityNumberBytes,
  maskIdentityNumbers,
  maskName,
  maskResidentId,
} from './mask.ts';
export { normaliseCode, normaliseText } from './normalise.ts';
export {
  computeOrganisationCodeCheckCharacter,
  type OrganisationCodeReasonCode,
  type OrganisationCodeResult,
  type ValidOrganisationCode,
  validateOrganisationCode,
} from './organisation-code.ts';
export {
  type EntityType,
  findEntityType,
  findRegistrationAuthority,
  REGISTRATION_AUTHORITIES,
  type RegistrationAuthority,
  type SubjectKind,
} from './registration-authorities.ts';
export {
  type RegistrationNumberReasonCode,
  type RegistrationNumberResult,
  type ValidRegistrationNumber,
  validateRegistrationNumber,
} from './registration-number.ts';
export {
  type ResidentIdOptions,
  type ResidentIdReasonCode,
  type ResidentIdResult,
  type Sex,
  type ValidResidentId,
  validateResidentId,
} from './resident-id.ts';
export { computeResidentIdCheckCharacter } from './resident-id-check-character.ts';
export type { Invalid, Reason } from './result.ts';
export { subjectKey } from './subject-key.ts';
export {
  MIN_TOKEN_KEY_BYTES,
  RESIDENT_ID_TOKEN_LENGTH,
  RESIDENT_ID_TOKEN_PREFIX,
  tokeniseResidentId,
} from './token.ts';
export {
  type UsccReasonCode,
  type UsccResult,
  usccContainsOrganisationCode,
  type ValidUscc,
  validateUscc,
} from './uscc.ts';
export { computeUsccCheckCharacter, USCC_CHARSET } from './uscc-check-character.ts';
