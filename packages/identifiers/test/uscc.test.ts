import { describe, expect, it } from 'vitest';
import {
  computeUsccCheckCharacter,
  makeUscc,
  REGISTRATION_AUTHORITIES,
  type SubjectKind,
  usccContainsOrganisationCode,
  validateUscc,
} from '../src/index.ts';
import { reasonOf } from './helpers.ts';

// Published codes, each verified valid with this package's algorithm (both check characters):
const PUBLISHED = {
  /** The example in the brief. */
  fuzhou: '91350100M000100Y43',
  /** Industrial and Commercial Bank of China: registered at national level, division 100000. */
  icbc: '91100000100003962T',
  /** China Construction Bank: all digits. */
  ccb: '911100001000044477',
};
// 91110000100000000N, also suggested, is NOT valid: its organisation code check gives 8 (found 0) and
// its check character should be R; it is used below as an invalid sample.

const ENTERPRISE = makeUscc({
  authority: '9',
  entityType: '1',
  division: '330106',
  organisationBody: 'MA2H3K7Q',
});

describe('validateUscc on published codes', () => {
  it('accepts a published enterprise code and describes it', () => {
    expect(validateUscc(PUBLISHED.fuzhou)).toEqual({
      valid: true,
      code: '91350100M000100Y43',
      registrationAuthority: { code: '9', name: '工商/市场监管' },
      entityType: { code: '1', name: '企业' },
      kind: 'enterprise',
      divisionCode: '350100',
      organisationCode: 'M000100Y4',
    });
  });

  it('accepts a code registered at national level, with division 100000', () => {
    expect(validateUscc(PUBLISHED.icbc)).toMatchObject({ valid: true, divisionCode: '100000' });
  });

  it('accepts an all-digit code', () => {
    expect(validateUscc(PUBLISHED.ccb)).toMatchObject({ valid: true, organisationCode: '100004447' });
  });

  it('accepts full-width input after normalising it', () => {
    expect(validateUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toMatchObject({
      valid: true,
      code: PUBLISHED.fuzhou,
    });
  });

  it('accepts lower case, surrounding and inner spaces, and hyphens', () => {
    expect(validateUscc(' 91350100m000100y43 ')).toMatchObject({ valid: true, code: PUBLISHED.fuzhou });
    expect(validateUscc('9135 0100-M000 100Y4-3')).toMatchObject({ valid: true, code: PUBLISHED.fuzhou });
  });

  it('rejects 91110000100000000N, naming the organisation code check it fails first', () => {
    expect(reasonOf(validateUscc('91110000100000000N'))).toEqual({
      code: 'USCC_ORGANISATION_CODE_CHECK',
      message:
        "organisation code '100000000' (positions 9–17) has check character '0' but its first 8 characters give '8'",
    });
  });
});

describe('validateUscc on every registration authority and entity type', () => {
  const pairs = Object.entries(REGISTRATION_AUTHORITIES).flatMap(([authority, { name, entityTypes }]) =>
    Object.entries(entityTypes).map(([entityType, type]) => ({ authority, name, entityType, type })),
  );

  it.each(pairs)('accepts authority $authority with entity type $entityType ($type.name)', (pair) => {
    const code = makeUscc({
      authority: pair.authority,
      entityType: pair.entityType,
      division: '440305',
      organisationBody: '70846113',
    });
    expect(validateUscc(code)).toMatchObject({
      valid: true,
      registrationAuthority: { code: pair.authority, name: pair.name },
      entityType: { code: pair.entityType, name: pair.type.name },
      kind: pair.type.kind,
    });
  });

  it("holds the 12 authorities and 36 authority/type pairs of the brief's table", () => {
    expect(Object.keys(REGISTRATION_AUTHORITIES)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      'A',
      'N',
      'Y',
    ]);
    expect(pairs).toHaveLength(36);
  });

  it('maps authority/type pairs to the platform subject kinds', () => {
    const kindOf = (authority: string, entityType: string): SubjectKind | undefined =>
      REGISTRATION_AUTHORITIES[authority]?.entityTypes[entityType]?.kind;
    expect(kindOf('9', '1')).toBe('enterprise');
    expect(kindOf('9', '2')).toBe('individual_business');
    expect(kindOf('9', '3')).toBe('farmers_cooperative');
    expect(kindOf('1', '1')).toBe('government_body');
    expect(kindOf('1', '2')).toBe('public_institution');
    expect(kindOf('1', '3')).toBe('mass_organisation');
    expect(kindOf('5', '2')).toBe('social_organisation');
    expect(kindOf('3', '5')).toBe('legal_service');
    expect(kindOf('7', '2')).toBe('religious');
    expect(kindOf('8', '1')).toBe('trade_union');
    expect(kindOf('2', '1')).toBe('foreign_representative');
    expect(kindOf('N', '2')).toBe('collective_economic_organisation');
    expect(kindOf('A', '1')).toBe('military_institution');
    expect(kindOf('Y', '1')).toBe('other_organisation');
    expect(kindOf('5', '9')).toBe('other_organisation');
  });

  it.each([
    ['9', '4', '1, 2, 3'],
    ['9', '9', '1, 2, 3'],
    ['Y', '9', '1'],
    ['2', '2', '1, 9'],
    ['A', '3', '1, 9'],
  ])(
    'rejects authority %s with entity type %s, naming both and the types that exist',
    (authority, entityType, allowed) => {
      const code = makeUscc({ authority, entityType, division: '350100', organisationBody: 'M000100Y' });
      const reason = reasonOf(validateUscc(code));
      expect(reason.code).toBe('USCC_ENTITY_TYPE');
      expect(reason.message).toContain(`entity type '${entityType}' (position 2)`);
      expect(reason.message).toContain(`registration authority '${authority}'`);
      expect(reason.message).toContain(`expected one of ${allowed}`);
    },
  );

  it('rejects an unknown registration authority, listing the known ones', () => {
    const code = makeUscc({
      authority: 'B',
      entityType: '1',
      division: '350100',
      organisationBody: 'M000100Y',
    });
    expect(reasonOf(validateUscc(code))).toEqual({
      code: 'USCC_REGISTRATION_AUTHORITY',
      message:
        "registration authority code 'B' (position 1) is unknown; expected one of 1, 2, 3, 4, 5, 6, 7, 8, 9, A, N, Y",
    });
  });
});

