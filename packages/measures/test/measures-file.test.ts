import { readFileSync } from 'node:fs';
import { loadCatalogue } from '@credit/catalogue';
import { loadListTypes } from '@credit/list-types';
import { describe, expect, it } from 'vitest';
import { loadMeasures, MEASURES_FILE, MEASURES_SCHEMA_FILE, type Measure } from '../src/index.ts';

const catalogue = loadMeasures();
const listTypes = loadListTypes();
const codes = (measures: Measure[]) => measures.map((measure) => measure.code);

describe('the repository measures catalogue (data/measures.yaml)', () => {
  it('loads, passes its JSON Schema and cross-checks, and says which version it is', () => {
    expect(catalogue.version).toBe('2026.1');
    expect(catalogue.changes.map((change) => change.version)).toContain(catalogue.version);
  });

  it('declares JSON Schema draft 2020-12 and names it on its first line', () => {
    const schema = JSON.parse(readFileSync(MEASURES_SCHEMA_FILE, 'utf8')) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(readFileSync(MEASURES_FILE, 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./measures.schema.json',
    );
  });

  it('has the matter types approval systems decide', () => {
    expect(catalogue.matterTypes.map((matter) => matter.code)).toEqual(
      expect.arrayContaining([
        'government-procurement',
        'tendering',
        'administrative-licensing',
        'fiscal-funds',
        'subsidies',
        'honours',
        'senior-management-appointment',
        'inspections',
        'public-resource-trading',
        'land-transfer',
        'financing',
        'market-access',
        'public-services',
        'high-consumption',
        'civil-service-recruitment',
      ]),
    );
    expect(catalogue.matterType('government-procurement')?.name).toBe('政府采购');
  });

  it('ships 25 to 40 measures, sanctions and incentives, mandatory and recommended', () => {
    expect(catalogue.measures.length).toBeGreaterThanOrEqual(25);
    expect(catalogue.measures.length).toBeLessThanOrEqual(40);
    for (const kind of ['sanction', 'incentive'])
      for (const measureClass of ['mandatory', 'recommended'])
        expect(
          catalogue.measures.some((measure) => measure.kind === kind && measure.class === measureClass),
          `${kind} ${measureClass}`,
        ).toBe(true);
  });

  it('puts sanctions on black, watch and warning lists and incentives on red lists only', () => {
    for (const measure of catalogue.measures) {
      for (const code of measure.listTypes) {
        const colour = listTypes.get(code)?.colour;
        if (measure.kind === 'incentive') expect(colour, `${measure.code} on ${code}`).toBe('red');
        else expect(['black', 'watch', 'warning'], `${measure.code} on ${code}`).toContain(colour);
      }
    }
  });

  it('gives every black list a mandatory sanction, and the watch and warning lists sanctions too', () => {
    for (const type of listTypes.byColour('black')) {
      expect(
        catalogue.forListType(type.code).some((m) => m.kind === 'sanction' && m.class === 'mandatory'),
        type.code,
      ).toBe(true);
    }
    expect(catalogue.forListType('key-attention').length).toBeGreaterThan(0);
    expect(catalogue.forListType('credit-warning').length).toBeGreaterThan(0);
  });

  it('only uses catalogue departments and its own matter types', () => {
    const departments = loadCatalogue();
    for (const measure of catalogue.measures) {
      for (const department of measure.implementingDepartments)
        expect(departments.department(department), measure.code).toBeDefined();
      for (const matter of measure.matterTypes)
        expect(catalogue.matterType(matter), measure.code).toBeDefined();
    }
  });

  it('gives the implementing departments 3 working days to acknowledge and 15 to feed back', () => {
    expect(catalogue.responseDeadlines).toEqual({ acknowledgeWorkingDays: 3, feedbackWorkingDays: 15 });
  });

  it('restricts high consumption of 失信被执行人, reaching the legal representative', () => {
    expect(catalogue.get('restrict-high-consumption')).toMatchObject({
      kind: 'sanction',
      class: 'mandatory',
      listTypes: ['dishonest-judgment-debtor'],
      matterTypes: ['high-consumption'],
      reachesResponsiblePersons: true,
    });
    expect(codes(catalogue.applicable(['dishonest-judgment-debtor'], 'high-consumption'))).toEqual([
      'restrict-high-consumption',
    ]);
    expect(catalogue.get('restrict-senior-management')?.reachesResponsiblePersons).toBe(true);
    expect(catalogue.get('restrict-high-consumption')?.legalBasis).toContain(
      '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
    );
  });

  it('bars procurement-misconduct suppliers from government procurement', () => {
    expect(codes(catalogue.applicable(['procurement-misconduct'], 'government-procurement'))).toEqual([
      'restrict-government-procurement',
    ]);
  });

  it('orders applicable measures deterministically, each once, across black, watch and red lists', () => {
    const lists = ['joint-sanction', 'dishonest-judgment-debtor', 'key-attention', 'integrity-model'];
    const measures = catalogue.applicable(lists, 'tendering');
    expect(new Set(codes(measures)).size).toBe(measures.length);
    const rank = (m: Measure) =>
      `${m.kind === 'sanction' ? 0 : 1}${m.class === 'mandatory' ? 0 : 1}${m.code}`;
    expect(measures.map(rank)).toEqual(measures.map(rank).sort());
    expect(codes(measures)).toEqual([
      'restrict-tendering',
      'credit-reference-in-bidding',
      'public-resource-trading-credit-bonus',
    ]);
  });
});
