import {
  makeResidentId,
  makeUscc,
  maskResidentId,
  type SubjectKind,
  tokeniseResidentId,
} from '@credit/identifiers';
import type { IdDocumentType, LegacyCodes, Subject } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { createIdentityCipher } from '../src/identity-cipher.ts';
import { type IdentityKeys, identifySubject } from '../src/subject-identity.ts';

const KEYS: IdentityKeys = {
  tokenKey: Buffer.alloc(32, 7),
  cipher: createIdentityCipher(Buffer.alloc(32, 9)),
};

const ENTERPRISE = makeUscc({
  authority: '9',
  entityType: '1',
  division: '350100',
  organisationBody: 'M000100Y',
});
const NO_LEGACY_CODES: LegacyCodes = {
  registrationNumber: null,
  organisationCode: null,
  taxRegistrationNumber: null,
  publicInstitutionCertificateNumber: null,
  socialOrganisationRegistrationNumber: null,
};

function organisation(code: string, legacyCodes: Partial<LegacyCodes> | null = null): Subject {
  return {
    category: 'LEGAL_ENTITY',
    code,
    codeType: 'USCC',
    name: '福州闽江智联科技有限公司',
    lei: null,
    legalRepresentative: { name: '林建华', idType: 'RESIDENT_IDENTITY_CARD', idNumber: '350102198001011233' },
    legacyCodes: legacyCodes === null ? null : { ...NO_LEGACY_CODES, ...legacyCodes },
  };
}

function person(codeType: IdDocumentType, code: string): Subject {
  return {
    category: 'NATURAL_PERSON',
    code,
    codeType,
    name: '张三',
    lei: null,
    legalRepresentative: null,
    legacyCodes: null,
  };
}

/** Full-width forms (U+FF01–U+FF5E) of the ASCII characters of `text`, as Chinese input methods type them. */
function fullWidth(text: string): string {
  return text.replace(/[!-~]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0));
}

/** A resident identity number whose check character is X. */
function residentIdEndingInX(): string {
  for (let sequence = 0; sequence < 1000; sequence += 1) {
    const number = makeResidentId({ division: '350102', birthDate: '1985-11-30', sequence });
    if (number.endsWith('X')) return number;
  }
  throw new Error('no sequence gives check character X');
}

describe('identifySubject for an organisation (USCC)', () => {
  it('keys an enterprise by its code, shows the code, seals nothing, and adds its organisation code', () => {
    expect(identifySubject(organisation(ENTERPRISE), KEYS)).toEqual({
      code: ENTERPRISE,
      codeType: 'USCC',
      category: 'LEGAL_ENTITY',
      kind: 'enterprise',
      displayCode: ENTERPRISE,
      identityCiphertext: null,
      divisionCode: '350100',
      legacyCodes: [{ code: ENTERPRISE.slice(8, 17), type: 'ORGANISATION_CODE' }],
    });
  });

  it('normalises the code it is keyed by (spaces, hyphens, lower case, full-width)', () => {
    const written = fullWidth(
      `${ENTERPRISE.slice(0, 8).toLowerCase()} ${ENTERPRISE.slice(8, 16)}-${ENTERPRISE.slice(16)}`,
    );
    const identity = identifySubject(organisation(written), KEYS);
    expect(identity.code).toBe(ENTERPRISE);
    expect(identity.displayCode).toBe(ENTERPRISE);
    expect(identity.kind).toBe('enterprise');
  });

  it('normalises the reported legacy codes and keeps them in field order, the organisation code last', () => {
    const identity = identifySubject(
      organisation(ENTERPRISE, {
        registrationNumber: ' 350100 100012345 ',
        taxRegistrationNumber: fullWidth('350100m000100y4'),
        publicInstitutionCertificateNumber: '事证第-1234 号',
        socialOrganisationRegistrationNumber: '   ',
      }),
      KEYS,
    );
    expect(identity.legacyCodes).toEqual([
      { code: '350100100012345', type: 'REGISTRATION_NUMBER' },
      { code: '350100M000100Y4', type: 'TAX_REGISTRATION_NUMBER' },
      { code: '事证第1234号', type: 'PUBLIC_INSTITUTION_CERTIFICATE' },
      { code: ENTERPRISE.slice(8, 17), type: 'ORGANISATION_CODE' },
    ]);
  });

  it.each([
    ['with a hyphen', 'M000100Y-4'],
    ['with spaces and lower case', ' m000 100y4 '],
    ['full-width', fullWidth('M000100Y-4')],
    ['with an ideographic space and a Unicode dash', 'M000100Y\u2014\u30004'],
  ])('does not add the organisation code twice when it was reported %s', (_, reported) => {
    const identity = identifySubject(organisation(ENTERPRISE, { organisationCode: reported }), KEYS);
    expect(identity.legacyCodes).toEqual([{ code: 'M000100Y4', type: 'ORGANISATION_CODE' }]);
  });

  it.each<[authority: string, entityType: string, kind: SubjectKind]>([
    ['9', '2', 'individual_business'],
    ['9', '3', 'farmers_cooperative'],
    ['1', '1', 'government_body'],
    ['1', '2', 'public_institution'],
    ['1', '3', 'mass_organisation'],
    ['1', '9', 'other_organisation'],
    ['2', '1', 'foreign_representative'],
    ['3', '2', 'legal_service'],
    ['4', '1', 'foreign_representative'],
    ['5', '1', 'social_organisation'],
    ['5', '3', 'social_organisation'],
    ['6', '2', 'foreign_representative'],
    ['7', '1', 'religious'],
    ['8', '1', 'trade_union'],
    ['A', '1', 'military_institution'],
    ['N', '2', 'collective_economic_organisation'],
    ['Y', '1', 'other_organisation'],
  ])('gives a USCC of authority %s, entity type %s the kind %s', (authority, entityType, kind) => {
    const code = makeUscc({ authority, entityType, division: '350102', organisationBody: 'K1234567' });
    const identity = identifySubject(organisation(code), KEYS);
    expect(identity).toMatchObject({
      code,
      kind,
      displayCode: code,
      identityCiphertext: null,
      divisionCode: '350102',
      legacyCodes: [{ code: code.slice(8, 17), type: 'ORGANISATION_CODE' }],
    });
  });

  it('takes the national division of a code issued by a national authority', () => {
    const code = makeUscc({
      authority: '9',
      entityType: '1',
      division: '100000',
      organisationBody: '10000396',
    });
    expect(identifySubject(organisation(code), KEYS)).toMatchObject({
      kind: 'enterprise',
      divisionCode: '100000',
    });
  });

  it('keeps an invalid USCC as it is, as other_organisation without a division or derived organisation code', () => {
    const broken = `${ENTERPRISE.slice(0, 17)}${ENTERPRISE.endsWith('1') ? '2' : '1'}`;
    expect(identifySubject(organisation(broken), KEYS)).toMatchObject({
      code: broken,
      kind: 'other_organisation',
      displayCode: broken,
      identityCiphertext: null,
      divisionCode: null,
      legacyCodes: [],
    });
  });
});

