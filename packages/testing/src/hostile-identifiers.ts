import {
  computeResidentIdCheckCharacter,
  makeResidentId,
  makeUscc,
  USCC_CHARSET,
  validateResidentId,
} from '@credit/identifiers';
import fc from 'fast-check';

/**
 * Identifiers and dates a careless or hostile client sends: unified social credit codes with wrong check characters
 * or lengths, resident identity numbers that are not valid (never a valid one, so none can reach a log as a real
 * number), dates and timestamps that do not exist or are out of range.
 */

const usccChar = fc.constantFrom(...USCC_CHARSET);
const usccParts = fc.record({
  authority: fc.constantFrom('1', '5', '9', 'Y'),
  entityType: fc.constantFrom('1', '2', '3', '9'),
  division: fc.constantFrom('350100', '350102', '110101', '440300', '000000', '999999'),
  organisationBody: fc.string({ unit: usccChar, minLength: 8, maxLength: 8 }),
});

/** A well-formed unified social credit code (GB 32100), both check characters right. */
export const validUscc: fc.Arbitrary<string> = usccParts.map(makeUscc);

/** A full-width character's ASCII form and back: `toFullWidth('9135')` is `９１３５`. */
export function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));
}

/**
 * Unified social credit codes that are not: a wrong check character, 17 or 19 characters, letters outside the
 * charset (I, O, S, V, Z), lower case, spaces and full-width forms of a wrong code.
 */
export const badUscc: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(validUscc, usccChar).map(([code, wrong]) => {
    const check = code.at(-1) === wrong ? USCC_CHARSET[(USCC_CHARSET.indexOf(wrong) + 1) % 31]! : wrong;
    return `${code.slice(0, 17)}${check}`;
  }),
  validUscc.map((code) => code.slice(0, 17)),
  fc.tuple(validUscc, usccChar).map(([code, extra]) => `${code}${extra}`),
  fc
    .tuple(validUscc, fc.integer({ min: 0, max: 17 }), fc.constantFrom('I', 'O', 'S', 'V', 'Z', '*', '中'))
    .map(([code, at, letter]) => `${code.slice(0, at)}${letter}${code.slice(at + 1)}`),
  validUscc.map((code) => ` ${code.slice(0, 9)} ${code.slice(9, 17)}X `),
  validUscc.map((code) => toFullWidth(`${code.slice(0, 17)}${code.at(-1) === '0' ? '1' : '0'}`)),
);

/** Valid codes written the way people write them: lower case, full width, padded with spaces. */
export const borderlineUscc: fc.Arbitrary<string> = fc.oneof(
  validUscc.map((code) => code.toLowerCase()),
  validUscc.map(toFullWidth),
  validUscc.map((code) => `  ${code}\t`),
);

const birthDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z') });
const residentIdParts = fc.record({
  division: fc.constantFrom('350102', '110101', '440305'),
  birthDate: birthDate.map((date) =>
    Number.isNaN(date.getTime()) ? '1980-01-01' : date.toISOString().slice(0, 10),
  ),
  sequence: fc.integer({ min: 1, max: 999 }),
});

/** A number with a wrong check character: never a valid one, so never one the privacy scan must find. */
const wrongCheck = fc.tuple(residentIdParts, fc.integer({ min: 1, max: 10 })).map(([parts, shift]) => {
  const number = makeResidentId(parts);
  const alphabet = '0123456789X';
  const wrong = alphabet[(alphabet.indexOf(number.at(-1)!) + shift) % 11]!;
  return `${number.slice(0, 17)}${wrong}`;
});

/**
 * Resident identity numbers (GB 11643) that are not valid: a wrong check character, an impossible birth date
 * (19990230, 20261301, 00000000), 17 or 19 characters, a lower-case x where the check character is not X.
 */
export const badResidentId: fc.Arbitrary<string> = fc
  .oneof(
    wrongCheck,
    fc
      .tuple(
        fc.constantFrom('350102', '110101'),
        fc.constantFrom('19990230', '20261301', '00000000', '19000000', '21000101', '20250229'),
        fc.integer({ min: 100, max: 999 }),
      )
      .map(([division, date, sequence]) => {
        const first17 = `${division}${date}${sequence}`;
        return `${first17}${computeResidentIdCheckCharacter(first17)}`;
      }),
    residentIdParts.map((parts) => makeResidentId(parts).slice(0, 17)),
    wrongCheck.map((number) => `${number}0`),
    wrongCheck.map((number) => `${number.slice(0, 17)}x`),
  )
  .filter((number) => !validateResidentId(number).valid);

/** Dates that are out of range or not dates: 0000-00-00, 9999-12-31, 2026-02-30, 2025-02-29, 2026-13-01... */
export const badDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0000-00-00',
    '0000-01-01',
    '0001-01-01',
    '9999-12-31',
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '1949-09-30',
    '1900-01-01',
    '2026-1-1',
    '20260101',
    '2026/01/01',
    '2026-01-01T00:00:00Z',
    '+275760-09-13',
    '-0001-01-01',
    '２０２６-０１-０１',
    '2026-01-01\u0000',
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    ),
);

/** Timestamps with an offset whose date or time does not exist. */
export const badTimestamp: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2026-02-30T00:00:00+08:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59+14:00',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T00:00:00+99:00',
    '2026-01-01T00:00:00',
  ),
  badDate.map((date) => `${date}T00:00:00Z`),
);
