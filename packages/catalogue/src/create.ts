import { formatProblems, type Locate } from '@credit/data-file';
import { type CatalogueContent, catalogueOf } from './catalogue.ts';
import { crossCheck } from './cross-check.ts';
import type { CatalogueData } from './data.ts';
import { CatalogueInvalid } from './errors.ts';
import type { Catalogue } from './types.ts';

export interface CreateOptions {
  /** Named in errors, e.g. the data file's path. */
  source?: string;
  /** Finds the file line of a path, for error messages. */
  locate?: Locate;
}

/**
 * A catalogue from data already in the file's shape (data/catalogue.schema.json), after the cross-checks;
 * throws CATALOGUE_INVALID listing every problem. loadCatalogue() reads, shape-checks and calls this.
 */
export function createCatalogue(data: CatalogueData, options: CreateOptions = {}): Catalogue {
  const problems = crossCheck(data);
  if (problems.length > 0) {
    const source = options.source ?? `version ${data.version}`;
    throw CatalogueInvalid.with(
      { source, problems },
      undefined,
      source,
      problems.length,
      formatProblems(problems, data, options.locate),
    );
  }
  // The cross-checks have matched every kind and severity against @credit/schemas.
  return catalogueOf(structuredClone(data) as CatalogueContent);
}
