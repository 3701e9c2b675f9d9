import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/rules/evaluate.ts';
import { gradeReds } from '../src/rules/grade-red.ts';
import { adverseRecords } from '../src/rules/red-eligibility.ts';
import type { FactRecord, KnownEntry } from '../src/rules/types.ts';
import {
  context,
  entry,
  facts,
  ITEMS,
  minor,
  record,
  registry,
  ruleOf,
  rules,
  serious,
  taxGrade,
} from './rules-helpers.ts';

const gradeRule = ruleOf('grade-red');
const eligibility = ruleOf('red-eligibility');
const evaluateOn = (
  today: string,
  records: FactRecord[],
  entries: KnownEntry[] = [],
  category?: 'NATURAL_PERSON',
) => evaluate(facts(records, entries, category), rules, registry, today);
const grade = () => taxGrade('A', '2025-04-01', { validFrom: '2025-04-01', validTo: '2026-03-31' });
const black = (overrides: Partial<KnownEntry> = {}) =>
  entry({
    listType: 'major-tax-violation',
    colour: 'black',
    field: null,
    ruleId: 'department-designation',
    ...overrides,
  });

describe('grade-red (A级纳税人)', () => {
  it('a grade A record → a-level-taxpayer, valid to validTo + 1 day', () => {
    const r = grade();
    const [designation] = gradeReds(gradeRule, facts([r]), context('2025-05-01'));
    expect(designation).toMatchObject({
      identity: `rule:a-level-taxpayer:a-level-taxpayer:-:tax:${r.sourceRecordId}`,
      listType: 'a-level-taxpayer',
      source: 'rule',
      designatingDepartment: 'tax',
      designatedOn: '2025-04-01',
      validFrom: '2025-04-01',
      validUntil: '2026-04-01',
    });
    expect(designation!.explanation).toContain(
      'credit grade A (350100-XYDJ-0003, 2025-04-01): A-level taxpayers',
    );
  });

  it('without validFrom/validTo: from the decision date for the list type months (12)', () => {
    const r = taxGrade('A', '2025-04-01');
    expect(gradeReds(gradeRule, facts([r]), context('2025-05-01'))[0]).toMatchObject({
      validFrom: '2025-04-01',
      validUntil: '2026-04-01',
    });
  });

  it('other levels, other items and expired grades give nothing', () => {
    expect(gradeReds(gradeRule, facts([taxGrade('B', '2025-04-01')]), context('2025-05-01'))).toEqual([]);
    const environment = record('350100-XYDJ-0001', { level: 'A', decisionDate: '2025-04-01' });
    expect(gradeReds(gradeRule, facts([environment]), context('2025-05-01'))).toEqual([]);
    expect(gradeReds(gradeRule, facts([grade()]), context('2026-04-01'))).toEqual([]);
  });
});

