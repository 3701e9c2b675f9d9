import { formatProblems, readYamlFile, shapeCheck } from '@credit/data-file';
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
  const read = readYamlFile(file);
  if (!read.ok) throw CatalogueInvalid(file, read.syntaxErrors.length, read.syntaxErrors.join('\n'));
  const { value, locate } = read;
  const shape = checkShape(value);
  if (!('data' in shape)) {
    throw CatalogueInvalid.with(
      { source: file, problems: shape.problems },
      undefined,
      file,
      shape.problems.length,
      formatProblems(shape.problems, value, locate),
    );
  }
  return createCatalogue(shape.data, { source: file, locate });
}
