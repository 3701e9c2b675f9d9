import { loadDataFile, shapeCheck } from '@credit/data-file';
import { createCatalogue } from './create.ts';
import type { CatalogueData } from './data.ts';
import { CatalogueInvalid } from './errors.ts';
import { CATALOGUE_FILE, CATALOGUE_SCHEMA_FILE } from './paths.ts';
import type { Catalogue } from './types.ts';

const checkShape = shapeCheck<CatalogueData>(CATALOGUE_SCHEMA_FILE);

/**
 * Reads and checks a catalogue file (default: the repository's data/catalogue.yaml): YAML syntax, the JSON
 * Schema, then the cross-checks. Any failure is one CATALOGUE_INVALID error listing every problem with its
 * path, entry and line.
 */
export function loadCatalogue(file: string = CATALOGUE_FILE): Catalogue {
  const { data, locate } = loadDataFile(file, { checkShape, invalid: CatalogueInvalid });
  return createCatalogue(data, { source: file, locate });
}
