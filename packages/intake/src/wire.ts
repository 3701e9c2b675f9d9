import type { RecordKind, RecordKinds } from '@credit/schemas';
import { INTAKE_CODES, UnknownKind } from './codes.ts';
import { type Contracts, contracts } from './contracts.ts';
import { isPlainObject, isRecordLike, jsTypeOf, own } from './plain.ts';
import { type Rejection, rejection } from './rejection.ts';
import { schemaRejections } from './schema-check.ts';
import { type SchemaNode, unwrapNullable } from './schema-model.ts';
import { convertWire } from './wire-convert.ts';

/** A value as it travels in JSON: Dates become ISO-8601 strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? Wire<Item>[]
    : T extends object
      ? { [P in keyof T]: Wire<T[P]> }
      : T;

/** What departments send: `{ "kind": "administrative-penalty", "record": { ... } }`. */
export interface WireRecord<K extends RecordKind = RecordKind> {
  kind: K;
  record: Wire<RecordKinds[K]>;
}

/** A record of one kind in the codec's representation, narrowed by `kind`. */
export type KindValue = { [K in RecordKind]: { kind: K; value: RecordKinds[K] } }[RecordKind];

export type FromWireResult =
  | ({ ok: true } & KindValue)
  | { ok: false; kind?: RecordKind; rejections: Rejection[] };

export interface WireOptions {
  /** Fills envelope.reportedAt when the sender left it out: the intake's receipt time. */
  now: Date;
  /** Defaults to the repository's contracts. */
  contracts?: Contracts;
}

const WIRE_KEYS = new Set(['kind', 'record']);

/**
 * Reads the JSON wire form into a value the codec encodes: checks kind and shape, applies the defaults
 * (reportedAt = now, version 1, operation UPSERT, absent nullable fields null), converts timestamps and
 * decimals, and reports every place the record does not fit its Avro schema.
 */
export function fromWire(input: unknown, options: WireOptions): FromWireResult {
  const schemas = options.contracts ?? contracts();
  if (!isPlainObject(input)) {
    const rule = 'a JSON object { "kind": ..., "record": { ... } }';
    return {
      ok: false,
      rejections: [
        rejection(INTAKE_CODES.notAnObject, {
          rule,
          explanation: `expected ${rule}, got ${jsTypeOf(input)}`,
        }),
      ],
    };
  }
  const rejections: Rejection[] = [];
  for (const key of Object.keys(input)) {
    if (!WIRE_KEYS.has(key)) {
      rejections.push(
        rejection(INTAKE_CODES.schema, {
          field: key,
          value: input[key],
          rule: 'unknown field',
          explanation: 'the wire form has only "kind" and "record"; unknown field',
        }),
      );
    }
  }
  const kind = own(input, 'kind');
  if (!schemas.isKind(kind)) {
    rejections.push(
      rejection(INTAKE_CODES.unknownKind, {
        field: 'kind',
        value: kind,
        rule: `one of ${schemas.kinds.join(', ')}`,
        explanation: kind === undefined ? 'the record kind is missing' : 'unknown record kind',
      }),
    );
  }
  const record = own(input, 'record');
  if (!isPlainObject(record)) {
    rejections.push(
      rejection(INTAKE_CODES.notAnObject, {
        field: 'record',
        value: record,
        rule: 'a JSON object',
        explanation: `expected the record as a JSON object, got ${jsTypeOf(record)}`,
      }),
    );
  }
  if (!schemas.isKind(kind)) return { ok: false, rejections };
  if (!isPlainObject(record)) return { ok: false, kind, rejections };

  const model = schemas.model(kind);
  const conversion = convertWire(model, withEnvelopeDefaults(record, options.now));
  rejections.push(
    ...conversion.rejections,
    ...schemaRejections(schemas.type(kind), model, conversion.value, conversion.reportedPaths),
  );
  if (rejections.length > 0) return { ok: false, kind, rejections };
  // The schema check passed: the value is what the codec (and so RecordKinds) describes.
  return { ok: true, kind, value: conversion.value } as { ok: true } & KindValue;
}

function withEnvelopeDefaults(record: Record<string, unknown>, now: Date): Record<string, unknown> {
  const envelope = own(record, 'envelope');
  if (!isPlainObject(envelope)) return record;
  const filled: Record<string, unknown> = { ...envelope };
  const reportedAt = own(envelope, 'reportedAt');
  if (reportedAt === undefined || reportedAt === null) filled.reportedAt = now;
  if (own(envelope, 'version') === undefined) filled.version = 1;
  if (own(envelope, 'operation') === undefined) filled.operation = 'UPSERT';
  return { ...record, envelope: filled };
}

/** The wire form of a value: what the SDK and `credit push` send, and what tests start from. */
export function toWire<K extends RecordKind>(
  kind: K,
  value: RecordKinds[K],
  options?: { contracts?: Contracts },
): WireRecord<K> {
  const schemas = options?.contracts ?? contracts();
  if (!schemas.isKind(kind)) throw UnknownKind(String(kind), schemas.kinds.join(', '));
  return { kind, record: jsonForm(value, schemas.model(kind)) as Wire<RecordKinds[K]> };
}

/** The JSON form of a value of `node`: timestamps as ISO strings, fields that are not part of the wire left out. */
function jsonForm(value: unknown, node: SchemaNode | undefined): unknown {
  if (value instanceof Date) return value.toISOString();
  const inner = node === undefined ? undefined : unwrapNullable(node).node;
  if (Array.isArray(value))
    return value.map((item) => jsonForm(item, inner?.type === 'array' ? inner.items : undefined));
  // Decoded Avro records are class instances: copied like plain objects, so the wire form never aliases them.
  if (isRecordLike(value)) {
    const fields = inner?.type === 'record' ? inner.fields : undefined;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const field = fields?.find((f) => f.name === key);
      if (field && !field.wire) continue;
      result[key] = jsonForm(item, field?.type);
    }
    return result;
  }
  return value;
}
