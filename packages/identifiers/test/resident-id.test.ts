import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeResidentIdCheckCharacter, makeResidentId, validateResidentId } from '../src/index.ts';
import { residentIdParts, TODAY } from './arbitraries.ts';
import { reasonOf } from './helpers.ts';

const options = { today: TODAY };
// Built with makeResidentId and checked by hand against the GB 11643-1999 weights.
const MAN = '110101199003074573';
const WOMAN = '110101199003074629';
const ENDS_IN_X = '44030519851123018X';

describe('validateResidentId', () => {
  it('accepts a valid number and derives division, birth date and sex', () => {
    expect(validateResidentId(MAN, options)).toEqual({
      valid: true,
      number: MAN,
      divisionCode: '110101',
      birthDate: '1990-03-07',
      sex: 'male',
    });
  });

  it('derives the sex from the parity of the 17th digit: odd for men, even for women', () => {
    expect(validateResidentId(MAN, options)).toMatchObject({ sex: 'male' });
    expect(validateResidentId(WOMAN, options)).toMatchObject({ sex: 'female' });
  });

  it('accepts X as the check character, in upper or lower case', () => {
    expect(validateResidentId(ENDS_IN_X, options)).toMatchObject({ valid: true, number: ENDS_IN_X });
    expect(validateResidentId(ENDS_IN_X.toLowerCase(), options)).toMatchObject({
      valid: true,
      number: ENDS_IN_X,
    });
  });

  it('accepts full-width digits and spaces between groups', () => {
    expect(validateResidentId('１１０１０１ １９９００３０７ ４５７３', options)).toMatchObject({
      valid: true,
      number: MAN,
    });
  });

  it('accepts 29 February in leap years, including 2000', () => {
    expect(validateResidentId('320102200002290187', options)).toMatchObject({
      valid: true,
      birthDate: '2000-02-29',
    });
    expect(validateResidentId('320102202402290185', options)).toMatchObject({
      valid: true,
      birthDate: '2024-02-29',
    });
  });

  it('rejects 29 February in years that are not leap years, including 1900', () => {
    for (const number of ['320102202302290188', '320102190002290180']) {
      expect(reasonOf(validateResidentId(number, options))).toEqual({
        code: 'ID_BIRTH_DATE',
        message: 'birth date (positions 7–14) is not a real calendar date',
      });
    }
  });

  it('rejects months and days that do not exist', () => {
    for (const birthDate of ['19901307', '19900431', '19900100', '19900001']) {
      const number = makeResidentId({ division: '110101', birthDate, sequence: 457 });
      expect(reasonOf(validateResidentId(number, options)).code).toBe('ID_BIRTH_DATE');
    }
  });

  it('accepts a birth date equal to the injected today and rejects the next day as in the future', () => {
    const bornToday = makeResidentId({ division: '110101', birthDate: TODAY, sequence: 1 });
    const bornTomorrow = makeResidentId({ division: '110101', birthDate: '2025-06-02', sequence: 1 });
    expect(validateResidentId(bornToday, options).valid).toBe(true);
    expect(reasonOf(validateResidentId(bornTomorrow, options))).toEqual({
      code: 'ID_BIRTH_DATE',
      message: `birth date (positions 7–14) is in the future (today is ${TODAY})`,
    });
  });

  it('rejects a future birth date against the real clock when no today is injected', () => {
    const number = makeResidentId({ division: '110101', birthDate: '2999-01-01', sequence: 1 });
    expect(reasonOf(validateResidentId(number)).code).toBe('ID_BIRTH_DATE');
    expect(validateResidentId(MAN).valid).toBe(true);
  });

  it('rejects a birth date before 1900-01-01', () => {
    const number = makeResidentId({ division: '110101', birthDate: '1899-12-31', sequence: 1 });
    expect(reasonOf(validateResidentId(number, options))).toEqual({
      code: 'ID_BIRTH_DATE',
      message: 'birth date (positions 7–14) is before 1900-01-01',
    });
    expect(
      validateResidentId(
        makeResidentId({ division: '110101', birthDate: '1900-01-01', sequence: 1 }),
        options,
      ).valid,
    ).toBe(true);
  });

  it('rejects a number whose check character does not match, naming the expected one', () => {
    expect(reasonOf(validateResidentId('110101199003074578', options))).toEqual({
      code: 'ID_CHECK_CHARACTER',
      message: "check character is '8' but the number's first 17 characters give '3'",
    });
  });

  it('rejects a number of the wrong length', () => {
    expect(reasonOf(validateResidentId('11010119900307457', options))).toEqual({
      code: 'ID_LENGTH',
      message: 'a resident identity number has 18 characters, this has 17',
    });
  });

  it('rejects a letter among the first 17 characters and anything but a digit or X last, naming the position', () => {
    expect(reasonOf(validateResidentId('1101011990030X4573', options))).toEqual({
      code: 'ID_CHARSET',
      message: "character 'X' at position 14 is not allowed; it must be a digit",
    });
    expect(reasonOf(validateResidentId('11010119900307457Y', options))).toEqual({
      code: 'ID_CHARSET',
      message: "character 'Y' at position 18 is not allowed; it must be a digit or X",
    });
  });

  it.each(['990101', '100000', '000000', '720101'])(
    'rejects division %s, which is no province',
    (division) => {
      const number = makeResidentId({ division, birthDate: '1990-03-07', sequence: 457 });
      const reason = reasonOf(validateResidentId(number, options));
      expect(reason.code).toBe('ID_DIVISION');
      expect(reason.message).toContain(
        `division code '${division}' (positions 1–6) must start with a province-level prefix`,
      );
      expect(reason.message).not.toContain('national');
    },
  );

  it('never quotes the birth date or sequence in a reason message', () => {
    for (const number of ['110101299003074573', '110101202302290188', '110101199003074578']) {
      const message = reasonOf(validateResidentId(number, options)).message;
      expect(message).not.toContain(number.slice(6, 14));
      expect(message).not.toMatch(/\d{5,}/);
    }
  });

  it('refuses an injected today that is not a YYYY-MM-DD date', () => {
    expect(() => validateResidentId(MAN, { today: '2025-02-30' })).toThrow(RangeError);
    expect(() => validateResidentId(MAN, { today: '20250601' })).toThrow(RangeError);
  });
});

