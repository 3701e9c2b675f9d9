import type { RecordKind, Severity } from '@credit/schemas';
import { addMonths, parseCalendarDate } from './calendar.ts';
import { InvalidDate, NoDisclosureWindow, UnknownRecordKind } from './errors.ts';
import type {
  Catalogue,
  CatalogueChange,
  CatalogueItem,
  Department,
  GrantCheck,
  RecordKindRule,
} from './types.ts';

export interface CatalogueContent {
  version: string;
  changes: CatalogueChange[];
  kinds: RecordKindRule[];
  departments: Department[];
  items: CatalogueItem[];
}

/** The lookups over content that has passed every check (see createCatalogue). */
export function catalogueOf(content: CatalogueContent): Catalogue {
  const { version } = content;
  const departments = new Map(content.departments.map((department) => [department.code, department]));
  const byUscc = new Map(content.departments.map((department) => [department.uscc, department]));
  const items = new Map(content.items.map((item) => [item.code, item]));
  const rules = new Map(content.kinds.map((rule) => [rule.kind, rule]));
  const grantsOf = new Map<string, CatalogueItem[]>();
  for (const item of content.items) {
    const key = `${item.department}\u0000${item.kind}`;
    grantsOf.set(key, [...(grantsOf.get(key) ?? []), item]);
  }

  const kindRule = (kind: RecordKind): RecordKindRule => {
    const rule = rules.get(kind);
    if (!rule) throw UnknownRecordKind(kind, version);
    return rule;
  };
  const grants = (department: string, kind: RecordKind): CatalogueItem[] => [
    ...(grantsOf.get(`${department}\u0000${kind}`) ?? []),
  ];

  return {
    version,
    changes: content.changes,
    departments: content.departments,
    kinds: content.kinds,
    items: content.items,
    department: (code) => departments.get(code),
    departmentByUscc: (uscc) => byUscc.get(uscc),
    item: (code) => items.get(code),
    kindRule,
    grants,
    check(departmentCode, kind, itemCode, severity): GrantCheck {
      const department = departments.get(departmentCode);
      if (!department) {
        return refuse(
          'CATALOGUE_UNKNOWN_DEPARTMENT',
          `department ${departmentCode} is not in catalogue ${version}`,
        );
      }
      const who = `department ${department.code} (${department.name})`;
      const granted = grants(department.code, kind);
      if (granted.length === 0) {
        return refuse(
          'CATALOGUE_KIND_NOT_GRANTED',
          `${who} may not report ${kind} records: no item of catalogue ${version} grants it`,
        );
      }
      const item = items.get(itemCode);
      if (!item) {
        return refuse(
          'CATALOGUE_ITEM_UNKNOWN',
          `item ${itemCode} is not in catalogue ${version}; ${who} reports ${kind} records under ${codes(granted)}`,
        );
      }
      if (item.department !== department.code) {
        return refuse(
          'CATALOGUE_ITEM_OTHER_DEPARTMENT',
          `item ${item.code} (${item.name}) belongs to department ${item.department}, not to ${who}; it reports ${kind} records under ${codes(granted)}`,
        );
      }
      if (item.kind !== kind) {
        return refuse(
          'CATALOGUE_ITEM_KIND_MISMATCH',
          `item ${item.code} (${item.name}) of ${who} is for ${item.kind} records, not ${kind}; ${kind} records go under ${codes(granted)}`,
        );
      }
      if (!item.severities.includes(severity)) {
        return refuse(
          'CATALOGUE_SEVERITY_NOT_ALLOWED',
          `item ${item.code} (${item.name}) of ${who} does not allow severity ${severity} on ${kind} records; it allows ${item.severities.join(', ')}`,
        );
      }
      return { allowed: true, item };
    },
    disclosureWindow(kind: RecordKind, severity: Severity, decisionDate: string) {
      const rule = kindRule(kind);
      const window = rule.windows.find((candidate) => candidate.severity === severity);
      if (!window) throw NoDisclosureWindow(kind, severity, version);
      if (!parseCalendarDate(decisionDate)) throw InvalidDate(decisionDate);
      // Not public at all: an empty window rather than null, which would mean "public with no end".
      if (rule.disclosure !== 'public' || window.months === 0) {
        return { public: false, from: decisionDate, until: decisionDate };
      }
      return {
        public: true,
        from: decisionDate,
        until: window.months === null ? null : (addMonths(decisionDate, window.months) ?? null),
      };
    },
  };
}

function refuse(code: Extract<GrantCheck, { allowed: false }>['code'], message: string): GrantCheck {
  return { allowed: false, code, message };
}

function codes(items: CatalogueItem[]): string {
  return items.map((item) => item.code).join(', ');
}