describe('validateUscc on malformed codes', () => {
  it('rejects a code of the wrong length, saying how long it is', () => {
    expect(reasonOf(validateUscc('91350100M000100Y4'))).toEqual({
      code: 'USCC_LENGTH',
      message: 'a unified social credit code has 18 characters, this has 17',
    });
    expect(reasonOf(validateUscc(`${PUBLISHED.fuzhou}0`)).code).toBe('USCC_LENGTH');
    expect(reasonOf(validateUscc('')).code).toBe('USCC_LENGTH');
  });

  it.each([
    ['I', 9],
    ['O', 1],
    ['Z', 12],
    ['S', 17],
    ['V', 18],
  ])('rejects the letter %s, naming it and its position %i', (letter, position) => {
    const code = `${PUBLISHED.fuzhou.slice(0, position - 1)}${letter}${PUBLISHED.fuzhou.slice(position)}`;
    const reason = reasonOf(validateUscc(code));
    expect(reason.code).toBe('USCC_CHARSET');
    expect(reason.message).toBe(
      `character '${letter}' at position ${position} is not allowed; the charset is 0-9 and A-Z without I, O, S, V, Z`,
    );
  });

  it('rejects a character outside the Basic Multilingual Plane, quoting it whole', () => {
    expect(reasonOf(validateUscc('91350100M000100Y😀')).message).toContain("character '😀' at position 17");
  });

  it('rejects a division that is not 6 digits', () => {
    const code = makeUscc({
      authority: '9',
      entityType: '1',
      division: '35A100',
      organisationBody: 'M000100Y',
    });
    expect(reasonOf(validateUscc(code))).toEqual({
      code: 'USCC_DIVISION',
      message: "administrative division code '35A100' (positions 3–8) is not 6 digits",
    });
  });

  it.each(['990100', '000000', '100100', '190000', '720000'])(
    'rejects division %s, which has no province-level prefix',
    (division) => {
      const code = makeUscc({ authority: '9', entityType: '1', division, organisationBody: 'M000100Y' });
      const reason = reasonOf(validateUscc(code));
      expect(reason.code).toBe('USCC_DIVISION');
      expect(reason.message).toBe(
        `administrative division code '${division}' (positions 3–8) must start with a province-level prefix ` +
          '(11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81–82) or be 100000 (national level)',
      );
    },
  );

  it('rejects a code whose organisation code check character is wrong, giving expected and found', () => {
    const first17 = '91350100M000100Y5';
    const code = `${first17}${computeUsccCheckCharacter(first17)}`;
    expect(reasonOf(validateUscc(code))).toEqual({
      code: 'USCC_ORGANISATION_CODE_CHECK',
      message:
        "organisation code 'M000100Y5' (positions 9–17) has check character '5' but its first 8 characters give '4'",
    });
  });

  it('rejects a code whose check character does not match, naming the expected one', () => {
    expect(reasonOf(validateUscc('91350100M000100Y4X'))).toEqual({
      code: 'USCC_CHECK_CHARACTER',
      message: "check character is 'X' but the code's first 17 characters give '3'",
    });
  });

  it('rejects every single-character substitution of a valid code', () => {
    const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (const code of [PUBLISHED.fuzhou, ENTERPRISE]) {
      for (let index = 0; index < code.length; index++) {
        for (const replacement of charset) {
          if (replacement === code[index]) continue;
          const changed = `${code.slice(0, index)}${replacement}${code.slice(index + 1)}`;
          expect(validateUscc(changed).valid, changed).toBe(false);
        }
      }
    }
  });
});

