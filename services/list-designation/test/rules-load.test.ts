import { readFileSync } from 'node:fs';
import { codedErrorOf } from '@credit/testing';
import { describe, expect, it } from 'vitest';
import { loadRules, RULE_TYPES, RULES_FILE } from '../src/rules/index.ts';
import { catalogue, fixture, registry, rules } from './rules-helpers.ts';

function loadError(name: string): string {
  return codedErrorOf(() => loadRules(fixture(name), { registry, catalogue }), 'LIST_RULES_INVALID').message;
}

describe('the shipped rules (data/rules.yaml)', () => {
  it('load with the default registry and catalogue, every rule type once', () => {
    const loaded = loadRules();
    expect(loaded.version).toBe('2026.1');
    expect(loaded.changes.map((change) => change.version)).toContain(loaded.version);
    expect([...new Set(loaded.rules.map((rule) => rule.type))].sort()).toEqual([...RULE_TYPES].sort());
  });

  it('name the key fields of the documents, each resolved to catalogue items', () => {
    expect(rules.keyFields.map((field) => field.name)).toEqual(
      expect.arrayContaining([
        '食品药品',
        '生态环境',
        '工程质量',
        '安全生产',
        '税收',
        '统计',
        '政府采购',
        '产品质量',
      ]),
    );
    for (const field of rules.keyFields) expect(field.itemCodes.length).toBeGreaterThan(0);
    expect(rules.keyFields.find((field) => field.code === 'work-safety')!.itemCodes).toContain(
      '350100-XZCF-0009',
    );
  });

  it('start with the schema comment and are frozen', () => {
    expect(readFileSync(RULES_FILE, 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./rules.schema.json',
    );
    expect(Object.isFrozen(rules.rules[0])).toBe(true);
    expect(Object.isFrozen(rules.keyFields[0]!.itemCodes)).toBe(true);
  });
});

describe('loadRules refuses a broken rules file, naming the entry, the line and the problem', () => {
  it('loads the valid fixture the broken ones derive from', () => {
    expect(
      loadRules(fixture('rules-valid-minimal.yaml'), { registry, catalogue }).rules.map((r) => r.id),
    ).toEqual(['key-field-breach', 'red-eligibility']);
  });

  it('a list type the registry does not have', () => {
    const message = loadError('rules-broken-list-type.yaml');
    expect(message).toContain('rules-broken-list-type.yaml are invalid (1 problem(s))');
    expect(message).toMatch(
      /rules\[0\] \(key-field-breach\)\.listType \(line 19\): list type watch-list of rule key-field-breach is not in the list-type registry \d{4}\.\d+/,
    );
  });

  it('a list type of the wrong colour for the rule type', () => {
    expect(loadError('rules-broken-colour.yaml')).toMatch(
      /rules\[0\] \(key-field-breach\)\.listType \(line 19\): rule key-field-breach of type key-field-breach designates onto watch lists, but joint-sanction is a black list/,
    );
  });

  it('a designating department the list type does not allow', () => {
    expect(loadError('rules-broken-department.yaml')).toMatch(
      /\.designatingDepartment \(line 20\): department tax may not designate onto key-attention \(its designatingDepartments: development-reform, market-regulation\)/,
    );
  });

  it('catalogue items and departments the catalogue does not have', () => {
    const message = loadError('rules-broken-catalogue.yaml');
    expect(message).toMatch(
      /keyFields\[0\] \(work-safety\)\.departments\[0\] \(line 11\): department fire-rescue of key field work-safety is not in the catalogue 2026\.1/,
    );
    expect(message).toMatch(
      /keyFields\[1\] \(taxation\)\.items\[1\] \(line 15\): catalogue item 350100-XZCF-0099 of key field taxation is not in the catalogue 2026\.1/,
    );
  });

  it('a catalogue item in two key fields', () => {
    expect(loadError('rules-broken-overlap.yaml')).toMatch(
      /keyFields\[1\] \(taxation\) \(line 12\): catalogue item 350100-XZCF-0009 falls into key fields work-safety and taxation/,
    );
  });

  it('a department mapping: wrong colour, wrong kind, the derived list, an item left out', () => {
    const message = loadError('rules-broken-mapping.yaml');
    expect(message).toContain('(4 problem(s))');
    expect(message).toMatch(
      /mapping\.350100-MD-0002 \(line 22\): 350100-MD-0002 \(severities GENERAL_DISHONESTY\) cannot put a subject on joint-sanction, a black list/,
    );
    expect(message).toMatch(
      /mapping\.350100-XZCF-0001 \(line 24\): catalogue item 350100-XZCF-0001 is of kind administrative-penalty, not one of the rule's kinds/,
    );
    expect(message).toMatch(
      /mapping\.350100-MD-0007 \(line 28\): .*cannot put a subject on credit-warning, a warning list/,
    );
    expect(message).toMatch(
      /rules\[0\] \(department-designation\)\.mapping \(line 21\): the mapping of rule department-designation leaves out designation items of the catalogue 2026\.1: 350102-SXBZXR-0001/,
    );
  });

  it('duplicate rule ids, two red-eligibility rules, an unknown severity, no change entry for the version', () => {
    const message = loadError('rules-broken-duplicates.yaml');
    expect(message).toContain("changes (line 4): no change entry for the rules' version 2026.2");
    expect(message).toContain(
      'rules[0] (second-clean).severities[1] (line 20): SEVERE is not a severity of @credit/schemas',
    );
    expect(message).toContain(
      'rules[2] (key-field-breach).id (line 28): rule id key-field-breach is used twice (first at rules[1])',
    );
    expect(message).toContain('rules (line 17): there must be exactly one red-eligibility rule, found 2');
  });

  it('a shape the JSON Schema refuses: a missing parameter, an unknown one, an unknown rule type', () => {
    const message = loadError('rules-broken-shape.yaml');
    expect(message).toContain(
      "rules[0] (key-field-breach) (line 17): must have required property 'lookbackMonths'",
    );
    expect(message).toContain('must NOT have additional properties (rule additionalProperties: lookback)');
    expect(message).toMatch(
      /rules\[1\] \(red-eligibility\)\.type \(line 25\): must be equal to one of the allowed values/,
    );
  });

  it('YAML that must not load: a duplicate key', () => {
    expect(loadError('rules-broken-syntax.yaml')).toMatch(/Map keys must be unique at line 27/);
  });
});
