import type { Sealer } from '@credit/ingest-trust';
import type { RecordKind } from '@credit/schemas';
import { INTAKE_CODES } from './codes.ts';
import { type Contracts, contracts } from './contracts.ts';
import { isPlainObject, own, valueAt } from './plain.ts';
import { type Rejection, redactText, rejection, truncate } from './rejection.ts';
import { type ValidationContext, validateRecord } from './validate.ts';
import { fromWire, type KindValue } from './wire.ts';

export type Prepared = { ok: true } & KindValue & {
    /**
     * Kafka key: the department's record id (envelope.sourceRecordId). Every version of a record lands on one
     * partition, in order, which is what the aggregator's version guard needs; a subject's code, a person's number
     * above all, never keys a message (it would sit in clear on the topic, or in a hash anyone could reverse).
     */
    key: string;
    recordId: string;
    version: number;
    /** Avro single-object encoding of the value as it goes on the topic: sealed, when a sealer was given. */
    bytes: Buffer;
    /** The platform key its identity numbers were sealed for; null when it holds none or was not sealed. */
    sealedFor: string | null;
  };

/** How a record is prepared: the validation's context, and the sealer of producers that send it. */
export interface PrepareContext extends ValidationContext {
  /** Seals identity numbers for the platform before encoding (the SDK and the gateway always give one). */
  sealer?: Sealer;
}

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
export function prepareRecord(input: unknown, ctx: PrepareContext): PrepareResult {
  const schemas = ctx.contracts ?? contracts();
  const wire = fromWire(input, { now: ctx.now, contracts: schemas });
  if (!wire.ok) return { ...wire, ...identityOf(input) };
  const { kind, value } = wire;
  const recordId = value.envelope.sourceRecordId;
  const version = value.envelope.version;
  const rejections = validateRecord(kind, value, ctx);
  if (rejections.length > 0)
    return { ok: false, kind, recordId: recordIdText(recordId), version, rejections };
  try {
    return encodeRecord({ kind, value } as KindValue, { sealer: ctx.sealer, contracts: schemas });
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
}

/**
 * A record as it goes on the topic, without checking it: identity numbers sealed (when a sealer is given),
 * encoded, keyed by the record id. prepareRecord() checks first; a test or a benchmark that means to send what
 * the intake would refuse calls this directly. Throws when the value does not fit its schema.
 */
export function encodeRecord(
  record: KindValue,
  options: { sealer?: Sealer | undefined; contracts?: Contracts } = {},
): Prepared {
  const { kind, value } = record;
  // The sealer leaves a record without identity numbers as it is (envelope.sealed null).
  const sealed = options.sealer?.seal(value);
  const outgoing = sealed ?? value;
  const bytes = (options.contracts ?? contracts()).codec.encodeChecked(kind, outgoing);
  const recordId = value.envelope.sourceRecordId;
  return {
    ok: true,
    kind,
    value,
    key: recordId,
    recordId,
    version: value.envelope.version,
    bytes,
    sealedFor: sealed?.envelope.sealed?.keyId ?? null,
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
