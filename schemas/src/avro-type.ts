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
  const registry: Record<string, Type> = {};
  const type = avro.Type.forSchema(schema as ForSchemaArgument, {
    logicalTypes: LOGICAL_TYPES,
    assertLogicalTypes: true,
    wrapUnions: 'never',
    omitRecordMethods: true,
    registry,
  });
  for (const named of Object.values(registry)) {
    if (named instanceof avro.types.EnumType) withoutInheritedSymbols(named);
  }
  return type;
}

/**
 * avsc 5.7 looks enum symbols up in a plain object, so 'constructor', 'toString' and the like pass its check
 * (they are inherited from Object.prototype) and encode as garbage. Found by the gateway's fuzz test. A lookup
 * table without a prototype holds only the real symbols.
 */
function withoutInheritedSymbols(type: Type): void {
  // The type itself is frozen; its lookup table is not.
  Object.setPrototypeOf((type as unknown as { _indices: object })._indices, null);
}
