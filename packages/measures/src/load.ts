import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { loadDataFile, shapeCheck } from '@credit/data-file';
import { type ListTypeRegistry, loadListTypes, SUBJECT_CATEGORIES } from '@credit/list-types';
import { crossCheck } from './cross-check.ts';
import { MeasuresInvalid } from './errors.ts';
import { MEASURES_FILE, MEASURES_SCHEMA_FILE } from './paths.ts';
import { catalogueOf } from './registry.ts';
import type { Measure, MeasuresCatalogue, MeasuresData } from './types.ts';

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
  const { data } = loadDataFile(file, {
    checkShape,
    invalid: MeasuresInvalid,
    crossCheck: (parsed) => {
      const catalogue = options.catalogue ?? loadCatalogue();
      return crossCheck(parsed, options.listTypes ?? loadListTypes(undefined, { catalogue }), catalogue);
    },
  });
  // The cross-checks have matched every category against @credit/schemas; absent categories mean all of them.
  const measures = structuredClone(data.measures).map(
    (measure) =>
      ({
        ...measure,
        subjectCategories: measure.subjectCategories ?? [...SUBJECT_CATEGORIES],
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
