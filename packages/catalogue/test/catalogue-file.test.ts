import { readFileSync } from 'node:fs';
import { samples } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_SCHEMA_FILE,
  catalogueContentHash,
  createCatalogue,
  describeCatalogue,
  loadCatalogue,
  RECORD_KINDS,
} from '../src/index.ts';
import { dataOf } from './helpers.ts';

const catalogue = loadCatalogue();

describe('the repository catalogue (data/catalogue.yaml)', () => {
  it('loads, passes its JSON Schema and cross-checks, and says which version it is', () => {
    expect(catalogue.version).toBe('2026.1');
    expect(catalogue.changes.map((change) => change.version)).toContain(catalogue.version);
    expect(catalogue.departments.length).toBeGreaterThanOrEqual(14);
    expect(catalogue.items.length).toBeGreaterThanOrEqual(30);
    expect(catalogue.kinds.map((rule) => rule.kind).sort()).toEqual([...RECORD_KINDS].sort());
  });

  it('declares JSON Schema draft 2020-12', () => {
    const schema = JSON.parse(readFileSync(CATALOGUE_SCHEMA_FILE, 'utf8')) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each(RECORD_KINDS)('accepts the shared %s sample for its reporting department', (kind) => {
    const { envelope } = samples[kind];
    const department = catalogue.departmentByUscc(envelope.reportingDepartmentCode);
    expect(department, `no department with USCC ${envelope.reportingDepartmentCode}`).toBeDefined();
    const verdict = catalogue.check(department!.code, kind, envelope.catalogueItemCode, envelope.severity);
    expect(verdict).toEqual({ allowed: true, item: catalogue.item(envelope.catalogueItemCode) });
  });

  it('gives the penalty sample the publication deadline it carries', () => {
    const penalty = samples['administrative-penalty'];
    const window = catalogue.disclosureWindow(
      'administrative-penalty',
      penalty.envelope.severity,
      penalty.envelope.decisionDate,
    );
    expect(window.until).toBe(penalty.publicationDeadline);
  });

  it('puts penalties, debtors and designations on the behaviour list, the rest on the data list', () => {
    const behaviour = new Set(['administrative-penalty', 'dishonest-judgment-debtor', 'list-designation']);
    for (const item of catalogue.items) {
      expect(item.list, item.code).toBe(behaviour.has(item.kind) ? 'behaviour' : 'data');
    }
  });

  it('cites a basis for every disclosure window', () => {
    for (const rule of catalogue.kinds) {
      for (const window of rule.windows)
        expect(window.basis, `${rule.kind} ${window.severity}`).toMatch(/\S{10}/);
    }
  });

  it('describes each department with the kinds it may report', () => {
    const summary = describeCatalogue(catalogue);
    expect(summary.version).toBe('2026.1');
    expect(summary.items).toBe(catalogue.items.length);
    expect(summary.departments.find((department) => department.code === 'intermediate-court')).toEqual({
      code: 'intermediate-court',
      name: '福州市中级人民法院',
      region: '350100',
      kinds: ['dishonest-judgment-debtor'],
      items: 1,
    });
    expect(summary.departments.find((department) => department.code === 'tax')?.kinds).toEqual([
      'administrative-penalty',
      'credit-grade',
      'list-designation',
    ]);
  });

  it('hashes content, not the order of the file', () => {
    const data = dataOf(catalogue);
    data.kinds.reverse();
    data.departments.reverse();
    data.items.reverse();
    for (const item of data.items) item.severities.reverse();
    expect(catalogueContentHash(createCatalogue(data))).toBe(catalogueContentHash(catalogue));

    data.items[0]!.name += '（改）';
    expect(catalogueContentHash(createCatalogue(data))).not.toBe(catalogueContentHash(catalogue));
  });
});