describe('identifySubject for a natural person', () => {
  const number = makeResidentId({ division: '350102', birthDate: '1980-05-17', sequence: 123 });

  it('keys a resident identity number by its token, shows it masked and seals it', () => {
    const identity = identifySubject(person('RESIDENT_IDENTITY_CARD', number), KEYS);
    expect(identity).toMatchObject({
      code: tokeniseResidentId(number, KEYS.tokenKey),
      codeType: 'RESIDENT_IDENTITY_CARD',
      category: 'NATURAL_PERSON',
      kind: 'natural_person',
      displayCode: maskResidentId(number),
      divisionCode: '350102',
      legacyCodes: [],
    });
    expect(identity.code).toMatch(/^p_[a-z2-7]{26}$/);
    expect(identity.displayCode).toBe(`**************${number.slice(-4)}`);
    expect(identity.identityCiphertext).not.toContain(number);
    expect(KEYS.cipher.decrypt(identity.identityCiphertext!)).toBe(`RESIDENT_IDENTITY_CARD:${number}`);
  });

  it('gives the same token for the number written with a lower-case x and spaces', () => {
    const withX = residentIdEndingInX();
    const written = ` ${withX.slice(0, 6)} ${withX.slice(6, 14)} ${withX.slice(14, 17)}x `;
    const identity = identifySubject(person('RESIDENT_IDENTITY_CARD', written), KEYS);
    expect(identity.code).toBe(tokeniseResidentId(withX, KEYS.tokenKey));
    expect(identity.code).toBe(identifySubject(person('RESIDENT_IDENTITY_CARD', withX), KEYS).code);
    expect(identity.displayCode).toBe(maskResidentId(withX));
    expect(KEYS.cipher.decrypt(identity.identityCiphertext!)).toBe(`RESIDENT_IDENTITY_CARD:${withX}`);
  });

  it('gives another token under another token key', () => {
    const other: IdentityKeys = { ...KEYS, tokenKey: Buffer.alloc(32, 8) };
    expect(identifySubject(person('RESIDENT_IDENTITY_CARD', number), other).code).not.toBe(
      identifySubject(person('RESIDENT_IDENTITY_CARD', number), KEYS).code,
    );
  });

  it('seals the same number differently each time, but keys it the same', () => {
    const first = identifySubject(person('RESIDENT_IDENTITY_CARD', number), KEYS);
    const second = identifySubject(person('RESIDENT_IDENTITY_CARD', number), KEYS);
    expect(first.code).toBe(second.code);
    expect(first.identityCiphertext).not.toBe(second.identityCiphertext);
  });

  it('keys a passport by a d_ token, shows it masked and seals it with its type', () => {
    const identity = identifySubject(person('PASSPORT', 'E12345678'), KEYS);
    expect(identity).toMatchObject({
      codeType: 'PASSPORT',
      category: 'NATURAL_PERSON',
      kind: 'natural_person',
      displayCode: '*******78',
      divisionCode: null,
      legacyCodes: [],
    });
    expect(identity.code).toMatch(/^d_[0-9a-f]{32}$/);
    expect(identity.identityCiphertext).not.toContain('E12345678');
    expect(KEYS.cipher.decrypt(identity.identityCiphertext!)).toBe('PASSPORT:E12345678');
  });

  it('gives the same passport token for the number written in lower case with spaces', () => {
    expect(identifySubject(person('PASSPORT', ' e1234 5678 '), KEYS).code).toBe(
      identifySubject(person('PASSPORT', 'E12345678'), KEYS).code,
    );
  });

  it('gives the same number another token under another document type', () => {
    const passport = identifySubject(person('PASSPORT', 'E12345678'), KEYS).code;
    const permit = identifySubject(person('HK_MACAO_TRAVEL_PERMIT', 'E12345678'), KEYS);
    expect(permit.code).toMatch(/^d_[0-9a-f]{32}$/);
    expect(permit.code).not.toBe(passport);
    expect(KEYS.cipher.decrypt(permit.identityCiphertext!)).toBe('HK_MACAO_TRAVEL_PERMIT:E12345678');
  });

  it('gives a passport another token under another token key', () => {
    const other: IdentityKeys = { ...KEYS, tokenKey: Buffer.alloc(32, 8) };
    expect(identifySubject(person('PASSPORT', 'E12345678'), other).code).not.toBe(
      identifySubject(person('PASSPORT', 'E12345678'), KEYS).code,
    );
  });
});
