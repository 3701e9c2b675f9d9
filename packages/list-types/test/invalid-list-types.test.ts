import { describe, expect, it } from 'vitest';
import { loadListTypes } from '../src/index.ts';
import { codedErrorOf, fixture } from './helpers.ts';

function loadError(name: string): string {
  return codedErrorOf(() => loadListTypes(fixture(name)), 'LIST_TYPES_INVALID').message;
}

describe('loadListTypes refuses a broken list-types file, naming the entry, the line and the rule', () => {
  it('loads the valid fixture the broken ones derive from', () => {
    expect(loadListTypes(fixture('valid-minimal.yaml')).types.map((type) => type.code)).toEqual([
      'a-level-taxpayer',
      'major-tax-violation',
      'key-attention',
    ]);
  });

  it('a duplicate list type code', () => {
    const message = loadError('broken-duplicate-code.yaml');
    expect(message).toContain('broken-duplicate-code.yaml');
    expect(message).toContain('(1 problem(s))');
    expect(message).toMatch(
      /types\[1\] \(major-tax-violation\)\.code \(line 18\): list type code major-tax-violation is used twice \(first at types\[0\]\)/,
    );
  });

  it('a designating department the catalogue does not have', () => {
    expect(loadError('broken-unknown-department.yaml')).toMatch(
      /types\[0\] \(a-level-taxpayer\)\.designatingDepartments\[1\] \(line 10\): department land-resources of list type a-level-taxpayer is not in the catalogue 2026\.1/,
    );
  });

  it('an evidence kind that is not a record kind', () => {
    expect(loadError('broken-unknown-kind.yaml')).toMatch(
      /types\[0\] \(a-level-taxpayer\)\.evidenceKinds\[1\] \(line 13\): tax-grade is not a record kind of @credit\/schemas \(administrative-licence, /,
    );
  });

  it('afterExit naming a list that is not a watch list', () => {
    expect(loadError('broken-after-exit-not-watch.yaml')).toMatch(
      /types\[1\] \(major-tax-violation\)\.afterExit\.list \(line 29\): afterExit of major-tax-violation names a-level-taxpayer, a red list, not a watch list/,
    );
  });

  it('afterExit naming a list the registry does not have', () => {
    expect(loadError('broken-after-exit-unknown.yaml')).toMatch(
      /types\[1\] \(major-tax-violation\)\.afterExit\.list \(line 29\): afterExit of major-tax-violation names watch-list, which is not a list type of this registry/,
    );
  });

  it('a black list without afterExit', () => {
    expect(loadError('broken-missing-after-exit.yaml')).toMatch(
      /types\[1\] \(major-tax-violation\) \(line 18\): black list major-tax-violation has no afterExit watch list/,
    );
  });

  it('a repair minimum longer than the validity', () => {
    expect(loadError('broken-minimum-exceeds-validity.yaml')).toMatch(
      /types\[2\] \(key-attention\)\.repair\.minimumMonths \(line 41\): repair minimum of 18 months is longer than the validity of 12 months/,
    );
  });

  it('a list holding natural persons without prior notice', () => {
    expect(loadError('broken-prior-notice.yaml')).toMatch(
      /types\[2\] \(key-attention\)\.subjectCategories \(line 42\): list type key-attention may hold natural persons, so it needs priorNoticeForPersons: true/,
    );
  });

  it('a shape the JSON Schema refuses: an unknown colour, not-publishable without notify', () => {
    const message = loadError('broken-shape.yaml');
    expect(message).toMatch(
      /types\[0\] \(a-level-taxpayer\)\.colour \(line 9\): must be equal to one of the allowed values \(rule enum: red, black, watch, warning\)/,
    );
    expect(message).toMatch(
      /types\[2\] \(key-attention\)\.publication \(line 40\): must have required property 'notify' \(rule required\)/,
    );
  });

  it('YAML that must not load: a duplicate key', () => {
    const message = loadError('broken-syntax.yaml');
    expect(message).toContain('broken-syntax.yaml');
    expect(message).toMatch(/Map keys must be unique.*line 34/s);
  });

  it('accepts a not-publishable list that names whom to notify', () => {
    expect(loadListTypes(fixture('valid-not-publishable.yaml')).get('key-attention')?.publication).toEqual({
      rule: 'not-publishable',
      notify: '主管部门',
    });
  });
});
