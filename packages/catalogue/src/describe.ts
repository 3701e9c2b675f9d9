import type { RecordKind } from '@credit/schemas';
import type { Catalogue } from './types.ts';
import { RECORD_KINDS } from './vocabulary.ts';

export interface CatalogueSummary {
  version: string;
  departments: DepartmentSummary[];
  items: number;
}

export interface DepartmentSummary {
  code: string;
  name: string;
  region: string;
  /** Kinds the department may report, in the platform's kind order. */
  kinds: RecordKind[];
  items: number;
}

/** A compact view of the catalogue, for `credit catalogue show`. */
export function describeCatalogue(catalogue: Catalogue): CatalogueSummary {
  return {
    version: catalogue.version,
    items: catalogue.items.length,
    departments: catalogue.departments.map((department) => {
      const items = catalogue.items.filter((item) => item.department === department.code);
      return {
        code: department.code,
        name: department.name,
        region: department.region,
        kinds: RECORD_KINDS.filter((kind) => items.some((item) => item.kind === kind)),
        items: items.length,
      };
    }),
  };
}
