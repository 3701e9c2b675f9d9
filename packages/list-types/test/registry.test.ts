import { describe, expect, it } from 'vitest';
import { loadListTypes } from '../src/index.ts';
import { fixture } from './helpers.ts';

const registry = loadListTypes(fixture('valid-minimal.yaml'));

describe('ListTypeRegistry lookups', () => {
  it('get finds a list type by code and gives undefined for an unknown code', () => {
    expect(registry.get('major-tax-violation')).toMatchObject({
      name: '重大税收违法失信主体',
      colour: 'black',
      validity: { months: 36 },
      repair: { allowed: true, minimumMonths: 6 },
      afterExit: { list: 'key-attention', months: 12 },
    });
    expect(registry.get('no-such-list')).toBeUndefined();
  });

  it('byColour returns the list types of a colour in file order, empty when there are none', () => {
    expect(registry.byColour('red').map((type) => type.code)).toEqual(['a-level-taxpayer']);
    expect(registry.byColour('watch').map((type) => type.code)).toEqual(['key-attention']);
    expect(registry.byColour('warning')).toEqual([]);
  });

  it('forEvidenceKind returns the list types a record kind may support', () => {
    expect(registry.forEvidenceKind('administrative-penalty').map((type) => type.code)).toEqual([
      'major-tax-violation',
      'key-attention',
    ]);
    expect(registry.forEvidenceKind('credit-grade').map((type) => type.code)).toEqual(['a-level-taxpayer']);
    expect(registry.forEvidenceKind('honour')).toEqual([]);
  });

  it('exposes the version and its change log, and the registry cannot be changed through types', () => {
    expect(registry.version).toBe('2026.1');
    expect(registry.changes).toEqual([
      { version: '2026.1', date: '2026-11-22', changes: ['Test registry.'] },
    ]);
    expect(Object.isFrozen(registry.types)).toBe(true);
  });

  it('on the shipped file, 失信被执行人 records support the court list and the general joint-sanction list', () => {
    const codes = loadListTypes()
      .forEvidenceKind('dishonest-judgment-debtor')
      .map((type) => type.code);
    expect(codes).toEqual(['joint-sanction', 'dishonest-judgment-debtor']);
  });
});
