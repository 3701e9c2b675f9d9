import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMod1110CheckDigit, validateRegistrationNumber } from '../src/index.ts';
import { reasonOf } from './helpers.ts';

// Industrial and Commercial Bank of China's registration number before the USCC (verified: its MOD 11,10
// check digit is 5); registered at national level, hence 100000.
const ICBC = '100000000003965';

describe('computeMod1110CheckDigit', () => {
  it('gives the ISO 7064 MOD 11,10 check digit', () => {
    expect(computeMod1110CheckDigit(ICBC.slice(0, 14))).toBe('5');
    expect(computeMod1110CheckDigit('11010800000001')).toBe('6');
  });

  it('detects every single-digit substitution', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 14, maxLength: 14 }),
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 1, max: 9 }),
        (body, index, delta) => {
          const number = `${body}${computeMod1110CheckDigit(body)}`;
          const digit = String((Number(number[index]) + delta) % 10);
          const changed = `${number.slice(0, index)}${digit}${number.slice(index + 1)}`;
          expect(computeMod1110CheckDigit(changed.slice(0, 14))).not.toBe(changed[14]);
        },
      ),
    );
  });

  it('refuses anything but digits', () => {
    expect(() => computeMod1110CheckDigit('1234A')).toThrow(RangeError);
    expect(() => computeMod1110CheckDigit('')).toThrow(RangeError);
  });
});

describe('validateRegistrationNumber', () => {
  it('accepts a valid 15-digit number and gives its division', () => {
    expect(validateRegistrationNumber(ICBC)).toEqual({ valid: true, number: ICBC, divisionCode: '100000' });
    expect(validateRegistrationNumber('110108 000000016')).toEqual({
      valid: true,
      number: '110108000000016',
      divisionCode: '110108',
    });
  });

  it('rejects a number whose check digit does not match, naming the expected one', () => {
    expect(reasonOf(validateRegistrationNumber('100000000003964'))).toEqual({
      code: 'REG_CHECK_DIGIT',
      message: "check digit is '4' but the number's first 14 digits give '5' (ISO 7064 MOD 11,10)",
    });
  });

  it('rejects a number of the wrong length', () => {
    expect(reasonOf(validateRegistrationNumber('10000000000396')).code).toBe('REG_LENGTH');
  });

  it('rejects a non-digit, naming it and its position', () => {
    expect(reasonOf(validateRegistrationNumber('1000000000039A5'))).toEqual({
      code: 'REG_CHARSET',
      message: "character 'A' at position 14 is not a digit",
    });
  });

  it('rejects a number whose first six digits are no division', () => {
    const body = '99000000000396';
    expect(reasonOf(validateRegistrationNumber(`${body}${computeMod1110CheckDigit(body)}`)).code).toBe(
      'REG_DIVISION',
    );
  });
});
