import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/rules/evaluate.ts';
import { entry, facts, ITEMS, minor, record, registry, rules, serious, taxGrade } from './rules-helpers.ts';

describe('evaluate: all rules over one subject', () => {
  const records = [
    serious(ITEMS.workSafety, '2025-03-01'),
    serious(ITEMS.foodDrug, '2025-04-01'),
    minor(ITEMS.taxation, '2024-09-01'),
    minor(ITEMS.taxation, '2024-12-01'),
    minor(ITEMS.customs, '2025-02-01'),
    serious(ITEMS.customs, '2025-05-01'),
    record('350100-MD-0003', { decisionDate: '2025-05-02' }),
    taxGrade('A', '2025-04-01'),
  ];
  const entries = [
    entry({
      id: 'W-SAFETY',
      field: 'work-safety',
      validFrom: '2025-03-01',
      validUntil: '2026-03-01',
      basis: [records[0]!],
    }),
    entry({
      id: 'W-FOOD',
      field: 'food-drug',
      validFrom: '2025-04-01',
      validUntil: '2026-04-01',
      basis: [records[1]!],
    }),
    entry({ id: 'W-TAX', field: 'taxation', validFrom: '2025-02-01', validUntil: '2026-02-01' }),
    entry({ id: 'RED', listType: 'a-level-taxpayer', colour: 'red', field: null }),
  ];
  const result = evaluate(facts(records, entries), rules, registry, '2025-06-01');

  it('makes every designation once, in identity order, each with the rules version and an explanation', () => {
    expect(result.rulesVersion).toBe('2026.1');
    expect(result.designations.map((d) => `${d.ruleId}/${d.listType}/${d.field ?? '-'}`)).toEqual([
      'department-designation/major-tax-violation/-',
      'derived-warning/credit-warning/-',
      'escalation/joint-sanction/-',
      'escalation/joint-sanction/-',
      'escalation/joint-sanction/-',
      'key-field-breach/key-attention/food-drug',
      'key-field-breach/key-attention/work-safety',
      'repeated-breaches/key-attention/taxation',
    ]);
    const identities = result.designations.map((d) => d.identity);
    expect(identities).toEqual([...identities].sort());
    for (const designation of result.designations) {
      expect(designation.rulesVersion).toBe('2026.1');
      expect(designation.explanation).toMatch(/ \/ /);
    }
  });

  it('escalates each serious breach during a watch period, except from the watch entry it is the basis of', () => {
    const escalated = result.designations
      .filter((d) => d.ruleId === 'escalation')
      .map((d) => [d.basis[0]!.sourceRecordId, d.basisEntries] as const);
    expect(new Map(escalated)).toEqual(
      new Map([
        [records[0]!.sourceRecordId, ['W-TAX']],
        [records[1]!.sourceRecordId, ['W-SAFETY', 'W-TAX']],
        [records[5]!.sourceRecordId, ['W-FOOD', 'W-SAFETY', 'W-TAX']],
      ]),
    );
  });

  it('refuses the red designation and supersedes the red entry', () => {
    expect(result.refusals.map((r) => r.ruleId)).toEqual(['a-level-taxpayer']);
    expect(result.supersessions).toEqual([
      expect.objectContaining({ entryId: 'RED', byEntryIds: ['W-FOOD', 'W-SAFETY', 'W-TAX'] }),
    ]);
  });

  it('is deterministic: the same facts in another order give the same evaluation', () => {
    const again = evaluate(
      facts([...records].reverse(), [...entries].reverse()),
      rules,
      registry,
      '2025-06-01',
    );
    expect(again).toEqual(result);
  });

  it('an empty subject gets nothing', () => {
    expect(evaluate(facts([]), rules, registry, '2025-06-01')).toEqual({
      rulesVersion: '2026.1',
      designations: [],
      refusals: [],
      supersessions: [],
    });
  });

  it('refuses a malformed today', () => {
    expect(() => evaluate(facts([]), rules, registry, '2025-6-1')).toThrow(RangeError);
  });
});
