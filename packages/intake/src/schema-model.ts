import type { JsonObject, JsonValue } from '@credit/schemas';

/**
 * A kind's Avro schema as a small tree the intake walks: to turn wire values into codec values, to explain
 * why a value does not fit, to find dates, amounts and authority codes, and to map CSV columns to fields.
 */
export type SchemaNode =
  | RecordNode
  | EnumNode
  | { readonly type: 'array'; readonly items: SchemaNode }
  | { readonly type: 'map'; readonly values: SchemaNode }
  | { readonly type: 'union'; readonly branches: readonly SchemaNode[] }
  | { readonly type: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly type: 'date' }
  | { readonly type: 'timestamp' }
  | { readonly type: 'primitive'; readonly name: string };

export interface RecordNode {
  readonly type: 'record';
  readonly name: string;
  readonly fields: readonly FieldNode[];
}

export interface EnumNode {
  readonly type: 'enum';
  readonly name: string;
  readonly symbols: readonly string[];
}

export interface FieldNode {
  readonly name: string;
  readonly type: SchemaNode;
  readonly doc: string | undefined;
  /** The field's default as JSON, when it has one. */
  readonly default: { readonly value: JsonValue } | undefined;
  /**
   * False for a field the platform's producers fill and departments never send (`"wire": false` in the schema:
   * the sealed identity numbers): not in the JSON or CSV form, set to its default when the wire form is read.
   */
  readonly wire: boolean;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export function buildModel(schema: JsonValue): SchemaNode {
  return build(schema, undefined, new Map());
}

function build(schema: JsonValue, namespace: string | undefined, named: Map<string, SchemaNode>): SchemaNode {
  if (typeof schema === 'string') {
    if (PRIMITIVES.has(schema)) return { type: 'primitive', name: schema };
    const found = named.get(qualify(schema, namespace).fullName) ?? named.get(schema);
    if (found === undefined) throw new Error(`unknown type reference ${schema}`);
    return found;
  }
  if (Array.isArray(schema)) {
    return { type: 'union', branches: schema.map((branch) => build(branch, namespace, named)) };
  }
  if (schema === null || typeof schema !== 'object')
    throw new Error(`not a schema: ${JSON.stringify(schema)}`);
  const type = schema.type;
  if (type === 'record' || type === 'error') {
    const { fullName, namespace: inner } = qualifyDefinition(schema, namespace);
    const fields: FieldNode[] = [];
    const node: RecordNode = { type: 'record', name: shortName(fullName), fields };
    named.set(fullName, node);
    for (const field of Array.isArray(schema.fields) ? schema.fields : []) {
      if (!isObject(field) || typeof field.name !== 'string' || field.type === undefined) continue;
      fields.push({
        name: field.name,
        type: build(field.type, inner, named),
        doc: typeof field.doc === 'string' ? field.doc : undefined,
        default: 'default' in field && field.default !== undefined ? { value: field.default } : undefined,
        wire: field.wire !== false,
      });
    }
    return node;
  }
  if (type === 'enum') {
    const { fullName } = qualifyDefinition(schema, namespace);
    const symbols = Array.isArray(schema.symbols) ? schema.symbols.filter((s) => typeof s === 'string') : [];
    const node: EnumNode = { type: 'enum', name: shortName(fullName), symbols };
    named.set(fullName, node);
    return node;
  }
  if (type === 'fixed') {
    const node: SchemaNode = { type: 'primitive', name: 'fixed' };
    named.set(qualifyDefinition(schema, namespace).fullName, node);
    return node;
  }
  if (type === 'array' && schema.items !== undefined) {
    return { type: 'array', items: build(schema.items, namespace, named) };
  }
  if (type === 'map' && schema.values !== undefined) {
    return { type: 'map', values: build(schema.values, namespace, named) };
  }
  if (schema.logicalType === 'decimal') {
    return { type: 'decimal', precision: Number(schema.precision), scale: Number(schema.scale ?? 0) };
  }
  if (schema.logicalType === 'date') return { type: 'date' };
  if (schema.logicalType === 'timestamp-millis') return { type: 'timestamp' };
  if (typeof type === 'string' || Array.isArray(type) || isObject(type)) return build(type, namespace, named);
  throw new Error(`not a schema: ${JSON.stringify(schema)}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function qualify(
  name: string,
  namespace: string | undefined,
): { fullName: string; namespace: string | undefined } {
  const dot = name.lastIndexOf('.');
  if (dot >= 0) return { fullName: name, namespace: name.slice(0, dot) };
  return { fullName: namespace ? `${namespace}.${name}` : name, namespace };
}

function qualifyDefinition(definition: JsonObject, enclosing: string | undefined) {
  const namespace = typeof definition.namespace === 'string' ? definition.namespace : enclosing;
  return qualify(String(definition.name), namespace);
}

function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

/** The type inside `null | T`, and whether null was allowed. Other unions are returned as they are. */
export function unwrapNullable(node: SchemaNode): { node: SchemaNode; nullable: boolean } {
  if (node.type !== 'union') return { node, nullable: false };
  const others = node.branches.filter((branch) => !(branch.type === 'primitive' && branch.name === 'null'));
  const nullable = others.length < node.branches.length;
  return others.length === 1 && others[0] ? { node: others[0], nullable } : { node, nullable };
}

/** The node at a path of field names and array indices, as avsc's errorHook reports it. */
export function nodeAt(root: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = childOf(node, segment);
  }
  return node;
}

function childOf(node: SchemaNode, segment: string): SchemaNode | undefined {
  switch (node.type) {
    case 'record':
      return node.fields.find((field) => field.name === segment)?.type;
    case 'array':
      return node.items;
    case 'map':
      return node.values;
    case 'union':
      for (const branch of node.branches) {
        const child = childOf(branch, segment);
        if (child !== undefined) return child;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** `envelope.subject.code`, `penaltyCategories[1]`: how fields are named in rejections. */
export function formatPath(path: readonly string[]): string {
  let text = '';
  for (const segment of path) {
    if (/^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(record)' : text;
}

export interface Leaf {
  /** Dotted path, e.g. `envelope.subject.legalRepresentative.idNumber`. */
  readonly path: string;
  readonly field: FieldNode;
  /** The field's type without its `null |`. */
  readonly node: SchemaNode;
  /** Null allowed for the field itself. */
  readonly nullable: boolean;
  /** Must be present: neither it nor any record it sits in may be null or defaulted. */
  readonly required: boolean;
  /** Dotted paths of the nullable records this leaf sits in, outermost first. */
  readonly optionalParents: readonly string[];
}

/** Every non-record field of a record's wire form, depth first, records under `null |` included. */
export function leavesOf(record: RecordNode): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (
    node: RecordNode,
    prefix: string,
    required: boolean,
    parents: string[],
    seen: Set<RecordNode>,
  ) => {
    if (seen.has(node)) return;
    const inner = new Set(seen).add(node);
    for (const field of node.fields) {
      if (!field.wire) continue;
      const path = prefix === '' ? field.name : `${prefix}.${field.name}`;
      const { node: type, nullable } = unwrapNullable(field.type);
      const fieldRequired = required && !nullable && field.default === undefined;
      if (type.type === 'record') {
        walk(type, path, fieldRequired, nullable ? [...parents, path] : parents, inner);
      } else {
        leaves.push({ path, field, node: type, nullable, required: fieldRequired, optionalParents: parents });
      }
    }
  };
  walk(record, '', true, [], new Set());
  return leaves;
}

/** What a value of the node looks like, for "expected ..." rules. */
export function describeNode(node: SchemaNode): string {
  switch (node.type) {
    case 'record':
      return `${/^[AEIOU]/.test(node.name) ? 'an' : 'a'} ${node.name} object`;
    case 'enum':
      return `one of ${node.symbols.join(', ')}`;
    case 'array':
      return `an array of ${describeNode(node.items)}`;
    case 'map':
      return `an object of ${describeNode(node.values)}`;
    case 'union': {
      const isNull = (branch: SchemaNode) => branch.type === 'primitive' && branch.name === 'null';
      const ordered = [...node.branches.filter((branch) => !isNull(branch)), ...node.branches.filter(isNull)];
      return ordered.map(describeNode).join(' or ');
    }
    case 'decimal':
      return `a decimal string with at most ${node.scale} fraction digits and ${node.precision} digits in all, e.g. '1250.5'`;
    case 'date':
      return 'a date string YYYY-MM-DD';
    case 'timestamp':
      return 'an ISO-8601 timestamp with a time zone, e.g. 2024-05-21T09:45:00+08:00';
    case 'primitive':
      return PRIMITIVE_DESCRIPTIONS[node.name] ?? `a ${node.name}`;
  }
}

const PRIMITIVE_DESCRIPTIONS: Record<string, string> = {
  null: 'null',
  boolean: 'true or false',
  int: 'a 32-bit integer',
  long: 'an integer',
  float: 'a number',
  double: 'a number',
  bytes: 'bytes',
  string: 'a string',
};
