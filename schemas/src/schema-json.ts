/** Avro schemas as parsed JSON, and the naming rules every walker over them needs. */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);
export const NAMED_TYPES: ReadonlySet<string> = new Set(['record', 'error', 'enum', 'fixed']);

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface QualifiedName {
  readonly fullName: string;
  /** Namespace the named type's own nested names resolve against. */
  readonly namespace: string | undefined;
}

/** Avro naming: a dotted name is already full; otherwise it takes the given (or enclosing) namespace. */
export function qualify(name: string, namespace: string | undefined): QualifiedName {
  const dot = name.lastIndexOf('.');
  if (dot >= 0) return { fullName: name, namespace: name.slice(0, dot) };
  const space = namespace === '' ? undefined : namespace;
  return { fullName: space === undefined ? name : `${space}.${name}`, namespace: space };
}

/** Full name and namespace of a named type definition (record, enum, fixed) met under `enclosing`. */
export function qualifyDefinition(definition: JsonObject, enclosing: string | undefined): QualifiedName {
  const { name, namespace } = definition;
  if (typeof name !== 'string') throw new Error(`named type without a name: ${JSON.stringify(definition)}`);
  return qualify(name, typeof namespace === 'string' ? namespace : enclosing);
}

export function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

export function fieldsOf(record: JsonObject): JsonObject[] {
  const { fields } = record;
  if (!Array.isArray(fields) || !fields.every(isJsonObject)) {
    throw new Error(`record ${String(record.name)} has no valid "fields" array`);
  }
  return fields;
}

export interface SchemaVisitor {
  /** A named type definition (record, enum, fixed) with its full name. */
  definition?(definition: JsonObject, fullName: string): void;
  /** Every schema object, including logical and primitive ones in object form. */
  node?(node: JsonObject): void;
}

/** Visits every definition and schema object of a (composed) schema, depth first. */
export function walkSchema(schema: JsonValue, visitor: SchemaVisitor, namespace?: string): void {
  if (Array.isArray(schema)) {
    for (const branch of schema) walkSchema(branch, visitor, namespace);
    return;
  }
  if (!isJsonObject(schema)) return;
  visitor.node?.(schema);
  const { type } = schema;
  if (typeof type !== 'string') {
    walkSchema(type ?? null, visitor, namespace);
  } else if (NAMED_TYPES.has(type)) {
    const { fullName, namespace: inner } = qualifyDefinition(schema, namespace);
    visitor.definition?.(schema, fullName);
    if (type === 'record' || type === 'error') {
      for (const field of fieldsOf(schema)) walkSchema(field.type ?? null, visitor, inner);
    }
  } else if (type === 'array') {
    walkSchema(schema.items ?? null, visitor, namespace);
  } else if (type === 'map') {
    walkSchema(schema.values ?? null, visitor, namespace);
  }
}