describe('computeUsccCheckCharacter', () => {
  it('gives the 18th character of published codes', () => {
    for (const code of Object.values(PUBLISHED))
      expect(computeUsccCheckCharacter(code.slice(0, 17))).toBe(code[17]);
  });

  it('maps a check value of 31 to 0', () => {
    // 17 zeros sum to 0, and 31 − 0 = 31 is written as 0.
    expect(computeUsccCheckCharacter('00000000000000000')).toBe('0');
  });

  it('refuses input that is not 17 charset characters', () => {
    expect(() => computeUsccCheckCharacter('91350100M000100Y')).toThrow(RangeError);
    expect(() => computeUsccCheckCharacter('91350100M000100I4')).toThrow(RangeError);
  });
});

describe('makeUscc', () => {
  it('fills in both check characters', () => {
    expect(
      makeUscc({ authority: '9', entityType: '1', division: '350100', organisationBody: 'M000100Y' }),
    ).toBe(PUBLISHED.fuzhou);
    expect(
      makeUscc({ authority: '9', entityType: '1', division: '100000', organisationBody: '10000396' }),
    ).toBe(PUBLISHED.icbc);
  });

  it('refuses parts of the wrong length or outside the USCC charset, naming the part', () => {
    expect(() =>
      makeUscc({ authority: '9', entityType: '1', division: '3501', organisationBody: 'M000100Y' }),
    ).toThrow(/division must be 6/);
    expect(() =>
      makeUscc({ authority: '9', entityType: '1', division: '350100', organisationBody: 'M00O100Y' }),
    ).toThrow(/organisationBody/);
  });
});

describe('usccContainsOrganisationCode', () => {
  it('is true when positions 9–17 are the organisation code, in any accepted form', () => {
    expect(usccContainsOrganisationCode(PUBLISHED.icbc, '10000396-2')).toBe(true);
    expect(usccContainsOrganisationCode(PUBLISHED.fuzhou.toLowerCase(), 'm000100y4')).toBe(true);
  });

  it('is false for another organisation code or when either code is invalid', () => {
    expect(usccContainsOrganisationCode(PUBLISHED.icbc, 'D2143569-X')).toBe(false);
    expect(usccContainsOrganisationCode('91100000100003962A', '10000396-2')).toBe(false);
    expect(usccContainsOrganisationCode(PUBLISHED.icbc, '10000396-3')).toBe(false);
  });
});