describe('red eligibility and exclusivity (确保"黑名单"主体不进入"红名单"; 连续3年无不良信用记录)', () => {
  it('a clean subject gets its red designation', () => {
    const result = evaluateOn('2025-05-01', [grade()]);
    expect(result.designations.map((d) => d.listType)).toEqual(['a-level-taxpayer']);
    expect(result.refusals).toEqual([]);
  });

  it('refused while a black entry has not exited (even proposed), allowed once it has', () => {
    const refused = evaluateOn('2025-05-01', [grade()], [black({ id: 'B1', state: 'proposed' })]);
    expect(refused.designations).toEqual([]);
    expect(refused.refusals).toEqual([
      {
        listType: 'a-level-taxpayer',
        ruleId: 'a-level-taxpayer',
        basis: [expect.objectContaining({ department: 'tax' })],
        reason: expect.stringContaining('black- or watch-listed (B1)'),
      },
    ]);
    const exited = evaluateOn('2025-05-01', [grade()], [black({ state: 'exited', exitReason: 'expired' })]);
    expect(exited.designations).toHaveLength(1);
  });

  it('refused while watch-listed', () => {
    const result = evaluateOn('2025-05-01', [grade()], [entry({ id: 'W1' })]);
    expect(result.designations).toEqual([]);
    expect(result.refusals[0]!.reason).toContain('(W1)');
  });

  it('refused when this evaluation designates a black entry (an old court listing, outside the clean period)', () => {
    const court = record('350100-SXBZXR-0001', { decisionDate: '2020-01-01' });
    const result = evaluateOn('2025-05-01', [grade(), court]);
    expect(result.designations.map((d) => d.listType)).toEqual(['dishonest-judgment-debtor']);
    expect(result.refusals[0]!.reason).toContain(
      `designated onto a black or watch list now (department:intermediate-court:${court.sourceRecordId})`,
    );
    expect(result.refusals[0]!.reason).not.toContain('adverse');
  });

  it('refused with an adverse record decided 36 months ago to the day; allowed from the day after', () => {
    expect(eligibility.cleanMonths).toBe(36);
    const old = minor(ITEMS.customs, '2022-05-01');
    const onTheDay = evaluateOn('2025-05-01', [grade(), old]);
    expect(onTheDay.designations).toEqual([]);
    expect(onTheDay.refusals[0]!.reason).toContain(
      `1 adverse record(s) within 36 months (customs:${old.sourceRecordId})`,
    );
    expect(evaluateOn('2025-05-02', [grade(), old]).designations.map((d) => d.listType)).toEqual([
      'a-level-taxpayer',
    ]);
  });

  it('serious records break the clean period too; basic ones do not', () => {
    expect(adverseRecords(eligibility, [serious(ITEMS.customs, '2024-01-01')], '2025-05-01')).toHaveLength(1);
    const basic = record(ITEMS.customs, { severity: 'BASIC', decisionDate: '2025-01-01' });
    expect(adverseRecords(eligibility, [basic], '2025-05-01')).toEqual([]);
  });

  it('judges red department designations too (payload listTypeCode onto a red list)', () => {
    const own = record('350100-MD-0001', {
      severity: 'POSITIVE',
      listTypeCode: 'joint-incentive',
      decisionDate: '2025-04-01',
    });
    expect(evaluateOn('2025-05-01', [own]).designations.map((d) => d.listType)).toEqual(['joint-incentive']);
    const refused = evaluateOn('2025-05-01', [own], [entry()]);
    expect(refused.designations).toEqual([]);
    expect(refused.refusals.map((r) => r.ruleId)).toEqual(['department-designation']);
  });

  it('a list type that does not hold the subject category is refused', () => {
    const result = evaluateOn('2025-05-01', [grade()], [], 'NATURAL_PERSON');
    expect(result.designations).toEqual([]);
    expect(result.refusals[0]!.reason).toContain('does not hold subjects of category NATURAL_PERSON');
  });
});

describe('supersession of red entries (红名单移出)', () => {
  const red = (overrides: Partial<KnownEntry> = {}) =>
    entry({
      id: 'RED1',
      listType: 'a-level-taxpayer',
      colour: 'red',
      field: null,
      ruleId: 'a-level-taxpayer',
      ...overrides,
    });

  it('a red entry leaves while a black or watch entry is in force', () => {
    const result = evaluateOn('2025-05-01', [], [red(), black({ id: 'B1' }), entry({ id: 'W1' })]);
    expect(result.supersessions).toEqual([
      { entryId: 'RED1', byEntryIds: ['B1', 'W1'], reason: expect.stringContaining('entries B1, W1') },
    ]);
  });

  it('not for a black entry not yet in force, nor for an exited red entry', () => {
    expect(evaluateOn('2025-05-01', [], [red(), black({ state: 'notified' })]).supersessions).toEqual([]);
    const exited = red({ state: 'exited', exitReason: 'expired' });
    expect(evaluateOn('2025-05-01', [], [exited, black()]).supersessions).toEqual([]);
  });

  it('a department black designation in this evaluation supersedes; a rule watch designation does not', () => {
    const tax = record('350100-MD-0003', { decisionDate: '2025-04-01' });
    const byDepartment = evaluateOn('2025-05-01', [tax], [red()]);
    expect(byDepartment.supersessions).toEqual([
      {
        entryId: 'RED1',
        byEntryIds: [],
        reason: expect.stringContaining(`department:tax:${tax.sourceRecordId}`),
      },
    ]);
    const byRule = evaluateOn('2025-05-01', [serious(ITEMS.workSafety, '2025-04-01')], [red()]);
    expect(byRule.designations.map((d) => d.ruleId)).toEqual(['key-field-breach']);
    expect(byRule.supersessions).toEqual([]);
  });
});
