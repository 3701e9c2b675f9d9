import {
  fieldsOf,
  isJsonObject,
  type JsonValue,
  NAMED_TYPES,
  PRIMITIVE_TYPES,
  qualify,
  qualifyDefinition,
} from './schema-json.ts';

/**
 * Parsing Canonical Form of an Avro schema (Avro specification, "Parsing Canonical Form for Schemas"):
 * primitives in simple form, full names without namespaces, only name/type/fields/symbols/items/values/size
 * kept in that order, no whitespace. A named type met a second time is written as its full name.
 */
export function parsingCanonicalForm(schema: JsonValue): string {
  return write(schema, undefined, new Set());
}

function write(schema: JsonValue, namespace: string | undefined, seen: Set<string>): string {
  if (typeof schema === 'string') {
    return JSON.stringify(PRIMITIVE_TYPES.has(schema) ? schema : qualify(schema, namespace).fullName);
  }
  if (Array.isArray(schema)) return `[${schema.map((branch) => write(branch, namespace, seen)).join(',')}]`;
  if (!isJsonObject(schema)) throw new Error(`not an Avro schema: ${JSON.stringify(schema)}`);

  const { type } = schema;
  if (typeof type !== 'string') return write(type ?? null, namespace, seen);
  if (NAMED_TYPES.has(type)) {
    const { fullName, namespace: inner } = qualifyDefinition(schema, namespace);
    if (seen.has(fullName)) return JSON.stringify(fullName);
    seen.add(fullName);
    const head = `"name":${JSON.stringify(fullName)},"type":${JSON.stringify(type === 'error' ? 'record' : type)}`;
    switch (type) {
      case 'enum':
        return `{${head},"symbols":${JSON.stringify(schema.symbols)}}`;
      case 'fixed':
        // [INTEGERS]: no quotes, no leading zeros.
        return `{${head},"size":${Number(schema.size)}}`;
      default: {
        const fields = fieldsOf(schema).map(
          (field) =>
            `{"name":${JSON.stringify(field.name)},"type":${write(field.type ?? null, inner, seen)}}`,
        );
        return `{${head},"fields":[${fields.join(',')}]}`;
      }
    }
  }
  if (type === 'array') return `{"type":"array","items":${write(schema.items ?? null, namespace, seen)}}`;
  if (type === 'map') return `{"type":"map","values":${write(schema.values ?? null, namespace, seen)}}`;
  // {"type":"int", "logicalType": ...} and {"type":"some.Name"}: attributes other than type are stripped.
  return write(type, namespace, seen);
}
