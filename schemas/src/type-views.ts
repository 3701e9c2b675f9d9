import avro, { type Type, type types } from 'avsc';

/** Narrow views of avsc Types, for the code that explains values and schema changes. */

export function isRecord(type: Type): type is types.RecordType {
  return type instanceof avro.types.RecordType;
}
export function isEnum(type: Type): type is types.EnumType {
  return type instanceof avro.types.EnumType;
}
export function isFixed(type: Type): type is types.FixedType {
  return type instanceof avro.types.FixedType;
}
export function isArray(type: Type): type is types.ArrayType {
  return type instanceof avro.types.ArrayType;
}
export function isMap(type: Type): type is types.MapType {
  return type instanceof avro.types.MapType;
}
export function isLogical(type: Type): type is types.LogicalType {
  return type instanceof avro.types.LogicalType;
}

/** Branches of a union (wrapUnions is 'never', so every union is unwrapped); [] for other types. */
export function unionBranches(type: Type): readonly Type[] {
  return type instanceof avro.types.UnwrappedUnionType ? type.types : [];
}

export function mapValues(type: types.MapType): Type {
  const values: Type = type.valuesType;
  return values;
}

export function enumDefault(type: types.EnumType): string | undefined {
  // avsc keeps the enum default on the type but its typings do not declare it.
  return (type as unknown as { default?: string }).default;
}

/** A record's or field's own name plus its aliases: the names a writer's field or record may have. */
export function namesOf(item: {
  readonly name: string | undefined;
  readonly aliases: readonly string[] | undefined;
}): string[] {
  return [...(item.name === undefined ? [] : [item.name]), ...(item.aliases ?? [])];
}

export function canRead(reader: Type, writer: Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

export function describeType(type: Type): string {
  const branches = unionBranches(type);
  if (branches.length > 0) return `union [${branches.map(describeType).join(', ')}]`;
  if (type instanceof avro.types.LogicalType) {
    const spec = (type as unknown as { spec?: { precision: number; scale: number } }).spec;
    const logical = type.typeName.slice('logical:'.length);
    return spec === undefined ? logical : `${logical}(${spec.precision}, ${spec.scale})`;
  }
  if (isArray(type)) return `array<${describeType(type.itemsType)}>`;
  if (isMap(type)) return `map<${describeType(mapValues(type))}>`;
  if (isRecord(type) || isEnum(type) || isFixed(type)) return `${type.typeName} ${type.name}`;
  return type.typeName;
}
