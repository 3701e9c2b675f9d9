import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { formatProblems, readYamlFile, shapeCheck } from '@credit/data-file';
import { type ListTypeRegistry, loadListTypes } from '@credit/list-types';
import { crossCheck } from './cross-check.ts';
import { MeasuresInvalid } from './errors.ts';
import { MEASURES_FILE, MEASURES_SCHEMA_FILE } from './paths.ts';
import { catalogueOf } from './registry.ts';
import type { Measure, MeasuresCatalogue, MeasuresData, Problem } from './types.ts';
import { ALL_SUBJECT_CATEGORIES } from './vocabulary.ts';

const checkShape = shapeCheck<MeasuresData>(MEASURES_SCHEMA_FILE);

export interface LoadOptions {
  /** The list types the measures attach to; default: loadListTypes() over `catalogue`. */
  listTypes?: ListTypeRegistry;
  /** The catalogue whose departments implement; default: loadCatalogue() (the repository's catalogue). */
  catalogue?: Catalogue;
}

/**
 * Reads and checks a measures file (default: the repository's data/measures.yaml): YAML syntax, the JSON Schema,
 * then the cross-checks against the list types, the catalogue and @credit/schemas. Any failure is one
 * MEASURES_INVALID error listing every problem with its path, entry and line.
 */
export function loadMeasures(file: string = MEASURES_FILE, options: LoadOptions = {}): MeasuresCatalogue {
  const read = readYamlFile(file);
  if (!read.ok) throw MeasuresInvalid(file, read.syntaxErrors.length, read.syntaxErrors.join('\n'));
  const { value, locate } = read;
  const fail = (problems: Problem[]) =>
    MeasuresInvalid.with(
      { source: file, problems },
      undefined,
      file,
      problems.length,
      formatProblems(problems, value, locate),
    );
  const shape = checkShape(value);
  if (!('data' in shape)) throw fail(shape.problems);
  const data = shape.data;
  const catalogue = options.catalogue ?? loadCatalogue();
  const listTypes = options.listTypes ?? loadListTypes(undefined, { catalogue });
  const problems = crossCheck(data, listTypes, catalogue);
  if (problems.length > 0) throw fail(problems);
  // The cross-checks have matched every category against @credit/schemas; absent categories mean all of them.
  const measures = structuredClone(data.measures).map(
    (measure) =>
      ({
        ...measure,
        subjectCategories: measure.subjectCategories ?? [...ALL_SUBJECT_CATEGORIES],
      }) as Measure,
  );
  return catalogueOf(
    data.version,
    structuredClone(data.changes),
    structuredClone(data.matterTypes),
    { ...data.responseDeadlines },
    measures,
  );
}
