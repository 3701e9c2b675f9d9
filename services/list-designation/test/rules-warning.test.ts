import { describe, expect, it } from 'vitest';
import { derivedWarnings } from '../src/rules/derived-warning.ts';
import type { KnownEntry } from '../src/rules/types.ts';
import { context, entry, facts, registry, ruleOf } from './rules-helpers.ts';

const rule = ruleOf('derived-warning');
const run = (today: string, ...entries: KnownEntry[]) =>
  derivedWarnings(rule, facts([], entries), context(today));
const watch = (field: string | null, overrides: Partial<KnownEntry> = {}) => entry({ field, ...overrides });

describe('derived-warning (3个以上不同重点领域 → 信用预警名单)', () => {
  it('the threshold is the registry derivedFrom.distinctFields', () => {
    expect(registry.get('credit-warning')!.derivedFrom).toEqual({ colour: 'watch', distinctFields: 3 });
  });

  it('3 distinct fields → one warning designation valid from today', () => {
    const entries = [watch('work-safety'), watch('taxation'), watch('food-drug'), watch('taxation')];
    const [designation, ...rest] = run('2025-06-01', ...entries);
    expect(rest).toEqual([]);
    expect(designation).toMatchObject({
      identity: 'rule:derived-warning:credit-warning',
      listType: 'credit-warning',
      field: null,
      source: 'rule',
      designatingDepartment: 'development-reform',
      designatedOn: '2025-06-01',
      validFrom: '2025-06-01',
      validUntil: '2026-06-01',
      basis: [],
      basisEntries: entries.map((e) => e.id).sort(),
    });
    expect(designation!.explanation).toBe(
      '列入 3 个不同重点领域的重点关注名单(食品药品、税收、安全生产) / on watch lists in 3 distinct key fields (food-drug, taxation, work-safety)',
    );
  });

  it('2 distinct fields are not enough', () => {
    expect(run('2025-06-01', watch('work-safety'), watch('taxation'), watch('taxation'))).toEqual([]);
  });

  it('a null field does not count as a field', () => {
    expect(run('2025-06-01', watch('work-safety'), watch('taxation'), watch(null))).toEqual([]);
  });

  it('only entries in force today count: not proposed, not exited, not past validUntil', () => {
    const two = [watch('work-safety'), watch('taxation')];
    expect(run('2025-06-01', ...two, watch('food-drug', { state: 'proposed' }))).toEqual([]);
    expect(
      run('2025-06-01', ...two, watch('food-drug', { state: 'exited', exitReason: 'repaired' })),
    ).toEqual([]);
    expect(run('2025-06-01', ...two, watch('food-drug', { validUntil: '2025-06-01' }))).toEqual([]);
    expect(run('2025-06-01', ...two, watch('food-drug', { state: 'suspended' }))).toHaveLength(1);
    expect(run('2025-06-01', ...two, watch('food-drug', { state: 'confirmed' }))).toHaveLength(1);
  });

  it('black entries do not count', () => {
    const black = entry({ colour: 'black', listType: 'joint-sanction', field: 'food-drug' });
    expect(run('2025-06-01', watch('work-safety'), watch('taxation'), black)).toEqual([]);
  });
});
