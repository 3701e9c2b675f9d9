import { describe, expect, it } from 'vitest';
import { escalations, wasWatchPeriod } from '../src/rules/escalation.ts';
import type { KnownEntry } from '../src/rules/types.ts';
import { context, entry, facts, ITEMS, minor, record, ruleOf, serious } from './rules-helpers.ts';

const rule = ruleOf('escalation');
const run = (today: string, records: ReturnType<typeof record>[], entries: KnownEntry[]) =>
  escalations(rule, facts(records, entries), context(today));

describe('escalation (重点关注期间发生严重失信行为 → 黑名单)', () => {
  it('a serious breach inside a watch entry validity → joint sanctions, basisEntries the watch entry', () => {
    const watch = entry({ validFrom: '2025-01-01', validUntil: '2026-01-01' });
    const breach = serious(ITEMS.customs, '2025-06-01');
    const [designation, ...rest] = run('2025-07-01', [breach], [watch]);
    expect(rest).toEqual([]);
    expect(designation).toMatchObject({
      identity: `rule:escalation:joint-sanction:-:customs:${breach.sourceRecordId}`,
      listType: 'joint-sanction',
      field: null,
      source: 'rule',
      designatingDepartment: 'development-reform',
      designatedOn: '2025-06-01',
      validFrom: '2025-06-01',
      validUntil: '2028-06-01',
      basis: [{ department: 'customs', sourceRecordId: breach.sourceRecordId, version: 1 }],
      basisEntries: [watch.id],
    });
    expect(designation!.explanation).toContain(`during watch entry ${watch.id}`);
  });

  it('validity edges: validFrom counts, validUntil does not, the day before validFrom does not', () => {
    const watch = entry({ validFrom: '2025-01-01', validUntil: '2026-01-01' });
    expect(run('2026-02-01', [serious(ITEMS.customs, '2025-01-01')], [watch])).toHaveLength(1);
    expect(run('2026-02-01', [serious(ITEMS.customs, '2025-12-31')], [watch])).toHaveLength(1);
    expect(run('2026-02-01', [serious(ITEMS.customs, '2026-01-01')], [watch])).toEqual([]);
    expect(run('2026-02-01', [serious(ITEMS.customs, '2024-12-31')], [watch])).toEqual([]);
  });

  it('a watch entry exited with objection-upheld never was a watch period', () => {
    const upheld = entry({ state: 'exited', exitReason: 'objection-upheld' });
    expect(run('2025-07-01', [serious(ITEMS.customs, '2025-06-01')], [upheld])).toEqual([]);
  });

  it('a watch entry that expired or was repaired still was a watch period', () => {
    const expired = entry({ state: 'exited', exitReason: 'expired' });
    expect(run('2026-07-01', [serious(ITEMS.customs, '2025-06-01')], [expired])).toHaveLength(1);
    expect(wasWatchPeriod(entry({ state: 'exited', exitReason: 'repaired' }))).toBe(true);
  });

  it('a watch entry not yet in force (proposed, notified, objected) does not count', () => {
    for (const state of ['proposed', 'notified', 'objected'] as const) {
      expect(run('2025-07-01', [serious(ITEMS.customs, '2025-06-01')], [entry({ state })])).toEqual([]);
    }
    expect(wasWatchPeriod(entry({ state: 'suspended' }))).toBe(true);
  });

  it("the watch entry's own basis is not a breach during it", () => {
    const breach = serious(ITEMS.workSafety, '2025-01-01');
    const watch = entry({ validFrom: '2025-01-01', basis: [{ ...breach, version: 2 }] });
    expect(run('2025-07-01', [breach], [watch])).toEqual([]);
  });

  it('only serious breaches of the rule kinds; only watch entries', () => {
    const black = entry({ listType: 'joint-sanction', colour: 'black', field: null });
    expect(run('2025-07-01', [minor(ITEMS.customs, '2025-06-01')], [entry()])).toEqual([]);
    expect(run('2025-07-01', [record('350100-MD-0001', { decisionDate: '2025-06-01' })], [entry()])).toEqual(
      [],
    );
    expect(run('2025-07-01', [serious(ITEMS.customs, '2025-06-01')], [black])).toEqual([]);
  });

  it('a breach during two watch entries names both', () => {
    const a = entry();
    const b = entry({ field: 'taxation' });
    expect(run('2025-07-01', [serious(ITEMS.customs, '2025-06-01')], [b, a])[0]!.basisEntries).toEqual([
      a.id,
      b.id,
    ]);
  });

  it('not wanted once the black list validity has passed', () => {
    expect(run('2028-06-01', [serious(ITEMS.customs, '2025-06-01')], [entry()])).toEqual([]);
  });
});
