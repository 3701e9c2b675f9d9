export { parsingCanonicalForm } from './canonical-form.ts';
export { type Codec, createCodec, type Decoded, type DecodedRecord } from './codec.ts';
export { type CompatibilityProblem, checkCompatibility, type ProblemRule } from './compatibility.ts';
export {
  Incompatible,
  InvalidDefinition,
  InvalidValue,
  NotSingleObject,
  Undecodable,
  UnknownFingerprint,
  UnknownKind,
  UnknownVersion,
} from './errors.ts';
export { fingerprintBytes, rabinFingerprint64, schemaFingerprint } from './fingerprint.ts';
export type * from './generated/types.ts';
export { wireJsonSchemas } from './json-schema.ts';
export { CalendarDateType, DecimalType, LOGICAL_TYPES, TimestampMillisType } from './logical-types.ts';
export {
  AVRO_DIR,
  getKind,
  getSchemaVersion,
  type KindSchemas,
  listSchemas,
  loadRegistry,
  type SchemaRegistry,
  type SchemaSummary,
  type SchemaVersion,
} from './registry.ts';
export { SAMPLE_AUTHORITY_CODES, SAMPLE_SUBJECT_CODE, sampleRecord, samples } from './samples.ts';
export type { JsonObject, JsonValue } from './schema-json.ts';
export { readFingerprint, SINGLE_OBJECT_MAGIC } from './single-object.ts';
export { generateTypes } from './typescript.ts';
