export { MeasuresInvalid } from './errors.ts';
export { type LoadOptions, loadMeasures } from './load.ts';
export { MEASURES_FILE, MEASURES_SCHEMA_FILE } from './paths.ts';
export type {
  MatterType,
  Measure,
  MeasureClass,
  MeasureKind,
  MeasuresCatalogue,
  MeasuresChange,
  MeasuresData,
  Problem,
  ResponseDeadlines,
} from './types.ts';
export { MEASURE_CLASSES, MEASURE_KINDS } from './vocabulary.ts';
