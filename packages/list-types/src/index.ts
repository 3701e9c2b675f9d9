export { ListTypesInvalid } from './errors.ts';
export { type LoadOptions, loadListTypes } from './load.ts';
export { LIST_TYPES_FILE, LIST_TYPES_SCHEMA_FILE } from './paths.ts';
export type {
  ListColour,
  ListType,
  ListTypeChange,
  ListTypeRegistry,
  ListTypesData,
  Problem,
  Publication,
  Repair,
  Validity,
} from './types.ts';
export { isSubjectCategory, LIST_COLOURS, SUBJECT_CATEGORIES } from './vocabulary.ts';
