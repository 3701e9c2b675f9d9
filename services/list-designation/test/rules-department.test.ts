import { describe, expect, it } from 'vitest';
import { departmentDesignations } from '../src/rules/department-designation.ts';
import { catalogue, context, facts, record, ruleOf } from './rules-helpers.ts';

const rule = ruleOf('department-designation');
const run = (today: string, ...records: ReturnType<typeof record>[]) =>
  departmentDesignations(rule, facts(records), context(today));

describe('department-designation', () => {
  it('maps a department designation record to its list type, valid from the record for the list type months', () => {
    const r = record('350100-MD-0003', { decisionDate: '2025-03-10', validFrom: null, validTo: null });
    const [designation] = run('2025-04-01', r);
    expect(designation).toMatchObject({
      identity: `department:tax:${r.sourceRecordId}`,
      listType: 'major-tax-violation',
      field: null,
      ruleId: 'department-designation',
      rulesVersion: '2026.1',
      source: 'department',
      designatingDepartment: 'tax',
      designatedOn: '2025-03-10',
      validFrom: '2025-03-10',
      validUntil: '2028-03-10',
      basis: [{ department: 'tax', sourceRecordId: r.sourceRecordId, version: 1 }],
      basisEntries: [],
    });
    expect(designation!.explanation).toMatch(
      /重大税收违法失信主体.*\/ designated by tax onto Major tax violators/,
    );
  });

  it('uses validFrom and validTo + 1 day when the record carries them', () => {
    const r = record('350100-MD-0008', {
      decisionDate: '2025-03-10',
      validFrom: '2025-03-15',
      validTo: '2026-03-14',
    });
    expect(run('2025-04-01', r)[0]).toMatchObject({
      listType: 'work-safety-dishonesty',
      designatedOn: '2025-03-10',
      validFrom: '2025-03-15',
      validUntil: '2026-03-15',
    });
  });

  it('is until revoked (validUntil null) for a list type without a validity period', () => {
    const r = record('350102-SXBZXR-0001', { decisionDate: '2020-01-05' });
    expect(run('2030-01-01', r)[0]).toMatchObject({
      listType: 'dishonest-judgment-debtor',
      designatingDepartment: 'gulou-court',
      validFrom: '2020-01-05',
      validUntil: null,
    });
  });

  it('lets the payload listTypeCode win when it is a registry code fitting the severity', () => {
    const own = record('350100-MD-0001', {
      listTypeCode: 'product-quality-dishonesty',
      decisionDate: '2025-03-10',
    });
    expect(run('2025-04-01', own)[0]!.listType).toBe('product-quality-dishonesty');
  });

  it('keeps the mapping when listTypeCode is not a registry code, or is a list the severity cannot reach', () => {
    const local = record('350100-MD-0001', { listTypeCode: 'SC-YZWF', decisionDate: '2025-03-10' });
    const red = record('350100-MD-0001', { listTypeCode: 'a-level-taxpayer', decisionDate: '2025-03-10' });
    const warning = record('350100-MD-0001', { listTypeCode: 'credit-warning', decisionDate: '2025-03-10' });
    expect(run('2025-04-01', local, red, warning).map((d) => d.listType)).toEqual([
      'serious-violation-enterprise',
      'serious-violation-enterprise',
      'serious-violation-enterprise',
    ]);
  });

  it('is not wanted once today reaches validUntil (validTo + 1 day)', () => {
    const r = record('350100-MD-0005', {
      decisionDate: '2024-01-01',
      validFrom: '2024-01-01',
      validTo: '2024-12-31',
    });
    expect(run('2024-12-31', r)).toHaveLength(1);
    expect(run('2025-01-01', r)).toHaveLength(0);
  });

  it('is not wanted once the list type validity has passed', () => {
    const r = record('350100-MD-0005', { decisionDate: '2024-01-01' });
    expect(run('2024-12-31', r)[0]!.validUntil).toBe('2025-01-01');
    expect(run('2025-01-01', r)).toHaveLength(0);
  });

  it('designates 经营异常名录 onto the watch list, with no key field', () => {
    const r = record('350100-MD-0002', { decisionDate: '2025-03-10' });
    expect(run('2025-04-01', r)[0]).toMatchObject({
      listType: 'key-attention',
      field: null,
      validUntil: '2026-03-10',
    });
  });

  it('ignores records of other kinds', () => {
    const penalty = record('350100-XZCF-0009', { severity: 'SERIOUS_DISHONESTY' });
    expect(run('2025-07-01', penalty)).toEqual([]);
  });

  it('covers every list-designation and dishonest-judgment-debtor item of the catalogue', () => {
    const designationItems = catalogue.items
      .filter((item) => item.kind === 'list-designation' || item.kind === 'dishonest-judgment-debtor')
      .map((item) => item.code)
      .sort();
    expect(Object.keys(rule.mapping).sort()).toEqual(designationItems);
  });
});
