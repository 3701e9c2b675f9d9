import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { formatProblems, readYamlFile, shapeCheck } from '@credit/data-file';
import { crossCheck } from './cross-check.ts';
import { ListTypesInvalid } from './errors.ts';
import { LIST_TYPES_FILE, LIST_TYPES_SCHEMA_FILE } from './paths.ts';
import { registryOf } from './registry.ts';
import type { ListType, ListTypeRegistry, ListTypesData, Problem } from './types.ts';

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
  const read = readYamlFile(file);
  if (!read.ok) throw ListTypesInvalid(file, read.syntaxErrors.length, read.syntaxErrors.join('\n'));
  const { value, locate } = read;
  const fail = (problems: Problem[]) =>
    ListTypesInvalid.with(
      { source: file, problems },
      undefined,
      file,
      problems.length,
      formatProblems(problems, value, locate),
    );
  const shape = checkShape(value);
  if (!('data' in shape)) throw fail(shape.problems);
  const data = shape.data;
  const problems = crossCheck(data, options.catalogue ?? loadCatalogue());
  if (problems.length > 0) throw fail(problems);
  // The cross-checks have matched every kind and category against @credit/schemas.
  const types = structuredClone(data.types) as ListType[];
  return registryOf(data.version, structuredClone(data.changes), types);
}
