import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Type } from 'avsc';
import { toAvroType } from './avro-type.ts';
import { parsingCanonicalForm } from './canonical-form.ts';
import { composeSchema } from './compose.ts';
import { InvalidDefinition, UnknownKind, UnknownVersion } from './errors.ts';
import { fingerprintBytes } from './fingerprint.ts';
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  NAMED_TYPES,
  qualifyDefinition,
  shortName,
} from './schema-json.ts';

/** The contracts of this repository: avro/<kind>/v<N>.avsc, with shared named types in avro/common/. */
export const AVRO_DIR = fileURLToPath(new URL('../avro', import.meta.url));

const VERSION_FILE = /^v([1-9]\d*)\.avsc$/;
const KIND_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface SchemaVersion {
  readonly kind: string;
  readonly version: number;
  readonly file: string;
  /** Full name of the top-level record, e.g. credit.records.AdministrativePenalty. */
  readonly name: string;
  /** The composed, self-contained schema (docs included). */
  readonly schema: JsonValue;
  readonly canonicalForm: string;
  /** CRC-64-AVRO of the canonical form: hex of the 8 little-endian bytes that single-object encoding carries. */
  readonly fingerprint: string;
  readonly type: Type;
}

export interface KindSchemas {
  readonly kind: string;
  /** Ascending by version. */
  readonly versions: readonly SchemaVersion[];
  /** The highest version: what producers write and what every message is decoded into. */
  readonly current: SchemaVersion;
}

export interface SchemaRegistry {
  readonly dir: string;
  readonly kinds: ReadonlyMap<string, KindSchemas>;
  /** First version (by kind, then version) with each fingerprint; duplicates are a check problem. */
  readonly byFingerprint: ReadonlyMap<string, SchemaVersion>;
}

export interface SchemaSummary {
  readonly kind: string;
  readonly name: string;
  readonly currentVersion: number;
  readonly versions: readonly { readonly version: number; readonly fingerprint: string }[];
}

/** Loads every version of every kind under `dir`; throws SCHEMA_INVALID_DEFINITION naming the file at fault. */
export function loadRegistry(
  dir: string = AVRO_DIR,
  commonDir: string = path.join(dir, 'common'),
): SchemaRegistry {
  if (!existsSync(dir)) throw InvalidDefinition(dir, 'no such folder');
  const commonTypes = loadCommonTypes(commonDir);
  const kinds = new Map<string, KindSchemas>();
  const byFingerprint = new Map<string, SchemaVersion>();
  const kindDirs = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && path.join(dir, entry.name) !== commonDir)
    .map((entry) => entry.name)
    .sort();
  for (const kind of kindDirs) {
    const versions = loadKind(path.join(dir, kind), kind, commonTypes);
    const current = versions.at(-1);
    if (current === undefined) continue;
    kinds.set(kind, { kind, versions, current });
    for (const version of versions) {
      if (!byFingerprint.has(version.fingerprint)) byFingerprint.set(version.fingerprint, version);
    }
  }
  return { dir, kinds, byFingerprint };
}

export function getKind(registry: SchemaRegistry, kind: string): KindSchemas {
  const entry = registry.kinds.get(kind);
  if (entry === undefined) throw UnknownKind(kind, [...registry.kinds.keys()].join(', '));
  return entry;
}

/** A kind's version, the current one when `version` is omitted. */
export function getSchemaVersion(registry: SchemaRegistry, kind: string, version?: number): SchemaVersion {
  const entry = getKind(registry, kind);
  if (version === undefined) return entry.current;
  const found = entry.versions.find((candidate) => candidate.version === version);
  if (found === undefined) {
    throw UnknownVersion(kind, version, entry.versions.map((known) => `v${known.version}`).join(', '));
  }
  return found;
}

/** Every kind with its versions and fingerprints, e.g. for GET /v1/schemas. */
export function listSchemas(registry: SchemaRegistry): SchemaSummary[] {
  return [...registry.kinds.values()].map(({ kind, versions, current }) => ({
    kind,
    name: current.name,
    currentVersion: current.version,
    versions: versions.map(({ version, fingerprint }) => ({ version, fingerprint })),
  }));
}

function loadCommonTypes(commonDir: string): Map<string, JsonObject> {
  const commonTypes = new Map<string, JsonObject>();
  if (!existsSync(commonDir)) return commonTypes;
  for (const fileName of readdirSync(commonDir)
    .filter((name) => name.endsWith('.avsc'))
    .sort()) {
    const file = path.join(commonDir, fileName);
    const definition = readJson(file);
    if (
      !isJsonObject(definition) ||
      typeof definition.type !== 'string' ||
      !NAMED_TYPES.has(definition.type)
    ) {
      throw InvalidDefinition(file, 'a common file must hold one named type (record, enum or fixed)');
    }
    const { fullName, namespace } = qualifyDefinition(definition, undefined);
    if (namespace === undefined) throw InvalidDefinition(file, `common type ${fullName} needs a namespace`);
    if (`${shortName(fullName)}.avsc` !== fileName) {
      throw InvalidDefinition(file, `the file of ${fullName} must be named ${shortName(fullName)}.avsc`);
    }
    commonTypes.set(fullName, definition);
  }
  // Parse each common type on its own too, so a broken one is reported against its own file.
  for (const [fullName, definition] of commonTypes) {
    build(path.join(commonDir, `${shortName(fullName)}.avsc`), definition, commonTypes);
  }
  return commonTypes;
}

function loadKind(
  kindDir: string,
  kind: string,
  commonTypes: ReadonlyMap<string, JsonObject>,
): SchemaVersion[] {
  if (!KIND_NAME.test(kind))
    throw InvalidDefinition(kindDir, `kind folder names are kebab-case, not ${kind}`);
  const versions: SchemaVersion[] = [];
  for (const fileName of readdirSync(kindDir).filter((name) => name.endsWith('.avsc'))) {
    const file = path.join(kindDir, fileName);
    const match = VERSION_FILE.exec(fileName);
    if (!match) throw InvalidDefinition(file, 'version files are named v1.avsc, v2.avsc, ...');
    const { schema, type } = build(file, readJson(file), commonTypes);
    if (type.typeName !== 'record' || typeof type.name !== 'string') {
      throw InvalidDefinition(file, 'the top-level type of a version file must be a named record');
    }
    const canonicalForm = parsingCanonicalForm(schema);
    versions.push({
      kind,
      version: Number(match[1]),
      file,
      name: type.name,
      schema,
      canonicalForm,
      fingerprint: fingerprintBytes(canonicalForm).toString('hex'),
      type,
    });
  }
  return versions.sort((a, b) => a.version - b.version);
}

function build(
  file: string,
  source: JsonValue,
  commonTypes: ReadonlyMap<string, JsonObject>,
): { schema: JsonValue; type: Type } {
  try {
    const schema = composeSchema(source, commonTypes);
    return { schema, type: toAvroType(schema) };
  } catch (error) {
    throw invalidDefinition(file, error);
  }
}

function readJson(file: string): JsonValue {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonValue;
  } catch (error) {
    throw invalidDefinition(file, error);
  }
}

function invalidDefinition(file: string, error: unknown) {
  return InvalidDefinition.with(
    { file },
    error,
    file,
    error instanceof Error ? error.message : String(error),
  );
}
