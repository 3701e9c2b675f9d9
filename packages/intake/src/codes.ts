import { defineError } from '@credit/errors';

/** Codes of the rejections the intake produces; the catalogue's refusals keep their own CATALOGUE_* codes. */
export const INTAKE_CODES = {
  notAnObject: 'INTAKE_NOT_AN_OBJECT',
  unknownKind: 'INTAKE_UNKNOWN_KIND',
  invalidTimestamp: 'INTAKE_INVALID_TIMESTAMP',
  schema: 'INTAKE_SCHEMA',
  departmentMismatch: 'INTAKE_DEPARTMENT_MISMATCH',
  subjectCode: 'INTAKE_SUBJECT_CODE',
  subjectCodeType: 'INTAKE_SUBJECT_CODE_TYPE',
  legacyCode: 'INTAKE_LEGACY_CODE',
  lei: 'INTAKE_LEI',
  authorityCode: 'INTAKE_AUTHORITY_CODE',
  dateOutOfRange: 'INTAKE_DATE_OUT_OF_RANGE',
  dateOrder: 'INTAKE_DATE_ORDER',
  amountNegative: 'INTAKE_AMOUNT_NEGATIVE',
  fineWithoutAmount: 'INTAKE_FINE_WITHOUT_AMOUNT',
  revokeWithoutReason: 'INTAKE_REVOKE_WITHOUT_REASON',
  version: 'INTAKE_VERSION',
  recordId: 'INTAKE_RECORD_ID',
  emptyField: 'INTAKE_EMPTY_FIELD',
  identityNumberInText: 'INTAKE_IDENTITY_NUMBER_IN_TEXT',
  encoding: 'INTAKE_ENCODING',
  badJson: 'INTAKE_BAD_JSON',
  csvSyntax: 'INTAKE_CSV_SYNTAX',
  csvEncoding: 'INTAKE_CSV_ENCODING',
  csvUnknownHeader: 'INTAKE_CSV_UNKNOWN_HEADER',
  csvDuplicateHeader: 'INTAKE_CSV_DUPLICATE_HEADER',
  csvMissingColumn: 'INTAKE_CSV_MISSING_COLUMN',
  csvColumnCount: 'INTAKE_CSV_COLUMN_COUNT',
  csvValue: 'INTAKE_CSV_VALUE',
} as const;

export type IntakeCode = (typeof INTAKE_CODES)[keyof typeof INTAKE_CODES];

/** A caller passed a kind name that is not a kind of the contracts (a programming error, not bad data). */
export const UnknownKind = defineError<[kind: string, known: string]>(
  'INTAKE_UNKNOWN_KIND',
  400,
  'unknown record kind %s; known kinds: %s',
);
