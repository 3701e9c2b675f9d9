import { fileURLToPath } from 'node:url';
import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { type ListTypeRegistry, loadListTypes } from '@credit/list-types';
import type { SubjectCategory } from '@credit/schemas';
import type { RuleContext } from '../src/rules/common.ts';
import { loadRules, type Rule, type RuleSet } from '../src/rules/index.ts';
import type { DateText, FactRecord, KnownEntry, SubjectFacts } from '../src/rules/types.ts';

export const catalogue: Catalogue = loadCatalogue();
export const registry: ListTypeRegistry = loadListTypes(undefined, { catalogue });
/** The shipped rules (data/rules.yaml). */
export const rules: RuleSet = loadRules(undefined, { registry, catalogue });

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** The shipped rule of `type` (the first one). */
export function ruleOf<T extends Rule['type']>(type: T): Extract<Rule, { type: T }> {
  const rule = rules.rules.find((candidate) => candidate.type === type);
  if (!rule) throw new Error(`no ${type} rule in the shipped rules`);
  return rule as Extract<Rule, { type: T }>;
}

export function context(today: DateText): RuleContext {
  return { registry, keyFields: rules.keyFields, rulesVersion: rules.version, today };
}

let sequence = 0;

/** A record of catalogue item `item` (its department and kind from the catalogue); anything else overridable. */
export function record(item: string, overrides: Partial<FactRecord> = {}): FactRecord {
  const catalogued = catalogue.item(item);
  if (!catalogued) throw new Error(`no catalogue item ${item}`);
  sequence += 1;
  return {
    department: catalogued.department,
    sourceRecordId: `R${String(sequence).padStart(4, '0')}`,
    version: 1,
    kind: catalogued.kind,
    catalogueItemCode: item,
    severity: catalogued.severities.at(-1)!,
    decisionDate: '2025-06-01',
    listTypeCode: null,
    level: null,
    validFrom: null,
    validTo: null,
    ...overrides,
  };
}

/** Items of the shipped key fields, for penalties. */
export const ITEMS = {
  foodDrug: '350100-XZCF-0007',
  productQuality: '350100-XZCF-0008',
  taxation: '350100-XZCF-0001',
  ecoEnvironment: '350100-XZCF-0002',
  statistics: '350100-XZCF-0003',
  construction: '350100-XZCF-0004',
  wages: '350100-XZCF-0005',
  workSafety: '350100-XZCF-0009',
  /** Not in any key field. */
  customs: '350100-XZCF-0006',
  transport: '350100-XZCF-0010',
  taxGrade: '350100-XYDJ-0003',
} as const;

export function serious(
  item: string,
  decisionDate: DateText,
  overrides: Partial<FactRecord> = {},
): FactRecord {
  return record(item, { severity: 'SERIOUS_DISHONESTY', decisionDate, ...overrides });
}

export function minor(item: string, decisionDate: DateText, overrides: Partial<FactRecord> = {}): FactRecord {
  return record(item, { severity: 'GENERAL_DISHONESTY', decisionDate, ...overrides });
}

export function taxGrade(
  level: string,
  decisionDate: DateText,
  overrides: Partial<FactRecord> = {},
): FactRecord {
  return record(ITEMS.taxGrade, {
    severity: level === 'A' ? 'POSITIVE' : 'BASIC',
    level,
    decisionDate,
    ...overrides,
  });
}

let entrySequence = 0;

/** A published watch entry on key-attention, valid 2025-01-01 to 2026-01-01, in work-safety; overridable. */
export function entry(overrides: Partial<KnownEntry> = {}): KnownEntry {
  entrySequence += 1;
  return {
    id: `E${String(entrySequence).padStart(4, '0')}`,
    listType: 'key-attention',
    colour: 'watch',
    field: 'work-safety',
    ruleId: 'key-field-breach',
    identity: `rule:key-field-breach:key-attention:work-safety:x:${entrySequence}`,
    state: 'published',
    exitReason: null,
    validFrom: '2025-01-01',
    validUntil: '2026-01-01',
    basis: [],
    ...overrides,
  };
}

export function facts(
  records: readonly FactRecord[],
  entries: readonly KnownEntry[] = [],
  category: SubjectCategory = 'LEGAL_ENTITY',
): SubjectFacts {
  return { subjectCode: '91350100M000100Y43', category, records, entries };
}
