import {
  fieldsOf,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  NAMED_TYPES,
  PRIMITIVE_TYPES,
  qualify,
  qualifyDefinition,
} from './schema-json.ts';

/**
 * Makes a version file self-contained: the first reference to a common named type (credit.common.Envelope)
 * is replaced by its definition, later references stay names, as Avro requires. A version file may define a
 * common type itself (a pinned copy); then that definition wins, which is how an old version keeps its
 * fingerprint when the common type evolves.
 */
export function composeSchema(schema: JsonValue, commonTypes: ReadonlyMap<string, JsonObject>): JsonValue {
  return compose(schema, undefined, commonTypes, new Set());
}

function compose(
  schema: JsonValue,
  namespace: string | undefined,
  common: ReadonlyMap<string, JsonObject>,
  defined: Set<string>,
): JsonValue {
  if (typeof schema === 'string') {
    if (PRIMITIVE_TYPES.has(schema)) return schema;
    const { fullName } = qualify(schema, namespace);
    if (defined.has(fullName)) return schema;
    const definition = common.get(fullName);
    if (definition === undefined) throw new Error(`unknown type name ${fullName}`);
    return compose(definition, undefined, common, defined);
  }
  if (Array.isArray(schema)) return schema.map((branch) => compose(branch, namespace, common, defined));
  if (!isJsonObject(schema)) throw new Error(`not an Avro schema: ${JSON.stringify(schema)}`);

  const { type } = schema;
  if (typeof type !== 'string') return compose(type ?? null, namespace, common, defined);
  if (NAMED_TYPES.has(type)) {
    const { fullName, namespace: inner } = qualifyDefinition(schema, namespace);
    if (defined.has(fullName)) throw new Error(`${fullName} is defined twice`);
    defined.add(fullName);
    if (type !== 'record' && type !== 'error') return schema;
    const fields = fieldsOf(schema).map((field) => ({
      ...field,
      type: compose(field.type ?? null, inner, common, defined),
    }));
    return { ...schema, fields };
  }
  if (type === 'array')
    return { ...schema, items: compose(schema.items ?? null, namespace, common, defined) };
  if (type === 'map')
    return { ...schema, values: compose(schema.values ?? null, namespace, common, defined) };
  if (PRIMITIVE_TYPES.has(type)) return schema;
  // {"type": "credit.common.Subject"}: a reference in object form.
  return compose(type, namespace, common, defined);
}
