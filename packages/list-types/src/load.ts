import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { loadDataFile, shapeCheck } from '@credit/data-file';
import { crossCheck } from './cross-check.ts';
import { ListTypesInvalid } from './errors.ts';
import { LIST_TYPES_FILE, LIST_TYPES_SCHEMA_FILE } from './paths.ts';
import { registryOf } from './registry.ts';
import type { ListType, ListTypeRegistry, ListTypesData } from './types.ts';

const checkShape = shapeCheck<ListTypesData>(LIST_TYPES_SCHEMA_FILE);

export interface LoadOptions {
  /** The catalogue whose departments designate; default: loadCatalogue() (the repository's catalogue). */
  catalogue?: Catalogue;
}

/**
 * Reads and checks a list-types file (default: the repository's data/list-types.yaml): YAML syntax, the JSON
 * Schema, then the cross-checks against the catalogue and @credit/schemas. Any failure is one
 * LIST_TYPES_INVALID error listing every problem with its path, entry and line.
 */
export function loadListTypes(file: string = LIST_TYPES_FILE, options: LoadOptions = {}): ListTypeRegistry {
  const { data } = loadDataFile(file, {
    checkShape,
    invalid: ListTypesInvalid,
    crossCheck: (parsed) => crossCheck(parsed, options.catalogue ?? loadCatalogue()),
  });
  // The cross-checks have matched every kind and category against @credit/schemas.
  const types = structuredClone(data.types) as ListType[];
  return registryOf(data.version, structuredClone(data.changes), types);
}
