import { describe, expect, it } from 'vitest';
import { computeOrganisationCodeCheckCharacter, validateOrganisationCode } from '../src/index.ts';
import { reasonOf } from './helpers.ts';

describe('validateOrganisationCode', () => {
  it('accepts a valid code with a digit check character and gives its display form', () => {
    // Industrial and Commercial Bank of China's organisation code, positions 9–17 of 91100000100003962T.
    expect(validateOrganisationCode('100003962')).toEqual({
      valid: true,
      code: '100003962',
      displayForm: '10000396-2',
    });
  });

  it('accepts codes whose check character is X (check value 10)', () => {
    expect(validateOrganisationCode('D2143569-X').valid).toBe(true);
    expect(validateOrganisationCode('12345677X').valid).toBe(true);
  });

  it('accepts codes whose check character is 0 (check value 11)', () => {
    expect(validateOrganisationCode('12345671-0').valid).toBe(true);
    expect(validateOrganisationCode('MA01234C-0').valid).toBe(true);
  });

  it('accepts the hyphenated display form, lower case and full-width characters', () => {
    expect(validateOrganisationCode(' d2143569-x ')).toMatchObject({ valid: true, code: 'D2143569X' });
    expect(validateOrganisationCode('Ｄ２１４３５６９－Ｘ')).toMatchObject({
      valid: true,
      displayForm: 'D2143569-X',
    });
  });

  it('rejects a code whose check character does not match, naming the expected one', () => {
    expect(validateOrganisationCode('D2143569-1')).toMatchObject({
      valid: false,
      normalised: 'D21435691',
      reason: {
        code: 'ORG_CHECK_CHARACTER',
        message: "check character is '1' but the code's first 8 characters give 'X'",
      },
    });
  });

  it('rejects a code of the wrong length', () => {
    expect(validateOrganisationCode('D2143569')).toMatchObject({
      valid: false,
      reason: { code: 'ORG_LENGTH' },
    });
  });

  it('rejects a character outside 0-9 and A-Z, naming it and its position', () => {
    const result = validateOrganisationCode('D21#3569X');
    expect(result).toMatchObject({ valid: false, reason: { code: 'ORG_CHARSET' } });
    expect(reasonOf(result).message).toContain("'#' at position 4");
  });

  it('rejects a check character that is neither a digit nor X', () => {
    expect(validateOrganisationCode('D2143569A')).toMatchObject({
      valid: false,
      reason: { code: 'ORG_CHARSET' },
    });
  });
});

describe('computeOrganisationCodeCheckCharacter', () => {
  it('computes 11 − (Σ mod 11) with weights 3,7,9,10,5,8,4,2, mapping 10 to X and 11 to 0', () => {
    expect(computeOrganisationCodeCheckCharacter('10000396')).toBe('2');
    expect(computeOrganisationCodeCheckCharacter('D2143569')).toBe('X');
    expect(computeOrganisationCodeCheckCharacter('00000000')).toBe('0');
  });

  it('refuses a body that is not 8 characters of 0-9 and A-Z', () => {
    expect(() => computeOrganisationCodeCheckCharacter('1234567')).toThrow(RangeError);
    expect(() => computeOrganisationCodeCheckCharacter('1234567a')).toThrow(RangeError);
  });
});
