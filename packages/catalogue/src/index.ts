export { catalogueContentHash } from './content-hash.ts';
export { type CreateOptions, createCatalogue } from './create.ts';
export type { CatalogueData, ItemData, KindData, Problem, WindowData } from './data.ts';
export { CATALOGUE_DB_SCHEMA, loadCatalogueIntoDatabase } from './database.ts';
export { type CatalogueSummary, type DepartmentSummary, describeCatalogue } from './describe.ts';
export {
  CatalogueInvalid,
  CatalogueVersionReused,
  InvalidDate,
  InvalidDepartmentCode,
  NoDisclosureWindow,
  UnknownRecordKind,
} from './errors.ts';
export { loadCatalogue } from './load.ts';
export { CATALOGUE_FILE, CATALOGUE_SCHEMA_FILE, MIGRATIONS_DIR } from './paths.ts';
export {
  INGEST_TOPIC_PREFIX,
  ingestTopicName,
  SANCTION_FEEDBACK_TOPIC_PREFIX,
  SANCTION_ORDERS_TOPIC_PREFIX,
} from './topics.ts';
export type {
  Catalogue,
  CatalogueChange,
  CatalogueItem,
  Department,
  DisclosureWindow,
  GrantCheck,
  RecordKindRule,
} from './types.ts';
export { isRecordKind, RECORD_KINDS, SEVERITIES } from './vocabulary.ts';
