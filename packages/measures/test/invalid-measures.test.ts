import { describe, expect, it } from 'vitest';
import { loadMeasures } from '../src/index.ts';
import { codedErrorOf, fixture, fixtureListTypes } from './helpers.ts';

function loadError(name: string): string {
  return codedErrorOf(() => loadMeasures(fixture(name), { listTypes: fixtureListTypes }), 'MEASURES_INVALID')
    .message;
}

describe('loadMeasures refuses a broken measures file, naming the entry, the line and the rule', () => {
  it('loads the valid fixture the broken ones derive from', () => {
    expect(
      loadMeasures(fixture('valid-minimal.yaml'), { listTypes: fixtureListTypes }).measures.map(
        (m) => m.code,
      ),
    ).toEqual([
      'restrict-bidding',
      'green-channel',
      'priority-supervision',
      'credit-bonus',
      'bidding-credit-reference',
      'exclude-tenderer',
      'restrict-high-consumption',
    ]);
  });

  it('a list type the list-type registry does not have', () => {
    const message = loadError('broken-unknown-list-type.yaml');
    expect(message).toContain('broken-unknown-list-type.yaml');
    expect(message).toContain('(1 problem(s))');
    expect(message).toMatch(
      /measures\[2\] \(priority-supervision\)\.listTypes\[1\] \(line 37\): list type tax-blacklist of measure priority-supervision is not in the list types 2026\.1/,
    );
  });

  it('an incentive on a black list', () => {
    expect(loadError('broken-incentive-on-black.yaml')).toMatch(
      /measures\[3\] \(credit-bonus\)\.listTypes\[1\] \(line 47\): incentive credit-bonus is on major-tax-violation, a black list; incentives belong on red lists only/,
    );
  });

  it('a sanction on a red list', () => {
    expect(loadError('broken-sanction-on-red.yaml')).toMatch(
      /measures\[4\] \(bidding-credit-reference\)\.listTypes\[1\] \(line 58\): sanction bidding-credit-reference is on a-level-taxpayer, a red list; sanctions belong on black or watch or warning lists only/,
    );
  });

  it('an implementing department the catalogue does not have', () => {
    expect(loadError('broken-unknown-department.yaml')).toMatch(
      /measures\[2\] \(priority-supervision\)\.implementingDepartments\[1\] \(line 38\): department land-resources of measure priority-supervision is not in the catalogue 2026\.1/,
    );
  });

  it('a matter type the file does not declare', () => {
    expect(loadError('broken-unknown-matter-type.yaml')).toMatch(
      /measures\[0\] \(restrict-bidding\)\.matterTypes\[1\] \(line 19\): matter type procurement of measure restrict-bidding is not in matterTypes/,
    );
  });

  it('a duplicate measure code', () => {
    expect(loadError('broken-duplicate-code.yaml')).toMatch(
      /measures\[5\] \(restrict-bidding\)\.code \(line 63\): measure code restrict-bidding is used twice \(first at measures\[0\]\)/,
    );
  });

  it('a duplicate matter type code', () => {
    expect(loadError('broken-duplicate-matter-type.yaml')).toMatch(
      /matterTypes\[2\] \(tendering\)\.code \(line 8\): matter type code tendering is used twice \(first at matterTypes\[1\]\)/,
    );
  });

  it('a black list without a mandatory sanction', () => {
    const message = loadError('broken-black-without-mandatory.yaml');
    expect(message).toContain('(1 problem(s))');
    expect(message).toMatch(
      /measures \(line 12\): black list major-tax-violation \(重大税收违法失信主体\) has no mandatory sanction/,
    );
  });

  it('a version without a change-log entry', () => {
    expect(loadError('broken-missing-change-entry.yaml')).toMatch(
      /changes \(line 4\): no change entry for the measures catalogue's version 2026\.2/,
    );
  });

  it('a subject category that is not one of @credit/schemas', () => {
    expect(loadError('broken-unknown-category.yaml')).toMatch(
      /measures\[3\] \(credit-bonus\)\.subjectCategories\[1\] \(line 52\): COMPANY is not a subject category of @credit\/schemas/,
    );
  });

  it('feedback due before the acknowledgement', () => {
    expect(loadError('broken-deadlines.yaml')).toMatch(
      /responseDeadlines\.feedbackWorkingDays \(line 10\): feedback is due in 15 working days, before the acknowledgement \(20 working days\)/,
    );
  });

  it('a measure reaching responsible persons that applies to natural persons only', () => {
    expect(loadError('broken-responsible-persons.yaml')).toMatch(
      /measures\[6\] \(restrict-high-consumption\)\.reachesResponsiblePersons \(line 83\): measure restrict-high-consumption reaches responsible persons but applies to no organisation/,
    );
  });

  it('a shape the JSON Schema refuses: an unknown kind, a missing action, an unknown property', () => {
    const message = loadError('broken-shape.yaml');
    expect(message).toContain('(3 problem(s))');
    expect(message).toMatch(
      /measures\[1\] \(green-channel\)\.kind \(line 25\): must be equal to one of the allowed values \(rule enum: incentive, sanction\)/,
    );
    expect(message).toMatch(
      /measures\[2\] \(priority-supervision\) \(line 32\): must have required property 'action' \(rule required\)/,
    );
    expect(message).toMatch(
      /responseDeadlines \(line 10\): must NOT have additional properties \(rule additionalProperties: escalateWorkingDays\)/,
    );
  });

  it('YAML that must not load: a duplicate key', () => {
    const message = loadError('broken-syntax.yaml');
    expect(message).toContain('broken-syntax.yaml');
    expect(message).toMatch(/Map keys must be unique.*line 66/s);
  });
});
