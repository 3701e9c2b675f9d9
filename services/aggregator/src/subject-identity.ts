import { createHmac } from 'node:crypto';
import {
  maskDocumentNumber,
  maskResidentId,
  normaliseCode,
  tokeniseResidentId,
  validateUscc,
} from '@credit/identifiers';
import type { Subject } from '@credit/schemas';
import type { IdentityCipher } from './identity-cipher.ts';

export interface LegacyCode {
  code: string;
  type:
    | 'REGISTRATION_NUMBER'
    | 'ORGANISATION_CODE'
    | 'TAX_REGISTRATION_NUMBER'
    | 'PUBLIC_INSTITUTION_CERTIFICATE'
    | 'SOCIAL_ORGANISATION_REGISTRATION';
}

/** How the unified database knows a subject: the key, what may be shown, and what is sealed. */
export interface SubjectIdentity {
  /** The USCC of an organisation; `p_…` (resident identity number) or `d_…` (other documents) for a person. */
  code: string;
  codeType: Subject['codeType'];
  category: Subject['category'];
  kind: string;
  displayCode: string;
  identityCiphertext: string | null;
  divisionCode: string | null;
  legacyCodes: LegacyCode[];
}

export interface IdentityKeys {
  tokenKey: Buffer;
  cipher: IdentityCipher;
}

/** For a subject that passed the intake's checks (its code is valid for its code type). */
export function identifySubject(subject: Subject, keys: IdentityKeys): SubjectIdentity {
  const number = normaliseCode(subject.code);
  const base = { codeType: subject.codeType, category: subject.category };
  if (subject.codeType === 'USCC') {
    const uscc = validateUscc(number);
    const legacyCodes = legacyCodesOf(subject);
    if (uscc.valid && !legacyCodes.some((legacy) => legacy.code === uscc.organisationCode)) {
      // Positions 9–17 of a USCC are the organisation's old 组织机构代码: a lookup by it finds the subject.
      legacyCodes.push({ code: uscc.organisationCode, type: 'ORGANISATION_CODE' });
    }
    return {
      ...base,
      code: number,
      kind: uscc.valid ? uscc.kind : 'other_organisation',
      displayCode: number,
      identityCiphertext: null,
      divisionCode: uscc.valid ? uscc.divisionCode : null,
      legacyCodes,
    };
  }
  const resident = subject.codeType === 'RESIDENT_IDENTITY_CARD';
  return {
    ...base,
    code: resident
      ? tokeniseResidentId(number, keys.tokenKey)
      : documentToken(subject.codeType, number, keys.tokenKey),
    // Non-USCC codes are sealed whoever they belong to; the kind follows the category the department declared.
    kind:
      subject.category === 'NATURAL_PERSON'
        ? 'natural_person'
        : subject.category === 'INDIVIDUAL_BUSINESS'
          ? 'individual_business'
          : 'other_organisation',
    displayCode: resident ? maskResidentId(number) : maskDocumentNumber(number),
    identityCiphertext: keys.cipher.encrypt(`${subject.codeType}:${number}`),
    divisionCode: resident ? number.slice(0, 6) : null,
    legacyCodes: [],
  };
}

/** Passports and permits: the same HMAC idea as resident numbers, the document type included in what is hashed. */
function documentToken(type: string, number: string, key: Buffer): string {
  return `d_${createHmac('sha256', key).update(`${type}:${number}`).digest('hex').slice(0, 32)}`;
}

const LEGACY_FIELDS: [keyof NonNullable<Subject['legacyCodes']>, LegacyCode['type']][] = [
  ['registrationNumber', 'REGISTRATION_NUMBER'],
  ['organisationCode', 'ORGANISATION_CODE'],
  ['taxRegistrationNumber', 'TAX_REGISTRATION_NUMBER'],
  ['publicInstitutionCertificateNumber', 'PUBLIC_INSTITUTION_CERTIFICATE'],
  ['socialOrganisationRegistrationNumber', 'SOCIAL_ORGANISATION_REGISTRATION'],
];

function legacyCodesOf(subject: Subject): LegacyCode[] {
  const codes: LegacyCode[] = [];
  for (const [field, type] of LEGACY_FIELDS) {
    const value = subject.legacyCodes?.[field];
    if (typeof value === 'string' && value.trim() !== '') codes.push({ code: normaliseCode(value), type });
  }
  return codes;
}
