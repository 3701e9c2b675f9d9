import type { RecordKind, Severity } from '@credit/schemas';

/** A reporting department (数据来源单位). `code` is a stable slug used in topic names: credit.ingest.<code>. */
export interface Department {
  /** Lower-case letters, digits and hyphens, e.g. `market-regulation`. */
  code: string;
  /** Chinese name, e.g. 福州市市场监督管理局. */
  name: string;
  /** The department's own unified social credit code; records carry it as envelope.reportingDepartmentCode. */
  uscc: string;
  /** Six-digit administrative division code of its jurisdiction, e.g. 350100. */
  region: string;
  regionName: string;
}

/** How long a record of a kind is publicly disclosed, per severity class. */
export interface DisclosureWindow {
  severity: Severity;
  /** Months from the decision date; null = no end (e.g. a licence while valid). */
  months: number | null;
  /** Earliest point, in months, at which credit repair may end disclosure; null when not repairable. */
  minimumMonths: number | null;
  /** The rule this comes from (seed document line or national rule). */
  basis: string;
}

export interface RecordKindRule {
  kind: RecordKind;
  /** Chinese name, e.g. 行政处罚. */
  name: string;
  /** The kind's part of item codes, e.g. XZCF in 350100-XZCF-0007. */
  abbreviation: string;
  /** Whether the public may see records of this kind at all, or only authorised users. */
  disclosure: 'public' | 'authorised';
  windows: DisclosureWindow[];
}

/** An entry of a department's data list (数据清单) or behaviour list (行为清单). */
export interface CatalogueItem {
  /** e.g. 350100-XZCF-0007: region, kind abbreviation, sequence. Records carry it as envelope.catalogueItemCode. */
  code: string;
  department: string;
  kind: RecordKind;
  name: string;
  list: 'data' | 'behaviour';
  /** Severity classes a record of this item may carry. */
  severities: Severity[];
}

export type GrantCheck =
  | { allowed: true; item: CatalogueItem }
  | {
      allowed: false;
      code:
        | 'CATALOGUE_UNKNOWN_DEPARTMENT'
        | 'CATALOGUE_KIND_NOT_GRANTED'
        | 'CATALOGUE_ITEM_UNKNOWN'
        | 'CATALOGUE_ITEM_OTHER_DEPARTMENT'
        | 'CATALOGUE_ITEM_KIND_MISMATCH'
        | 'CATALOGUE_SEVERITY_NOT_ALLOWED';
      message: string;
    };

/** One entry of the catalogue's change log: what a version changed. */
export interface CatalogueChange {
  version: string;
  /** YYYY-MM-DD. */
  date: string;
  changes: string[];
}

export interface Catalogue {
  /** e.g. `2026.1`; bumped with every change to the data file. */
  version: string;
  changes: readonly CatalogueChange[];
  departments: readonly Department[];
  kinds: readonly RecordKindRule[];
  items: readonly CatalogueItem[];
  department(code: string): Department | undefined;
  departmentByUscc(uscc: string): Department | undefined;
  item(code: string): CatalogueItem | undefined;
  kindRule(kind: RecordKind): RecordKindRule;
  /** Items that grant `department` the right to report `kind`. */
  grants(department: string, kind: RecordKind): CatalogueItem[];
  /** May `department` report a record of `kind`, under item `itemCode`, with `severity`? Says why not. */
  check(department: string, kind: RecordKind, itemCode: string, severity: Severity): GrantCheck;
  /** Public disclosure window of a record: from its decision date until the end of the window (null = no end). */
  disclosureWindow(
    kind: RecordKind,
    severity: Severity,
    decisionDate: string,
  ): { public: boolean; from: string; until: string | null };
}
