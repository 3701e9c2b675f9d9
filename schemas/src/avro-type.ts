import avro, { type Type } from 'avsc';
import { LOGICAL_TYPES } from './logical-types.ts';
import type { JsonValue } from './schema-json.ts';

type ForSchemaArgument = Parameters<typeof avro.Type.forSchema>[0];

/**
 * The one way this package turns schema JSON into an avsc Type: with our logical types (errors in their
 * attributes surface instead of silently falling back to the underlying type), unions never wrapped (an
 * ambiguous union is a definition error, and values look the same as in TypeScript), records without methods.
 */
export function toAvroType(schema: JsonValue): Type {
  return avro.Type.forSchema(schema as ForSchemaArgument, {
    logicalTypes: LOGICAL_TYPES,
    assertLogicalTypes: true,
    wrapUnions: 'never',
    omitRecordMethods: true,
  });
}
