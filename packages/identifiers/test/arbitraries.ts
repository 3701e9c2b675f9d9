import fc from 'fast-check';
import { PROVINCE_PREFIXES, REGISTRATION_AUTHORITIES, USCC_CHARSET } from '../src/index.ts';

export const usccCharacter = fc.constantFrom(...USCC_CHARSET);

export const authorityAndEntityType = fc.constantFrom(
  ...Object.entries(REGISTRATION_AUTHORITIES).flatMap(([authority, { entityTypes }]) =>
    Object.keys(entityTypes).map((entityType) => ({ authority, entityType })),
  ),
);

const fourDigits = fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));

export const provinceDivision = fc
  .tuple(fc.constantFrom(...PROVINCE_PREFIXES), fourDigits)
  .map(([prefix, rest]) => `${prefix}${rest}`);

export const usccParts = fc.record({
  pair: authorityAndEntityType,
  division: fc.oneof(provinceDivision, fc.constant('100000')),
  organisationBody: fc.string({ unit: usccCharacter, minLength: 8, maxLength: 8 }),
});

/** Birth dates from 1900-01-01 to 2024-12-31, so they are in the past for TODAY. */
export const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

export const TODAY = '2025-06-01';

export const residentIdParts = fc.record({
  division: provinceDivision,
  birthDate,
  sequence: fc.integer({ min: 0, max: 999 }),
});