describe('resident identity number properties', () => {
  it('accepts every number built by makeResidentId from a province, a past date and a sequence', () => {
    fc.assert(
      fc.property(residentIdParts, (parts) => {
        expect(validateResidentId(makeResidentId(parts), options)).toMatchObject({
          valid: true,
          divisionCode: parts.division,
          birthDate: parts.birthDate,
          sex: parts.sequence % 2 === 1 ? 'male' : 'female',
        });
      }),
      { numRuns: 500 },
    );
  });

  it('rejects any single substitution of a digit', () => {
    fc.assert(
      fc.property(
        residentIdParts,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (parts, index, delta) => {
          const number = makeResidentId(parts);
          const digit = String((Number(number[index]) + delta) % 10);
          const changed = `${number.slice(0, index)}${digit}${number.slice(index + 1)}`;
          expect(validateResidentId(changed, options).valid).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('computeResidentIdCheckCharacter', () => {
  it('maps Σ mod 11 to 1, 0, X, 9 … 2', () => {
    expect(computeResidentIdCheckCharacter(MAN.slice(0, 17))).toBe('3');
    expect(computeResidentIdCheckCharacter(ENDS_IN_X.slice(0, 17))).toBe('X');
    // All zeros sum to 0, which maps to 1.
    expect(computeResidentIdCheckCharacter('00000000000000000')).toBe('1');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => computeResidentIdCheckCharacter('1101011990030745')).toThrow(RangeError);
    expect(() => computeResidentIdCheckCharacter('1101011990030745X')).toThrow(RangeError);
  });
});

describe('makeResidentId', () => {
  it('pads the sequence and appends the check character', () => {
    expect(makeResidentId({ division: '440305', birthDate: '19851123', sequence: 1 })).toBe(
      `44030519851123001${computeResidentIdCheckCharacter('44030519851123001')}`,
    );
    expect(makeResidentId({ division: '110101', birthDate: '1990-03-07', sequence: 457 })).toBe(MAN);
  });

  it('refuses malformed parts', () => {
    expect(() => makeResidentId({ division: '11010', birthDate: '1990-03-07', sequence: 1 })).toThrow(
      /division/,
    );
    expect(() => makeResidentId({ division: '110101', birthDate: '1990-3-7', sequence: 1 })).toThrow(
      /birthDate/,
    );
    expect(() => makeResidentId({ division: '110101', birthDate: '1990-03-07', sequence: 1000 })).toThrow(
      /sequence/,
    );
  });
});
