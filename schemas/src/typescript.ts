import type { SchemaRegistry } from './registry.ts';
import {
  fieldsOf,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  NAMED_TYPES,
  PRIMITIVE_TYPES,
  qualify,
  qualifyDefinition,
  shortName,
} from './schema-json.ts';

export const GENERATED_TYPES_FILE = new URL('./generated/types.ts', import.meta.url);
export const REGENERATE_COMMAND = 'pnpm schemas:types';

const PRIMITIVE_TS: Readonly<Record<string, string>> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

const PREAMBLE = `// Generated from schemas/avro by \`${REGENERATE_COMMAND}\` (schemas/src/typescript.ts). Do not edit.
// One interface per record of each kind's current version; enums are string unions.

/** An Avro decimal as an exact string with exactly the schema's scale of fraction digits, e.g. '1250.500000'. */
export type DecimalString = string;

/** An Avro date as 'YYYY-MM-DD' (a calendar date, no time zone). */
export type DateString = string;
`;

interface Declaration {
  readonly fullName: string;
  /** The definition as first met, to detect two kinds defining the same name differently. */
  readonly definition: string;
  readonly code: string;
}

/** TypeScript declarations for the current version of every kind, plus the RecordKinds map. */
export function generateTypes(registry: SchemaRegistry): string {
  const declarations = new Map<string, Declaration>();
  const kindLines: string[] = [];
  for (const { kind, current } of registry.kinds.values()) {
    const typeName = new TypeWriter(declarations, `${kind} v${current.version}`).typeOf(
      current.schema,
      undefined,
    );
    kindLines.push(`  '${kind}': ${typeName};`);
  }
  const recordKinds = [
    '/** The current version of each kind, by kind name: what `encode` takes and `decode` returns. */',
    'export interface RecordKinds {',
    ...kindLines,
    '}',
    '',
    'export type RecordKind = keyof RecordKinds;',
  ].join('\n');
  const body = [...declarations.values()].map((declaration) => declaration.code);
  return `${[PREAMBLE, ...body, recordKinds].join('\n')}\n`;
}

class TypeWriter {
  readonly #declarations: Map<string, Declaration>;
  readonly #source: string;
  /** Names defined so far in the schema being walked: a later reference is just the name. */
  readonly #seen = new Set<string>();

  constructor(declarations: Map<string, Declaration>, source: string) {
    this.#declarations = declarations;
    this.#source = source;
  }

  typeOf(schema: JsonValue, namespace: string | undefined): string {
    if (typeof schema === 'string') {
      const primitive = PRIMITIVE_TS[schema];
      return primitive ?? shortName(qualify(schema, namespace).fullName);
    }
    if (Array.isArray(schema)) {
      const branches = schema.map((branch) => this.typeOf(branch, namespace));
      // `T | null` reads better than `null | T`.
      return [
        ...branches.filter((branch) => branch !== 'null'),
        ...branches.filter((b) => b === 'null'),
      ].join(' | ');
    }
    if (!isJsonObject(schema))
      throw new Error(`${this.#source}: not an Avro schema: ${JSON.stringify(schema)}`);
    const { type, logicalType } = schema;
    if (logicalType === 'decimal' && type === 'bytes') return 'DecimalString';
    if (logicalType === 'date' && type === 'int') return 'DateString';
    if (logicalType === 'timestamp-millis' && type === 'long') return 'Date';
    if (typeof type !== 'string') return this.typeOf(type ?? null, namespace);
    if (NAMED_TYPES.has(type)) return this.#declare(schema, namespace);
    if (type === 'array') {
      const items = this.typeOf(schema.items ?? null, namespace);
      return items.includes(' ') ? `Array<${items}>` : `${items}[]`;
    }
    if (type === 'map') return `Record<string, ${this.typeOf(schema.values ?? null, namespace)}>`;
    if (PRIMITIVE_TYPES.has(type)) return PRIMITIVE_TS[type] ?? 'unknown';
    return this.typeOf(type, namespace);
  }

  #declare(schema: JsonObject, enclosing: string | undefined): string {
    const { fullName, namespace } = qualifyDefinition(schema, enclosing);
    const name = shortName(fullName);
    if (this.#seen.has(fullName)) return name;
    this.#seen.add(fullName);
    const clash = [...this.#declarations.values()].find(
      (other) => other.fullName !== fullName && shortName(other.fullName) === name,
    );
    if (clash)
      throw new Error(`${this.#source}: ${fullName} and ${clash.fullName} would both be type ${name}`);

    const definition = JSON.stringify(schema);
    const existing = this.#declarations.get(fullName);
    if (existing) {
      if (existing.definition !== definition) {
        throw new Error(
          `${this.#source}: ${fullName} differs from its definition in another kind's current version`,
        );
      }
      return name;
    }
    // Reserve the slot first so declarations come out parents before children.
    const slot = { fullName, definition, code: '' };
    this.#declarations.set(fullName, slot);
    const code =
      schema.type === 'enum'
        ? `${jsDoc(schema.doc, '', fullName)}export type ${name} = ${symbolsOf(schema)};\n`
        : schema.type === 'fixed'
          ? `${jsDoc(schema.doc, '', fullName)}export type ${name} = Buffer;\n`
          : this.#interface(schema, name, fullName, namespace);
    this.#declarations.set(fullName, { ...slot, code });
    return name;
  }

  #interface(schema: JsonObject, name: string, fullName: string, namespace: string | undefined): string {
    const members = fieldsOf(schema).map((field) => {
      const fieldType = this.typeOf(field.type ?? null, namespace);
      const doc = typeof field.doc === 'string' ? field.doc : undefined;
      // `tsOptional`: a field the platform's own tooling fills (the sealed identity numbers), which code building
      // a record leaves out; the codec writes its default then. Decoded values always have it.
      const optional = field.tsOptional === true && field.default !== undefined ? '?' : '';
      return `${jsDoc(withDecimalNote(doc, field.type ?? null), '  ')}  ${String(field.name)}${optional}: ${fieldType};`;
    });
    return `${jsDoc(schema.doc, '', fullName)}export interface ${name} {\n${members.join('\n')}\n}\n`;
  }
}

function symbolsOf(schema: JsonObject): string {
  const { symbols } = schema;
  if (!Array.isArray(symbols)) throw new Error(`enum ${String(schema.name)} has no symbols`);
  return symbols.map((symbol) => `'${String(symbol)}'`).join(' | ');
}

/** Producers must not exceed a decimal's scale or precision, so the field's JSDoc says what they are. */
function withDecimalNote(doc: string | undefined, type: JsonValue): string | undefined {
  const decimal = (Array.isArray(type) ? type : [type]).find(
    (branch) => isJsonObject(branch) && branch.logicalType === 'decimal',
  );
  if (!isJsonObject(decimal)) return doc;
  const note = `Decimal string: at most ${String(decimal.scale ?? 0)} fraction digits, ${String(decimal.precision)} digits in all.`;
  return doc === undefined ? note : `${doc} ${note}`;
}

function jsDoc(doc: JsonValue | undefined, indent: string, avroName?: string): string {
  const lines = typeof doc === 'string' ? [doc.replaceAll('*/', '*\\/')] : [];
  if (avroName !== undefined) lines.push(`${lines.length > 0 ? '\n' : ''}Avro: ${avroName}`);
  if (lines.length === 0) return '';
  const text = lines.join('\n').split('\n');
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((line) => `${indent} *${line === '' ? '' : ` ${line}`}`).join('\n')}\n${indent} */\n`;
}
