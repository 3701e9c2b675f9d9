import { describe, expect, it } from 'vitest';
import { keyFieldBreaches } from '../src/rules/key-field-breach.ts';
import { majorityField, repeatedBreaches } from '../src/rules/repeated-breaches.ts';
import { context, facts, ITEMS, minor, record, ruleOf, rules, serious } from './rules-helpers.ts';

describe('key-field-breach (在重点领域发生较重失信行为)', () => {
  const rule = ruleOf('key-field-breach');
  const run = (today: string, ...records: ReturnType<typeof record>[]) =>
    keyFieldBreaches(rule, facts(records), context(today));

  it('a serious breach in a key field → a watch entry in that field', () => {
    const r = serious(ITEMS.workSafety, '2025-03-10');
    const [designation, ...rest] = run('2025-04-01', r);
    expect(rest).toEqual([]);
    expect(designation).toMatchObject({
      identity: `rule:key-field-breach:key-attention:work-safety:emergency-management:${r.sourceRecordId}`,
      listType: 'key-attention',
      field: 'work-safety',
      source: 'rule',
      designatingDepartment: 'development-reform',
      designatedOn: '2025-03-10',
      validFrom: '2025-03-10',
      validUntil: '2026-03-10',
      basisEntries: [],
    });
    expect(designation!.explanation).toBe(
      '重点领域(安全生产)严重失信行为 1 条 / 1 serious breach in key field work-safety',
    );
  });

  it('one designation per field; basis all of the field, identity and validFrom from the earliest', () => {
    const first = serious(ITEMS.taxation, '2025-02-01');
    const second = serious(ITEMS.taxation, '2025-05-01');
    const food = serious(ITEMS.foodDrug, '2025-04-01');
    const result = run('2025-06-01', second, food, first);
    expect(result.map((d) => d.field)).toEqual(['food-drug', 'taxation']);
    const taxation = result[1]!;
    expect(taxation.basis.map((ref) => ref.sourceRecordId)).toEqual([
      first.sourceRecordId,
      second.sourceRecordId,
    ]);
    expect(taxation.identity).toContain(`:taxation:tax:${first.sourceRecordId}`);
    expect(taxation).toMatchObject({
      validFrom: '2025-02-01',
      validUntil: '2026-02-01',
      designatedOn: '2025-05-01',
    });
    expect(taxation.explanation).toContain('2 serious breaches in key field taxation');
  });

  it('ignores general breaches, other kinds and items outside the key fields', () => {
    expect(
      run(
        '2025-04-01',
        minor(ITEMS.workSafety, '2025-03-10'),
        serious(ITEMS.customs, '2025-03-10'),
        record('350100-MD-0008', { decisionDate: '2025-03-10' }),
      ),
    ).toEqual([]);
  });

  it('lookback edge: a record counts until the day before decision + lookbackMonths', () => {
    expect(rule.lookbackMonths).toBe(12);
    const r = serious(ITEMS.workSafety, '2024-04-01');
    expect(run('2025-03-31', r)).toHaveLength(1);
    expect(run('2025-04-01', r)).toHaveLength(0);
  });

  it('does not count a record decided after today', () => {
    expect(run('2025-04-01', serious(ITEMS.workSafety, '2025-04-02'))).toEqual([]);
  });
});

describe('repeated-breaches (多次发生轻微失信行为)', () => {
  const rule = ruleOf('repeated-breaches');
  const run = (today: string, ...records: ReturnType<typeof record>[]) =>
    repeatedBreaches(rule, facts(records), context(today));

  it('exactly count (3) minor breaches within 24 months → a watch entry, valid from the third', () => {
    expect(rule).toMatchObject({ count: 3, withinMonths: 24 });
    const records = [
      minor(ITEMS.taxation, '2024-01-10'),
      minor(ITEMS.taxation, '2024-06-10'),
      minor(ITEMS.transport, '2025-02-10'),
    ];
    const [designation] = run('2025-03-01', ...records);
    expect(designation).toMatchObject({
      identity: `rule:repeated-breaches:key-attention:-:tax:${records[0]!.sourceRecordId}`,
      listType: 'key-attention',
      field: 'taxation',
      designatedOn: '2025-02-10',
      validFrom: '2025-02-10',
      validUntil: '2026-02-10',
    });
    expect(designation!.basis).toHaveLength(3);
    expect(designation!.explanation).toBe(
      '24个月内一般失信行为 3 条(主要领域:税收) / 3 minor breaches within 24 months (mostly in key field taxation)',
    );
  });

  it('count - 1 minor breaches are not enough', () => {
    expect(
      run('2025-03-01', minor(ITEMS.taxation, '2024-01-10'), minor(ITEMS.taxation, '2024-06-10')),
    ).toEqual([]);
  });

  it('window edge: a breach decided exactly withinMonths ago no longer counts', () => {
    const records = [
      minor(ITEMS.taxation, '2023-03-01'),
      minor(ITEMS.taxation, '2024-06-10'),
      minor(ITEMS.taxation, '2025-02-10'),
    ];
    expect(run('2025-02-28', ...records)).toHaveLength(1);
    expect(run('2025-03-01', ...records)).toEqual([]);
  });

  it('no key field holding more than half → field null', () => {
    const records = [
      minor(ITEMS.taxation, '2024-01-10'),
      minor(ITEMS.foodDrug, '2024-06-10'),
      minor(ITEMS.transport, '2025-02-10'),
      minor(ITEMS.taxation, '2025-02-11'),
    ];
    const [designation] = run('2025-03-01', ...records);
    expect(designation!.field).toBeNull();
    expect(designation!.identity).toContain('rule:repeated-breaches:key-attention:-:');
    expect(designation!.explanation).toBe('24个月内一般失信行为 4 条 / 4 minor breaches within 24 months');
  });

  it('majorityField needs a strict majority', () => {
    const two = [minor(ITEMS.taxation, '2025-01-01'), minor(ITEMS.taxation, '2025-01-02')];
    expect(majorityField([...two, minor(ITEMS.customs, '2025-01-03')], rules.keyFields)?.code).toBe(
      'taxation',
    );
    expect(
      majorityField(
        [...two, minor(ITEMS.customs, '2025-01-03'), minor(ITEMS.customs, '2025-01-04')],
        rules.keyFields,
      ),
    ).toBeUndefined();
  });

  it('serious breaches do not count as minor ones', () => {
    expect(
      run(
        '2025-03-01',
        minor(ITEMS.taxation, '2024-01-10'),
        minor(ITEMS.taxation, '2024-06-10'),
        serious(ITEMS.taxation, '2025-02-10'),
      ),
    ).toEqual([]);
  });
});
