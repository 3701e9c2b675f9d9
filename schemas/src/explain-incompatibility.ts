import type { Type, types } from 'avsc';
import {
  canRead,
  describeType,
  enumDefault,
  isArray,
  isEnum,
  isFixed,
  isLogical,
  isMap,
  isRecord,
  mapValues,
  namesOf,
  unionBranches,
} from './type-views.ts';

/** One reason a reader schema cannot read a writer's data, at a field path ('' for the top level). */
export interface Incompatibility {
  readonly field: string;
  readonly reason: string;
}

/**
 * Why avsc refuses `reader.createResolver(writer)`, field by field, following the resolution rules of the
 * Avro specification. Only called when resolution failed; every step re-checks with avsc, so the
 * explanation points at the parts that really fail.
 */
export function explainIncompatibility(reader: Type, writer: Type, readerIsNewer = true): Incompatibility[] {
  return explain(reader, writer, '', { readerIsNewer, visiting: new Set() });
}

interface Context {
  /** Whether the reader is the later version; decides how a rename can be fixed. */
  readonly readerIsNewer: boolean;
  /** Record pairs being explained, so recursive records terminate. */
  readonly visiting: Set<string>;
}

function explain(reader: Type, writer: Type, path: string, context: Context): Incompatibility[] {
  if (canRead(reader, writer)) return [];
  const writerBranches = unionBranches(writer);
  if (writerBranches.length > 0)
    return writerBranches.flatMap((branch) => explain(reader, branch, path, context));
  const readerBranches = unionBranches(reader);
  if (readerBranches.length > 0) {
    const counterpart = readerBranches.find((branch) => sameKind(branch, writer));
    if (counterpart) return explain(counterpart, writer, path, context);
    const reason = `${at(path)}: the writer's ${describeType(writer)} matches no branch of the reader's ${describeType(reader)}`;
    return [{ field: path, reason }];
  }
  // Avro reads a logical type as its underlying type when the reader has no logical type.
  if (!isLogical(reader) && isLogical(writer)) return explain(reader, writer.underlyingType, path, context);
  if (isRecord(reader) && isRecord(writer)) return explainRecords(reader, writer, path, context);
  if (isEnum(reader) && isEnum(writer)) return explainEnums(reader, writer, path);
  if (isArray(reader) && isArray(writer))
    return explain(reader.itemsType, writer.itemsType, `${path}[]`, context);
  if (isMap(reader) && isMap(writer))
    return explain(mapValues(reader), mapValues(writer), `${path}{}`, context);
  if (isFixed(reader) && isFixed(writer)) {
    const reason = renamed(reader, writer)
      ? `fixed ${writer.name} (${at(path)}) was renamed to ${reader.name} without an alias`
      : `fixed ${reader.name} (${at(path)}) changed size from ${writer.size} to ${reader.size}`;
    return [{ field: path, reason }];
  }
  const reason = `${at(path)} changed type from ${describeType(writer)} to ${describeType(reader)}, which Avro does not promote`;
  return [{ field: path, reason }];
}

function explainRecords(
  reader: types.RecordType,
  writer: types.RecordType,
  path: string,
  context: Context,
): Incompatibility[] {
  const pair = `${reader.name}<-${writer.name}`;
  if (context.visiting.has(pair)) return [];
  context.visiting.add(pair);
  const found: Incompatibility[] = [];
  if (renamed(reader, writer)) {
    found.push({
      field: path,
      reason: `record ${writer.name} (${at(path)}) was renamed to ${reader.name} without an alias`,
    });
  }
  const writerFields = new Map(writer.fields.map((field) => [field.name, field]));
  const matched = new Set<string>();
  const missing: types.Field[] = [];
  for (const field of reader.fields) {
    const counterpart = namesOf(field)
      .map((name) => writerFields.get(name))
      .find((candidate) => candidate !== undefined);
    if (counterpart) {
      matched.add(counterpart.name);
      found.push(...explain(field.type, counterpart.type, join(path, field.name), context));
    } else if (field.defaultValue() === undefined) {
      missing.push(field);
    }
  }
  const unmatched = writer.fields.filter((field) => !matched.has(field.name));
  for (const field of missing) {
    const renamedFrom = unmatched.find((candidate) => canRead(field.type, candidate.type));
    const hint = !renamedFrom
      ? '; give it a default'
      : context.readerIsNewer
        ? `; if it is '${renamedFrom.name}' renamed, give it "aliases": ["${renamedFrom.name}"]`
        : `; if '${renamedFrom.name}' is its new name, older readers cannot follow the rename (Avro matches renames only by the reader's aliases): keep the old name`;
    const fieldPath = join(path, field.name);
    found.push({
      field: fieldPath,
      reason: `${at(fieldPath)} is in the reader but not in the writer, and has no default${hint}`,
    });
  }
  context.visiting.delete(pair);
  return found;
}

function explainEnums(reader: types.EnumType, writer: types.EnumType, path: string): Incompatibility[] {
  if (renamed(reader, writer)) {
    return [
      {
        field: path,
        reason: `enum ${writer.name} (${at(path)}) was renamed to ${reader.name} without an alias`,
      },
    ];
  }
  const unknown = writer.symbols.filter((symbol) => !reader.symbols.includes(symbol));
  if (unknown.length === 0 || enumDefault(reader) !== undefined) return [];
  const reason = `enum ${reader.name} (${at(path)}) lacks symbol(s) ${unknown.join(', ')} that the writer can send, and has no default`;
  return [{ field: path, reason }];
}

function renamed(reader: Type, writer: Type): boolean {
  return writer.name !== undefined && !namesOf(reader).includes(writer.name);
}

/** Whether a union branch is the reader's counterpart of the writer's type, worth explaining in detail. */
function sameKind(branch: Type, writer: Type): boolean {
  if (writer.name !== undefined)
    return namesOf(branch).includes(writer.name) || branch.typeName === writer.typeName;
  return branch.typeName === writer.typeName;
}

function at(path: string): string {
  return path === '' ? 'the top-level record' : `field '${path}'`;
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}
