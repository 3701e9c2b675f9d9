import { normaliseCode, usccContainsOrganisationCode, validateUscc } from '@credit/identifiers';
import type { IdDocumentType, Subject } from '@credit/schemas';
import { INTAKE_CODES } from '../codes.ts';
import { type Rejection, rejection } from '../rejection.ts';
import { looksLikeResidentId } from '../sensitive.ts';
import {
  checkDocumentNumber,
  checkFreeText,
  checkLei,
  checkOrganisationCode,
  checkRegistrationNumber,
  checkTaxRegistrationNumber,
  type IdentifierCheck,
} from './document-number.ts';

const SUBJECT = 'envelope.subject';

/** Document types that identify a natural person, which an organisation subject cannot be keyed by. */
const PERSONAL_DOCUMENTS: ReadonlySet<IdDocumentType> = new Set([
  'RESIDENT_IDENTITY_CARD',
  'PASSPORT',
  'HK_MACAO_TRAVEL_PERMIT',
  'TAIWAN_TRAVEL_PERMIT',
  'HK_MACAO_TAIWAN_RESIDENCE_PERMIT',
  'FOREIGN_PERMANENT_RESIDENT_ID',
]);

const DOCUMENT_NAMES: Partial<Record<IdDocumentType, string>> = {
  USCC: 'unified social credit code',
  RESIDENT_IDENTITY_CARD: 'resident identity number',
  PASSPORT: 'passport number',
};

/** The subject's code by its type, the code type against the category, legal representative, legacy codes, LEI. */
export function subjectRejections(subject: Subject, today: string): Rejection[] {
  const rejections: Rejection[] = [];
  // A person's number written as a USCC (or with spaces and hyphens) is still a person's number: masked too.
  const personal =
    subject.codeType !== 'USCC' ||
    subject.category === 'NATURAL_PERSON' ||
    looksLikeResidentId(normaliseCode(subject.code));
  const code = checkDocumentNumber(subject.codeType, subject.code, today);
  if (!code.valid) {
    const what = DOCUMENT_NAMES[subject.codeType] ?? `${subject.codeType} number`;
    rejections.push(failed(INTAKE_CODES.subjectCode, `${SUBJECT}.code`, subject.code, code, what, personal));
  }

  const codeTypeProblem =
    subject.category === 'NATURAL_PERSON' && subject.codeType === 'USCC'
      ? {
          rule: 'NATURAL_PERSON_HAS_NO_USCC',
          why: 'a natural person is keyed by an identity document, not a USCC',
        }
      : subject.category !== 'NATURAL_PERSON' && PERSONAL_DOCUMENTS.has(subject.codeType)
        ? { rule: 'ORGANISATION_NEEDS_USCC', why: `a ${subject.category} subject is keyed by its USCC` }
        : undefined;
  if (codeTypeProblem) {
    rejections.push(
      rejection(INTAKE_CODES.subjectCodeType, {
        field: `${SUBJECT}.codeType`,
        value: subject.codeType,
        rule: codeTypeProblem.rule,
        explanation: `does not fit category ${subject.category}: ${codeTypeProblem.why}`,
      }),
    );
  }

  const representative = subject.legalRepresentative;
  if (representative?.idNumber != null) {
    const check = checkDocumentNumber(representative.idType, representative.idNumber, today);
    if (!check.valid) {
      const field = `${SUBJECT}.legalRepresentative.idNumber`;
      const document = representative.idType === null ? undefined : DOCUMENT_NAMES[representative.idType];
      const what = `${document ?? 'identity document number'} of the legal representative`;
      rejections.push(failed(INTAKE_CODES.subjectCode, field, representative.idNumber, check, what, true));
    }
  }

  if (subject.lei !== null) {
    const check = checkLei(subject.lei);
    if (!check.valid) rejections.push(failed(INTAKE_CODES.lei, `${SUBJECT}.lei`, subject.lei, check, 'LEI'));
  }
  rejections.push(...legacyCodeRejections(subject));
  return rejections;
}

function legacyCodeRejections(subject: Subject): Rejection[] {
  const codes = subject.legacyCodes;
  if (codes === null) return [];
  const rejections: Rejection[] = [];
  const field = (name: string) => `${SUBJECT}.legacyCodes.${name}`;
  const check = (
    name: string,
    value: string | null,
    what: string,
    validate: (input: string) => IdentifierCheck,
  ) => {
    if (value === null) return;
    const result = validate(value);
    if (!result.valid) rejections.push(failed(INTAKE_CODES.legacyCode, field(name), value, result, what));
  };
  check(
    'registrationNumber',
    codes.registrationNumber,
    'business registration number',
    checkRegistrationNumber,
  );
  check('organisationCode', codes.organisationCode, 'organisation code', checkOrganisationCode);
  check(
    'taxRegistrationNumber',
    codes.taxRegistrationNumber,
    'tax registration number',
    checkTaxRegistrationNumber,
  );
  const freeText = (input: string) => checkFreeText(input, 64);
  check(
    'publicInstitutionCertificateNumber',
    codes.publicInstitutionCertificateNumber,
    'certificate number',
    freeText,
  );
  check(
    'socialOrganisationRegistrationNumber',
    codes.socialOrganisationRegistrationNumber,
    'certificate number',
    freeText,
  );

  const organisationCode = codes.organisationCode;
  if (
    organisationCode !== null &&
    subject.codeType === 'USCC' &&
    checkOrganisationCode(organisationCode).valid &&
    validateUscc(subject.code).valid &&
    !usccContainsOrganisationCode(subject.code, organisationCode)
  ) {
    rejections.push(
      rejection(INTAKE_CODES.legacyCode, {
        field: field('organisationCode'),
        value: organisationCode,
        rule: 'ORGANISATION_CODE_NOT_IN_USCC',
        explanation: `is not the organisation code in positions 9-17 of the subject's USCC ${subject.code}`,
      }),
    );
  }
  return rejections;
}

/** Every unified social credit code of an authority in the record (`penalisingAuthorityCode`, ...). */
export function authorityCodeRejections(
  record: Record<string, unknown>,
  fields: readonly string[],
): Rejection[] {
  const rejections: Rejection[] = [];
  for (const field of fields) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    const result = validateUscc(value);
    if (!result.valid) {
      rejections.push(
        failed(
          INTAKE_CODES.authorityCode,
          field,
          value,
          { valid: false, ...result.reason },
          'unified social credit code',
        ),
      );
    }
  }
  return rejections;
}

function failed(
  code: string,
  field: string,
  value: string,
  check: Extract<IdentifierCheck, { valid: false }>,
  what: string,
  sensitive = false,
): Rejection {
  return rejection(code, {
    field,
    value,
    rule: check.code,
    explanation: `is not a valid ${what}: ${check.message}`,
    sensitive,
  });
}
