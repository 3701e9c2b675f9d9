import { createHash } from 'node:crypto';
import type { Catalogue } from './types.ts';
import { SEVERITIES } from './vocabulary.ts';

/**
 * SHA-256 of the catalogue's content in a canonical form (entries sorted by code, fixed key order), so
 * reordering the file does not change it but any edit to a value does.
 */
export function catalogueContentHash(catalogue: Catalogue): string {
  const bySeverity = (a: string, b: string) =>
    SEVERITIES.indexOf(a as (typeof SEVERITIES)[number]) -
    SEVERITIES.indexOf(b as (typeof SEVERITIES)[number]);
  const canonical = {
    version: catalogue.version,
    changes: sortBy(catalogue.changes, (change) => change.version).map((change) => ({
      version: change.version,
      date: change.date,
      changes: change.changes,
    })),
    kinds: sortBy(catalogue.kinds, (rule) => rule.kind).map((rule) => ({
      kind: rule.kind,
      name: rule.name,
      abbreviation: rule.abbreviation,
      disclosure: rule.disclosure,
      windows: [...rule.windows]
        .sort((a, b) => bySeverity(a.severity, b.severity))
        .map((window) => ({
          severity: window.severity,
          months: window.months,
          minimumMonths: window.minimumMonths,
          basis: window.basis,
        })),
    })),
    departments: sortBy(catalogue.departments, (department) => department.code).map((department) => ({
      code: department.code,
      name: department.name,
      uscc: department.uscc,
      region: department.region,
      regionName: department.regionName,
    })),
    items: sortBy(catalogue.items, (item) => item.code).map((item) => ({
      code: item.code,
      department: item.department,
      kind: item.kind,
      name: item.name,
      list: item.list,
      severities: [...item.severities].sort(bySeverity),
    })),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function sortBy<T>(values: readonly T[], key: (value: T) => string): T[] {
  return [...values].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
