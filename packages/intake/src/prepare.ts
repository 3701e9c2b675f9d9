import { normaliseCode } from '@credit/identifiers';
import type { RecordKind } from '@credit/schemas';
import { INTAKE_CODES } from './codes.ts';
import { contracts } from './contracts.ts';
import { isPlainObject, own, valueAt } from './plain.ts';
import { type Rejection, redactText, rejection, truncate } from './rejection.ts';
import { type ValidationContext, validateRecord } from './validate.ts';
import { fromWire, type KindValue } from './wire.ts';

export type Prepared = { ok: true } & KindValue & {
    /** Kafka key: the normalised subject code, so every record about a subject lands on one partition. */
    key: string;
    recordId: string;
    version: number;
    /** Avro single-object encoding of the value with the kind's current schema. */
    bytes: Buffer;
  };

export interface NotPrepared {
  ok: false;
  kind?: RecordKind;
  /** envelope.sourceRecordId and version when they could be read, so answers can name the record. */
  recordId?: string;
  version?: number;
  rejections: Rejection[];
}

export type PrepareResult = Prepared | NotPrepared;

/**
 * What every intake path does with one record it received: read the wire form, check it against the schema
 * and the business rules (every reason at once), and encode it. Never throws on bad input.
 */
export function prepareRecord(input: unknown, ctx: ValidationContext): PrepareResult {
  const schemas = ctx.contracts ?? contracts();
  const wire = fromWire(input, { now: ctx.now, contracts: schemas });
  if (!wire.ok) return { ...wire, ...identityOf(input) };
  const { kind, value } = wire;
  const recordId = value.envelope.sourceRecordId;
  const version = value.envelope.version;
  const rejections = validateRecord(kind, value, ctx);
  if (rejections.length > 0)
    return { ok: false, kind, recordId: recordIdText(recordId), version, rejections };
  let bytes: Buffer;
  try {
    bytes = schemas.codec.encodeChecked(kind, value);
  } catch (error) {
    const rule = 'the value must encode with the Avro schema';
    const explanation = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      kind,
      recordId,
      version,
      rejections: [rejection(INTAKE_CODES.encoding, { rule, explanation })],
    };
  }
  return {
    ok: true,
    kind,
    value,
    key: normaliseCode(value.envelope.subject.code),
    recordId,
    version,
    bytes,
  } as Prepared;
}

/** A refused record's id as answers and rejects files carry it: short, and no identity number in clear. */
function recordIdText(id: string): string {
  return redactText(truncate(id));
}

/** The record id and version of an input that failed, as far as they can be read. */
function identityOf(input: unknown): { recordId?: string; version?: number } {
  const record = isPlainObject(input) ? own(input, 'record') : undefined;
  const id = valueAt(record, 'envelope.sourceRecordId');
  const version = valueAt(record, 'envelope.version');
  const result: { recordId?: string; version?: number } = {};
  if (typeof id === 'string') result.recordId = recordIdText(id);
  if (Number.isSafeInteger(version)) result.version = version as number;
  else if (version === undefined && isPlainObject(valueAt(record, 'envelope'))) result.version = 1;
  return result;
}
