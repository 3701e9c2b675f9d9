import { getKind, type SchemaRegistry } from './registry.ts';
import {
  fieldsOf,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  qualify,
  qualifyDefinition,
  shortName,
} from './schema-json.ts';

/**
 * JSON Schema (2020-12) of the JSON wire form of each kind, derived from its current Avro schema so the OpenAPI
 * document describes exactly what the codec validates: decimals and dates as strings, timestamp-millis as
 * RFC 3339 date-times, `T | null` unions as anyOf with null, named types as OpenAPI components (by short name).
 */
export function wireJsonSchemas(registry: SchemaRegistry): {
  kinds: Record<string, JsonObject>;
  defs: Record<string, JsonObject>;
} {
  const defs: Record<string, JsonObject> = {};
  const kinds: Record<string, JsonObject> = {};
  for (const kind of registry.kinds.keys()) {
    kinds[kind] = convert(getKind(registry, kind).current.schema, undefined, defs);
  }
  return { kinds, defs };
}

function convert(
  schema: JsonValue,
  namespace: string | undefined,
  defs: Record<string, JsonObject>,
): JsonObject {
  if (typeof schema === 'string') return primitiveOrReference(schema, namespace);
  if (Array.isArray(schema)) {
    const branches = schema.map((branch) => convert(branch, namespace, defs));
    return { anyOf: branches };
  }
  if (!isJsonObject(schema)) throw new Error(`not an Avro schema: ${JSON.stringify(schema)}`);
  const type = schema.type as string;
  const doc: JsonObject = typeof schema.doc === 'string' ? { description: schema.doc } : {};
  switch (type) {
    case 'record':
    case 'error': {
      const name = qualifyDefinition(schema, namespace);
      const key = shortName(name.fullName);
      if (!defs[key]) {
        defs[key] = {}; // reserve the name before descending, for recursive types
        const properties: JsonObject = {};
        const required: string[] = [];
        for (const field of fieldsOf(schema)) {
          // Filled by the platform's producers (the sealed identity numbers), never sent by a department.
          if (field.wire === false) continue;
          const converted = convert(field.type as JsonValue, name.namespace, defs);
          properties[field.name as string] =
            typeof field.doc === 'string' ? { ...converted, description: field.doc } : converted;
          if (!('default' in field)) required.push(field.name as string);
        }
        defs[key] = { type: 'object', ...doc, properties, required, additionalProperties: false };
      }
      return ref(name.fullName);
    }
    case 'enum': {
      const name = qualifyDefinition(schema, namespace);
      defs[shortName(name.fullName)] ??= { type: 'string', ...doc, enum: schema.symbols as JsonValue[] };
      return ref(name.fullName);
    }
    case 'fixed': {
      const name = qualifyDefinition(schema, namespace);
      defs[shortName(name.fullName)] ??= {
        type: 'string',
        ...doc,
        description: `${schema.size} bytes, base64`,
      };
      return ref(name.fullName);
    }
    case 'array':
      return { type: 'array', items: convert(schema.items as JsonValue, namespace, defs) };
    case 'map':
      return { type: 'object', additionalProperties: convert(schema.values as JsonValue, namespace, defs) };
    default:
      return logical(schema) ?? primitiveOrReference(type, namespace);
  }
}

function logical(schema: JsonObject): JsonObject | undefined {
  switch (schema.logicalType) {
    case 'decimal': {
      const scale = Number(schema.scale ?? 0);
      const integerDigits = Number(schema.precision) - scale;
      return {
        type: 'string',
        pattern: `^-?\\d{1,${integerDigits}}(\\.\\d{1,${scale}})?$`,
        description: `decimal, precision ${schema.precision}, scale ${scale}, as a string`,
      };
    }
    case 'date':
      return { type: 'string', format: 'date' };
    case 'timestamp-millis':
      return { type: 'string', format: 'date-time' };
    default:
      return undefined;
  }
}

function primitiveOrReference(name: string, namespace: string | undefined): JsonObject {
  switch (name) {
    case 'null':
      return { type: 'null' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int':
    case 'long':
      return { type: 'integer' };
    case 'float':
    case 'double':
      return { type: 'number' };
    case 'bytes':
    case 'string':
      return { type: 'string' };
    default:
      return ref(qualify(name, namespace).fullName);
  }
}

function ref(fullName: string): JsonObject {
  return { $ref: `#/components/schemas/${shortName(fullName)}` };
}
