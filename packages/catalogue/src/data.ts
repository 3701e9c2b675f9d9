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

export type { Problem } from '@credit/data-file';
