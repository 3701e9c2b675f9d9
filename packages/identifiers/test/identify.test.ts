import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identify, makeResidentId, makeUscc, tokeniseResidentId, validateResidentId } from '../src/index.ts';
import { residentIdParts, TODAY } from './arbitraries.ts';

const options = { today: TODAY };
const KEY = new Uint8Array(32).fill(0x2a);
const PERSON = '110101199003074573';

/** An all-digit USCC (authority 1, type 1, division 110119) whose digits also read as a birth date. */
function allDigitUscc(acceptIt: (code: string) => boolean): string {
  for (let sequence = 0; sequence < 100; sequence++) {
    const organisationBody = `900307${String(sequence).padStart(2, '0')}`;
    const code = makeUscc({ authority: '1', entityType: '1', division: '110119', organisationBody });
    if (/^\d{17}[\dX]$/.test(code) && acceptIt(code)) return code;
  }
  throw new Error('no such code in the first 100 bodies');
}

describe('identify', () => {
  it('identifies a unified social credit code', () => {
    expect(identify('91350100M000100Y43')).toMatchObject({ type: 'uscc', valid: true, kind: 'enterprise' });
  });

  it('identifies a USCC given in full width and lower case', () => {
    expect(identify('９１３５０１００ｍ０００１００ｙ４３')).toMatchObject({ type: 'uscc', valid: true });
  });

  it('reports an invalid USCC with its precise reason', () => {
    expect(identify('91350100M000100Y4X')).toMatchObject({
      type: 'uscc',
      valid: false,
      reason: {
        code: 'USCC_CHECK_CHARACTER',
        message: "check character is 'X' but the code's first 17 characters give '3'",
      },
    });
    expect(identify('91350100M00I100Y43')).toMatchObject({ type: 'uscc', reason: { code: 'USCC_CHARSET' } });
  });

  it('identifies a resident identity number without its clear number, masked, with no token by default', () => {
    expect(identify(PERSON, options)).toEqual({
      type: 'resident_id',
      valid: true,
      maskedNumber: '**************4573',
      divisionCode: '110101',
      sex: 'male',
    });
  });

  it('adds the token when a key is given', () => {
    expect(identify(PERSON, { ...options, tokenKey: KEY })).toMatchObject({
      type: 'resident_id',
      token: tokeniseResidentId(PERSON, KEY),
    });
  });

  it('reports an invalid resident identity number masked, with its reason', () => {
    expect(identify('110101199003074578', options)).toEqual({
      type: 'resident_id',
      valid: false,
      maskedInput: '**************4578',
      reason: {
        code: 'ID_CHECK_CHARACTER',
        message: "check character is '8' but the number's first 17 characters give '3'",
      },
    });
    expect(identify('11010120990307457X', options)).toMatchObject({
      type: 'resident_id',
      reason: { code: 'ID_BIRTH_DATE' },
    });
  });

  it('prefers the resident identity number when 18 digits are valid as both', () => {
    const both = allDigitUscc((code) => validateResidentId(code, options).valid);
    expect(identify(both, options)).toMatchObject({ type: 'resident_id', valid: true });
  });

  it('falls back to the USCC when 18 digits are a valid USCC but no valid resident identity number', () => {
    const uscc = allDigitUscc((code) => !validateResidentId(code, options).valid);
    expect(identify(uscc, options)).toMatchObject({ type: 'uscc', valid: true, kind: 'government_body' });
    // China Construction Bank: starts with 91, which is no province.
    expect(identify('911100001000044477', options)).toMatchObject({ type: 'uscc', valid: true });
  });

  it('reports the resident-ID reason, masked, for invalid digits that are neither a province nor an authority and type', () => {
    expect(identify('990101199003074573', options)).toEqual({
      type: 'resident_id',
      valid: false,
      maskedInput: '**************4573',
      reason: {
        code: 'ID_DIVISION',
        message: expect.stringContaining(
          "division code '990101' (positions 1–6) must start with a province-level prefix",
        ),
      },
    });
  });

  it('reports the USCC reason for invalid digits whose first six are no province but start like a USCC, e.g. 91…', () => {
    expect(identify('911100001000044470', options)).toMatchObject({
      type: 'uscc',
      valid: false,
      reason: { code: 'USCC_CHECK_CHARACTER' },
    });
  });

  it('identifies legacy organisation codes and registration numbers', () => {
    expect(identify('10000396-2')).toMatchObject({
      type: 'organisation_code',
      valid: true,
      code: '100003962',
    });
    expect(identify('100000000003965')).toMatchObject({ type: 'registration_number', valid: true });
    expect(identify('100000000003966')).toMatchObject({
      type: 'registration_number',
      valid: false,
      reason: { code: 'REG_CHECK_DIGIT' },
    });
  });

  it('calls anything else unknown, saying what was expected without echoing the input', () => {
    const result = identify('1101011990030745');
    expect(result).toEqual({
      type: 'unknown',
      valid: false,
      reason: {
        code: 'UNKNOWN_FORMAT',
        message:
          'expected 18 characters (unified social credit code or resident identity number), ' +
          '9 (organisation code) or 15 digits (registration number); got 16 characters',
      },
    });
    expect(identify('  ')).toMatchObject({
      type: 'unknown',
      reason: { message: expect.stringMatching(/^input is empty/) },
    });
  });

  it('never puts a resident identity number or its birth date in its output, valid or not', () => {
    fc.assert(
      fc.property(residentIdParts, fc.boolean(), fc.integer({ min: 0, max: 16 }), (parts, withKey, typo) => {
        const number = makeResidentId(parts);
        const mistyped = `${number.slice(0, typo)}${(Number(number[typo]) + 1) % 10}${number.slice(typo + 1)}`;
        for (const input of [
          number,
          mistyped,
          number.toLowerCase(),
          `${number.slice(0, 6)} ${number.slice(6)}`,
        ]) {
          const result = identify(input, withKey ? { ...options, tokenKey: KEY } : options);
          const line = JSON.stringify(result);
          if (result.type === 'resident_id') {
            expect(line).not.toContain(input.replace(' ', ''));
            expect(line).not.toContain(number.slice(6, 14));
          }
        }
        expect(identify(number, options).type).toBe('resident_id');
      }),
      { numRuns: 300 },
    );
  });
});
