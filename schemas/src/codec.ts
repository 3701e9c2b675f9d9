import type { Type } from 'avsc';
import { Incompatible, InvalidValue, Undecodable, UnknownFingerprint } from './errors.ts';
import type { RecordKinds } from './generated/types.ts';
import { describeValue, findInvalidValue } from './invalid-value.ts';
import {
  getKind,
  getSchemaVersion,
  loadRegistry,
  type SchemaRegistry,
  type SchemaVersion,
} from './registry.ts';
import { frame, unframe } from './single-object.ts';

type KindOf<Kinds> = keyof Kinds & string;

export interface DecodedRecord<Kinds, K extends KindOf<Kinds>> {
  readonly kind: K;
  /** Version the message was written with; `value` is always in the kind's current version. */
  readonly version: number;
  /** Writer schema fingerprint (hex of the 8 little-endian bytes). */
  readonly fingerprint: string;
  readonly value: Kinds[K];
}

/** A decoded message; narrow on `kind` to get the typed value. */
export type Decoded<Kinds = RecordKinds> = { [K in KindOf<Kinds>]: DecodedRecord<Kinds, K> }[KindOf<Kinds>];

export interface Codec<Kinds = RecordKinds> {
  /** Single-object encoding of `value` with the kind's current version. */
  encode<K extends KindOf<Kinds>>(kind: K, value: Kinds[K]): Buffer;
  /**
   * For a value the caller has already checked against the kind's current schema, undeclared fields included
   * (packages/intake does): skips the second check. Still throws InvalidValue if the value does not encode.
   */
  encodeChecked<K extends KindOf<Kinds>>(kind: K, value: Kinds[K]): Buffer;
  /** Same with an explicit (older) version, for tests and replays of old data. */
  encodeVersion(kind: KindOf<Kinds>, version: number, value: unknown): Buffer;
  /** Finds the writer schema by fingerprint among all versions of all kinds and resolves into the current version. */
  decode(bytes: Uint8Array): Decoded<Kinds>;
}

interface Reader {
  readonly writer: SchemaVersion;
  readonly reader: SchemaVersion;
  /** Absent when the message was written with the current version. */
  readonly resolver: ReturnType<Type['createResolver']> | undefined;
}

/**
 * The platform's codec. `Kinds` maps kind names to their current TypeScript types; it defaults to the
 * generated RecordKinds, a registry loaded from elsewhere (test fixtures) passes its own.
 */
export function createCodec<Kinds = RecordKinds>(registry: SchemaRegistry = loadRegistry()): Codec<Kinds> {
  const readers = new Map<string, Reader>();

  function readerFor(fingerprint: string): Reader {
    const cached = readers.get(fingerprint);
    if (cached) return cached;
    const writer = registry.byFingerprint.get(fingerprint);
    if (writer === undefined) throw UnknownFingerprint(fingerprint);
    const reader = getKind(registry, writer.kind).current;
    let resolver: Reader['resolver'];
    if (reader !== writer) {
      try {
        resolver = reader.type.createResolver(writer.type);
      } catch (error) {
        throw Incompatible.with(
          { fingerprint },
          error,
          writer.kind,
          writer.version,
          reader.version,
          error instanceof Error ? error.message : String(error),
        );
      }
    }
    const entry = { writer, reader, resolver };
    readers.set(fingerprint, entry);
    return entry;
  }

  const fingerprints = new Map<SchemaVersion, Buffer>();
  const fingerprintOf = (schema: SchemaVersion) => {
    let bytes = fingerprints.get(schema);
    if (!bytes) {
      bytes = Buffer.from(schema.fingerprint, 'hex');
      fingerprints.set(schema, bytes);
    }
    return bytes;
  };

  function encodeWith(schema: SchemaVersion, value: unknown, checked = false): Buffer {
    let body: Buffer | undefined;
    // Validate first: avsc writes undeclared fields away silently, and its errors do not name the field.
    if (checked || schema.type.isValid(value, { noUndeclaredFields: true })) {
      try {
        body = schema.type.toBuffer(value);
      } catch {
        body = undefined;
      }
    }
    if (body === undefined) {
      const invalid = findInvalidValue(schema.type, value) ?? {
        path: '(root)',
        value: describeValue(value),
        reason: 'rejected by the Avro encoder',
      };
      throw InvalidValue.with(
        { kind: schema.kind, version: schema.version, path: invalid.path },
        undefined,
        schema.kind,
        schema.version,
        invalid.path,
        invalid.value,
        invalid.reason,
      );
    }
    return frame(fingerprintOf(schema), body);
  }

  return {
    encode: (kind, value) => encodeWith(getSchemaVersion(registry, kind), value),
    encodeChecked: (kind, value) => encodeWith(getSchemaVersion(registry, kind), value, true),
    encodeVersion: (kind, version, value) => encodeWith(getSchemaVersion(registry, kind, version), value),
    decode(bytes) {
      const { fingerprint, body } = unframe(bytes);
      const { writer, reader, resolver } = readerFor(fingerprint);
      let value: unknown;
      try {
        value = reader.type.fromBuffer(body, resolver);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw Undecodable.with({ fingerprint }, error, writer.kind, writer.version, fingerprint, reason);
      }
      // The value was produced by the current version's reader, which is what Kinds describes.
      return { kind: writer.kind, version: writer.version, fingerprint, value } as Decoded<Kinds>;
    },
  };
}
