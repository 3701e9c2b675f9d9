import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCodec } from '../src/codec.ts';
import type {
  AdministrativePenalty,
  Envelope,
  IdDocumentType,
  PenaltyCategory,
  Severity,
  SubjectCategory,
} from '../src/generated/types.ts';

const codec = createCodec();

const PENALTY_CATEGORIES: readonly PenaltyCategory[] = [
  'WARNING',
  'PUBLIC_CRITICISM',
  'FINE',
  'CONFISCATION_OF_ILLEGAL_GAINS',
  'CONFISCATION_OF_ILLEGAL_PROPERTY',
  'LICENCE_SUSPENSION',
  'QUALIFICATION_DOWNGRADE',
  'LICENCE_REVOCATION',
  'BUSINESS_RESTRICTION',
  'SUSPENSION_OF_PRODUCTION_OR_BUSINESS',
  'ORDERED_CLOSURE',
  'PRACTICE_RESTRICTION',
  'ADMINISTRATIVE_DETENTION',
  'OTHER',
];
const ID_TYPES: readonly IdDocumentType[] = ['USCC', 'RESIDENT_IDENTITY_CARD', 'PASSPORT', 'OTHER'];
const SUBJECT_CATEGORIES: readonly SubjectCategory[] = [
  'LEGAL_ENTITY',
  'NATURAL_PERSON',
  'INDIVIDUAL_BUSINESS',
];
const SEVERITIES: readonly Severity[] = ['BASIC', 'POSITIVE', 'GENERAL_DISHONESTY', 'SERIOUS_DISHONESTY'];

/** Any text, Chinese included (graphemes are well-formed UTF-16, as Avro strings must be). */
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const optionalText = fc.option(text, { nil: null });

/** decimal(18, 6) in its canonical form: every value the schema can hold, written with exactly 6 fraction digits. */
const amount = fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }).map((unscaled) => {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(7, '0');
  return `${unscaled < 0n ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
});

const day = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const instant = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('2200-01-01T00:00:00Z'),
  noInvalidDate: true,
});

const bytes = fc.uint8Array({ maxLength: 80 }).map((array) => Buffer.from(array));

const envelope: fc.Arbitrary<Envelope> = fc.record({
  sourceRecordId: text,
  // avsc holds longs as JS numbers up to 2^53 - 2.
  version: fc.integer({ min: 1, max: 9007199254740990 }),
  operation: fc.constantFrom('UPSERT', 'REVOKE'),
  reportingDepartmentCode: text,
  subject: fc.record({
    category: fc.constantFrom(...SUBJECT_CATEGORIES),
    code: text,
    codeType: fc.constantFrom(...ID_TYPES),
    name: text,
    lei: optionalText,
    legalRepresentative: fc.option(
      fc.record({
        name: text,
        idType: fc.option(fc.constantFrom(...ID_TYPES), { nil: null }),
        idNumber: optionalText,
      }),
      { nil: null },
    ),
    legacyCodes: fc.option(
      fc.record({
        registrationNumber: optionalText,
        organisationCode: optionalText,
        taxRegistrationNumber: optionalText,
        publicInstitutionCertificateNumber: optionalText,
        socialOrganisationRegistrationNumber: optionalText,
      }),
      { nil: null },
    ),
  }),
  decisionDate: day,
  reportedAt: instant,
  catalogueItemCode: text,
  severity: fc.constantFrom(...SEVERITIES),
  changeReason: optionalText,
  sealed: fc.option(
    fc.record({
      keyId: text,
      encapsulatedKey: bytes,
      subjectCode: fc.option(bytes, { nil: null }),
      legalRepresentativeIdNumber: fc.option(bytes, { nil: null }),
    }),
    { nil: null },
  ),
});

const penalty: fc.Arbitrary<AdministrativePenalty> = fc.record({
  envelope,
  decisionDocumentNumber: text,
  violationType: text,
  violationFacts: text,
  legalBasis: text,
  penaltyCategories: fc.uniqueArray(fc.constantFrom(...PENALTY_CATEGORIES), { maxLength: 4 }),
  penaltyContent: text,
  fineAmount: fc.option(amount, { nil: null }),
  confiscatedAmount: fc.option(amount, { nil: null }),
  suspendedOrRevokedLicence: optionalText,
  penaltyValidUntil: fc.option(day, { nil: null }),
  publicationDeadline: day,
  penalisingAuthority: text,
  penalisingAuthorityCode: text,
  remarks: optionalText,
});

describe('codec properties', () => {
  it('decode(encode(penalty)) deep-equals the penalty', () => {
    fc.assert(
      fc.property(penalty, (value) => {
        const decoded = codec.decode(codec.encode('administrative-penalty', value));
        expect(decoded.kind).toBe('administrative-penalty');
        expect(decoded.value).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('decimal amounts come back digit for digit', () => {
    fc.assert(
      fc.property(penalty, amount, (value, fine) => {
        const decoded = codec.decode(codec.encode('administrative-penalty', { ...value, fineAmount: fine }));
        if (decoded.kind !== 'administrative-penalty') throw new Error(decoded.kind);
        expect(decoded.value.fineAmount).toBe(fine);
      }),
    );
  });
});
