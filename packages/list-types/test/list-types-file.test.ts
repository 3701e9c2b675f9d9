import { readFileSync } from 'node:fs';
import { loadCatalogue, RECORD_KINDS } from '@credit/catalogue';
import { describe, expect, it } from 'vitest';
import { LIST_TYPES_SCHEMA_FILE, loadListTypes } from '../src/index.ts';

const registry = loadListTypes();

describe('the repository list types (data/list-types.yaml)', () => {
  it('loads, passes its JSON Schema and cross-checks, and says which version it is', () => {
    expect(registry.version).toBe('2026.2');
    expect(registry.changes.map((change) => change.version)).toContain(registry.version);
  });

  it('declares JSON Schema draft 2020-12', () => {
    const schema = JSON.parse(readFileSync(LIST_TYPES_SCHEMA_FILE, 'utf8')) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('ships at least 4 red lists, 6 black lists, a watch list and a credit-warning list', () => {
    expect(registry.byColour('red').length).toBeGreaterThanOrEqual(4);
    expect(registry.byColour('black').length).toBeGreaterThanOrEqual(6);
    expect(registry.byColour('watch').map((type) => type.name)).toContain('重点关注名单');
    expect(registry.byColour('warning').map((type) => type.name)).toEqual(['信用预警名单']);
  });

  it.each([
    ['joint-sanction', '失信联合惩戒对象名单'],
    ['dishonest-judgment-debtor', '失信被执行人名单'],
    ['major-tax-violation', '重大税收违法失信主体'],
    ['serious-violation-enterprise', '严重违法失信企业名单'],
    ['statistical-serious-dishonesty', '统计上严重失信企业'],
    ['procurement-misconduct', '政府采购供应商不良行为记录名单'],
  ])('has the black list %s (%s)', (code, name) => {
    expect(registry.get(code)).toMatchObject({ code, name, colour: 'black' });
  });

  it('has the red lists the issue names', () => {
    const names = registry.byColour('red').map((type) => type.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '诚信典型“红名单”',
        '守信联合激励对象名单',
        '纳税信用A级纳税人',
        '“守合同重信用”企业',
      ]),
    );
  });

  it('sends every black list subject to an existing watch list on exit', () => {
    for (const type of registry.byColour('black')) {
      expect(type.afterExit, type.code).toBeDefined();
      expect(registry.get(type.afterExit!.list)?.colour, type.code).toBe('watch');
      expect(type.afterExit!.months).toBeGreaterThan(0);
    }
  });

  it('has the designating departments the issue asks for', () => {
    expect(registry.get('dishonest-judgment-debtor')?.designatingDepartments).toContain('intermediate-court');
    expect(registry.get('major-tax-violation')?.designatingDepartments).toEqual(['tax']);
    expect(registry.get('serious-violation-enterprise')?.designatingDepartments).toEqual([
      'market-regulation',
    ]);
    expect(registry.get('statistical-serious-dishonesty')?.designatingDepartments).toEqual(['statistics']);
    expect(registry.get('procurement-misconduct')?.designatingDepartments).toEqual(['finance']);
  });

  it('only uses catalogue departments and record kinds', () => {
    const catalogue = loadCatalogue();
    for (const type of registry.types) {
      for (const department of type.designatingDepartments)
        expect(catalogue.department(department)).toBeDefined();
      for (const kind of type.evidenceKinds) expect(RECORD_KINDS).toContain(kind);
    }
  });

  it('derives the credit-warning list from watch lists in 3 or more fields and publishes it', () => {
    const warning = registry.get('credit-warning');
    expect(warning?.derivedFrom).toEqual({ colour: 'watch', distinctFields: 3 });
    expect(warning?.publication).toEqual({ rule: 'public' });
  });

  it('publishes the watch list selectively and keeps repair minimums within validity', () => {
    expect(registry.get('key-attention')?.publication).toEqual({ rule: 'selective' });
    for (const type of registry.types) {
      const { validity, repair } = type;
      if (repair.minimumMonths !== undefined && 'months' in validity) {
        expect(repair.minimumMonths, type.code).toBeLessThanOrEqual(validity.months);
      }
      if (type.subjectCategories.includes('NATURAL_PERSON'))
        expect(type.priorNoticeForPersons, type.code).toBe(true);
    }
  });

  it('keeps 失信被执行人 until the court revokes it, not repairable', () => {
    expect(registry.get('dishonest-judgment-debtor')).toMatchObject({
      validity: { untilRevoked: true },
      repair: { allowed: false },
    });
  });
});
