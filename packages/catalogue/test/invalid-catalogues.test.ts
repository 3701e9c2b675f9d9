import { describe, expect, it } from 'vitest';
import { createCatalogue, loadCatalogue } from '../src/index.ts';
import { codedErrorOf, dataOf, fixture } from './helpers.ts';

function loadError(name: string): string {
  return codedErrorOf(() => loadCatalogue(fixture(name)), 'CATALOGUE_INVALID').message;
}

describe('loadCatalogue refuses a broken catalogue file, naming the entry', () => {
  it('loads the valid fixture the broken ones derive from', () => {
    expect(loadCatalogue(fixture('valid-minimal.yaml')).items).toHaveLength(3);
  });

  it('a duplicate item code', () => {
    const message = loadError('broken-duplicate-item.yaml');
    expect(message).toContain('broken-duplicate-item.yaml');
    expect(message).toMatch(
      /items\[1\] \(350100-XZCF-0007\)\.code \(line \d+\): item code 350100-XZCF-0007 is used twice \(first at items\[0\]\)/,
    );
  });

  it('an invalid department USCC', () => {
    expect(loadError('broken-invalid-uscc.yaml')).toMatch(
      /departments\[1\] \(tax\)\.uscc \(line \d+\): USCC 1135010000362197XM of department tax is invalid \(USCC_CHECK_CHARACTER\)/,
    );
  });

  it('an item of a department the catalogue does not have', () => {
    expect(loadError('broken-unknown-department.yaml')).toMatch(
      /items\[2\] \(350100-XYDJ-0003\)\.department \(line \d+\): item 350100-XYDJ-0003 belongs to department land-resources, which is not in the catalogue/,
    );
  });

  it('an item code whose region and abbreviation do not match its department and kind', () => {
    const message = loadError('broken-item-prefix.yaml');
    expect(message).toContain(
      'item 350102-XZCF-0012 starts with region 350102 but its department market-regulation is in region 350100',
    );
    expect(message).toContain(
      'item 350102-XZCF-0012 has abbreviation XZCF but administrative-licence items use XZXK',
    );
  });

  it('a severity its kind has no disclosure window for', () => {
    expect(loadError('broken-missing-window.yaml')).toMatch(
      /items\[2\] \(350100-XYDJ-0003\)\.severities\[1\] \(line \d+\): item 350100-XYDJ-0003 allows severity BASIC but record kind credit-grade has no disclosure window for it/,
    );
  });

  it('a kind that is not a record kind', () => {
    expect(loadError('broken-unknown-kind.yaml')).toContain(
      'item 350100-XYDJ-0003 has kind credit-score, which is not a record kind of @credit/schemas',
    );
  });

  it('a file that breaks the JSON Schema, with path, rule and line', () => {
    const message = loadError('broken-shape.yaml');
    expect(message).toMatch(
      /departments\[1\] \(tax\)\.region \(line \d+\): must match pattern "\^\[0-9\]\{6\}\$" \(rule pattern\)/,
    );
    expect(message).toMatch(
      /items\[2\] \(350100-XYDJ-0003\) \(line \d+\): must NOT have additional properties \(rule additionalProperties: owner\)/,
    );
  });

  it('YAML that does not parse', () => {
    expect(loadError('broken-syntax.yaml')).toMatch(/Map keys must be unique.*line 3/s);
  });
});

describe('createCatalogue cross-checks', () => {
  const valid = () => dataOf(loadCatalogue(fixture('valid-minimal.yaml')));
  const problems = (mutate: (data: ReturnType<typeof valid>) => void) => {
    const data = valid();
    mutate(data);
    return codedErrorOf(() => createCatalogue(data), 'CATALOGUE_INVALID').message;
  };

  it('duplicate department codes and USCCs', () => {
    const message = problems((data) => {
      data.departments.push({ ...data.departments[0]! });
    });
    expect(message).toContain('department code market-regulation is used twice (first at departments[0])');
    expect(message).toContain(
      'USCC 113501000037021557 of department market-regulation is already the USCC of department market-regulation',
    );
  });

  it('a region that is not where the USCC was issued', () => {
    expect(
      problems((data) => {
        data.departments[1]!.region = '350102';
      }),
    ).toContain(
      'department tax is in region 350102 but its USCC 1135010000362197XN was issued in division 350100',
    );
  });

  it('a record kind without a rule, and a window whose minimum exceeds its maximum', () => {
    const message = problems((data) => {
      data.kinds = data.kinds.filter((rule) => rule.kind !== 'honour');
      data.kinds[1]!.windows[1]!.minimumMonths = 24;
    });
    expect(message).toContain('record kind honour has no rule');
    expect(message).toContain(
      "the administrative-penalty GENERAL_DISHONESTY window's minimum 24 exceeds its 12 months",
    );
  });

  it('a version without a change entry', () => {
    expect(
      problems((data) => {
        data.version = '2026.2';
      }),
    ).toContain("no change entry for the catalogue's version 2026.2");
  });

  it('reports every problem at once', () => {
    const message = problems((data) => {
      data.items[0]!.department = 'nowhere';
      data.items[1]!.code = '350100-XYCN-0012';
      data.items[2]!.severities = ['NEGATIVE'];
    });
    expect(message).toMatch(/\(3 problem\(s\)\)/);
  });
});
