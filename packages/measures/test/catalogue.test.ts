import { describe, expect, it } from 'vitest';
import { loadMeasures, type Measure } from '../src/index.ts';
import { fixture, fixtureListTypes } from './helpers.ts';

const catalogue = loadMeasures(fixture('valid-minimal.yaml'), { listTypes: fixtureListTypes });
const codes = (measures: Measure[]) => measures.map((measure) => measure.code);

describe('MeasuresCatalogue lookups', () => {
  it('get finds a measure by code, matterType a matter type; undefined for unknown codes', () => {
    expect(catalogue.get('restrict-high-consumption')).toMatchObject({
      kind: 'sanction',
      class: 'mandatory',
      listTypes: ['dishonest-judgment-debtor'],
      implementingDepartments: ['intermediate-court'],
      reachesResponsiblePersons: true,
    });
    expect(catalogue.get('no-such-measure')).toBeUndefined();
    expect(catalogue.matterType('tendering')).toEqual({
      code: 'tendering',
      name: '招标投标',
      nameEn: 'Tendering',
    });
    expect(catalogue.matterType('procurement')).toBeUndefined();
  });

  it('gives every measure its subject categories: as written, or all of them when the file has none', () => {
    expect(catalogue.get('credit-bonus')?.subjectCategories).toEqual(['LEGAL_ENTITY']);
    expect(catalogue.get('restrict-bidding')?.subjectCategories).toEqual([
      'LEGAL_ENTITY',
      'NATURAL_PERSON',
      'INDIVIDUAL_BUSINESS',
    ]);
  });

  it('forListType returns the measures on a list type in file order, empty for an unknown one', () => {
    expect(codes(catalogue.forListType('dishonest-judgment-debtor'))).toEqual([
      'restrict-bidding',
      'exclude-tenderer',
      'restrict-high-consumption',
    ]);
    expect(codes(catalogue.forListType('key-attention'))).toEqual([
      'priority-supervision',
      'bidding-credit-reference',
    ]);
    expect(catalogue.forListType('no-such-list')).toEqual([]);
  });

  it('applicable orders sanctions before incentives, mandatory before recommended, then by code', () => {
    expect(
      codes(
        catalogue.applicable(
          [
            'integrity-model',
            'key-attention',
            'major-tax-violation',
            'a-level-taxpayer',
            'dishonest-judgment-debtor',
          ],
          'tendering',
        ),
      ),
    ).toEqual([
      'exclude-tenderer',
      'restrict-bidding',
      'bidding-credit-reference',
      'green-channel',
      'credit-bonus',
    ]);
  });

  it('applicable gives a measure once though several of the list types carry it', () => {
    expect(codes(catalogue.applicable(['integrity-model', 'a-level-taxpayer'], 'tendering'))).toEqual([
      'green-channel',
      'credit-bonus',
    ]);
    expect(
      codes(catalogue.applicable(['major-tax-violation', 'key-attention', 'credit-warning'], 'inspections')),
    ).toEqual(['priority-supervision']);
  });

  it('applicable does not depend on the order of the list types, and keeps to the matter type', () => {
    const lists = ['dishonest-judgment-debtor', 'a-level-taxpayer', 'key-attention'];
    expect(catalogue.applicable([...lists].reverse(), 'tendering')).toEqual(
      catalogue.applicable(lists, 'tendering'),
    );
    expect(codes(catalogue.applicable(lists, 'government-procurement'))).toEqual(['restrict-bidding']);
    expect(codes(catalogue.applicable(lists, 'high-consumption'))).toEqual(['restrict-high-consumption']);
  });

  it('applicable is empty for no list types, unknown list types or an unknown matter type', () => {
    expect(catalogue.applicable([], 'tendering')).toEqual([]);
    expect(catalogue.applicable(['no-such-list'], 'tendering')).toEqual([]);
    expect(catalogue.applicable(['dishonest-judgment-debtor'], 'no-such-matter')).toEqual([]);
  });

  it('exposes the version, the change log and the deadlines, and cannot be changed through its arrays', () => {
    expect(catalogue.version).toBe('2026.1');
    expect(catalogue.changes).toEqual([
      { version: '2026.1', date: '2026-12-02', changes: ['Test catalogue.'] },
    ]);
    expect(catalogue.responseDeadlines).toEqual({ acknowledgeWorkingDays: 3, feedbackWorkingDays: 15 });
    expect(Object.isFrozen(catalogue.measures)).toBe(true);
    expect(Object.isFrozen(catalogue.matterTypes)).toBe(true);
  });
});
