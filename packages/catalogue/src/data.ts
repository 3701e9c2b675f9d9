import type { CatalogueChange, Department } from './types.ts';

/**
 * The data file's content once its shape is checked against data/catalogue.schema.json: kinds and severities
 * are still plain strings until the cross-checks have matched them against @credit/schemas.
 */
export interface CatalogueData {
  version: string;
  changes: CatalogueChange[];
  kinds: KindData[];
  departments: Department[];
  items: ItemData[];
}

export interface KindData {
  kind: string;
  name: string;
  abbreviation: string;
  disclosure: 'public' | 'authorised';
  windows: WindowData[];
}

export interface WindowData {
  severity: string;
  months: number | null;
  minimumMonths: number | null;
  basis: string;
}

export interface ItemData {
  code: string;
  department: string;
  kind: string;
  name: string;
  list: 'data' | 'behaviour';
  severities: string[];
}

/** Where in the data a problem is, e.g. ['items', 3, 'code'], and what it is. */
export interface Problem {
  path: (string | number)[];
  message: string;
}
