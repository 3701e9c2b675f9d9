/** A JSON-style object: not null, not an array, not a Date, Buffer or other class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A plain object or a record instance the Avro codec decoded (avsc builds one class per record type): anything
 * with named fields, but not an array, a Date or bytes. Values read from Kafka are such instances.
 */
export function isRecordLike(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return !(value instanceof Date) && !ArrayBuffer.isView(value);
}

/** An own property, never one inherited from the prototype. */
export function own(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

/** What a JS value is, for "got ..." explanations. */
export function jsTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * The value at a dotted path of own properties (`envelope.subject.code`); undefined when any step is missing.
 * Walks decoded Avro records too, so the same checks run on what the gateway parsed and on what a consumer decoded.
 */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split('.')) {
    if (!isRecordLike(value)) return undefined;
    value = own(value, key);
  }
  return value;
}

/** C0 and C1 control characters (tabs and line breaks included): never part of an identifier. */
export function hasControlCharacter(text: string): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
