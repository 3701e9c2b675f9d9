import { makeResidentId, PROVINCE_PREFIXES } from '@credit/identifiers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareRecord } from '../src/index.ts';
import { contextFor, type LooseRecord, wire } from './helpers.ts';

const residentId = fc
  .record({
    prefix: fc.constantFrom(...PROVINCE_PREFIXES),
    rest: fc.integer({ min: 0, max: 9999 }),
    birthDate: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    sequence: fc.integer({ min: 0, max: 999 }),
    mistype: fc.boolean(),
  })
  .map(({ prefix, rest, birthDate, sequence, mistype }) => {
    const id = makeResidentId({
      division: `${prefix}${String(rest).padStart(4, '0')}`,
      birthDate: birthDate.toISOString().slice(0, 10),
      sequence,
    });
    // A mistyped check character is still someone's identity number.
    return mistype ? `${id.slice(0, 17)}${id.endsWith('1') ? '2' : '1'}` : id;
  });

type Placement = (record: LooseRecord, id: string) => void;

const placements: Record<string, Placement> = {
  subjectCode: (r, id) =>
    Object.assign(r.envelope.subject, {
      category: 'NATURAL_PERSON',
      code: id,
      codeType: 'RESIDENT_IDENTITY_CARD',
      legalRepresentative: null,
      legacyCodes: null,
    }),
  subjectCodeAsUscc: (r, id) => {
    r.envelope.subject.code = id;
  },
  subjectCodeAsPassport: (r, id) => Object.assign(r.envelope.subject, { code: id, codeType: 'PASSPORT' }),
  subjectCodeWrongType: (r, id) => {
    r.envelope.subject.code = Number(id.slice(0, 15)) as never;
  },
  representative: (r, id) => {
    r.envelope.subject.legalRepresentative!.idNumber = id;
  },
  representativeNoType: (r, id) =>
    Object.assign(r.envelope.subject.legalRepresentative!, { idType: null, idNumber: id }),
  representativeAsUscc: (r, id) =>
    Object.assign(r.envelope.subject.legalRepresentative!, { idType: 'USCC', idNumber: id }),
  organisationCode: (r, id) => {
    r.envelope.subject.legacyCodes!.organisationCode = id;
  },
  authority: (r, id) => {
    r.penalisingAuthorityCode = id;
  },
  department: (r, id) => {
    r.envelope.reportingDepartmentCode = id;
  },
  enumField: (r, id) => {
    r.envelope.severity = id;
  },
  unknownField: (r, id) => {
    r.envelope.subject.idCard = id;
  },
  unknownFieldName: (r, id) => {
    r.envelope.subject[id] = 'x';
  },
  catalogueItem: (r, id) => {
    r.envelope.catalogueItemCode = id;
  },
  timestamp: (r, id) => {
    r.envelope.reportedAt = id;
  },
};

const breakages: ((record: LooseRecord) => void)[] = [
  () => {},
  (r) => {
    r.envelope.decisionDate = '2099-01-01';
  },
  (r) => {
    r.envelope.subject.category = 'LEGAL_ENTITY';
  },
  (r) => {
    r.envelope.subject.category = 'NATURAL_PERSON';
  },
  (r) => {
    r.fineAmount = '-5';
  },
  (r) => {
    r.envelope.version = 0;
  },
];

describe('privacy', () => {
  it('never lets a resident identity number out in clear, wherever it was put', () => {
    fc.assert(
      fc.property(
        residentId,
        fc.constantFrom(...Object.keys(placements)),
        fc.constantFrom(...breakages),
        fc.boolean(),
        (id, placement, breakage, lowerCase) => {
          const sent = lowerCase ? id.toLowerCase() : id;
          const result = prepareRecord(
            wire('administrative-penalty', (record) => {
              breakage(record);
              placements[placement]!(record, sent);
            }),
            contextFor('administrative-penalty'),
          );
          if (result.ok) return;
          const text = JSON.stringify(result.rejections);
          expect(text).not.toContain(id);
          expect(text.toUpperCase()).not.toContain(id.toUpperCase());
          for (const rejection of result.rejections) expect(rejection.code).toMatch(/^[A-Z_]+$/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('masks the number, keeping only its last four characters', () => {
    const id = makeResidentId({ division: '350102', birthDate: '1980-01-01', sequence: 123 });
    const broken = `${id.slice(0, 17)}${id.endsWith('1') ? '2' : '1'}`;
    const result = prepareRecord(
      wire('administrative-penalty', (r) => {
        r.envelope.subject.legalRepresentative!.idNumber = broken;
      }),
      contextFor('administrative-penalty'),
    );
    expect(result.ok === false && result.rejections[0]?.value).toBe(`**************${broken.slice(-4)}`);
  });
});
