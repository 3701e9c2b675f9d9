import type { Catalogue, Department } from '@credit/catalogue';
import { CodedError } from '@credit/errors';
import { maskResidentId } from '@credit/identifiers';
import {
  type SigningKeyRegistry,
  signingKeyIdOf,
  type Unsealer,
  verifyIngestSignature,
} from '@credit/ingest-trust';
import { type Contracts, validateRecord } from '@credit/intake';
import type { DeadLetterReason, IncomingMessage } from '@credit/kit';
import type { RecordKind, RecordKinds } from '@credit/schemas';
import { REFUSAL_CODES } from './errors.ts';
import { type IdentityKeys, identifySubject, type SubjectIdentity } from './subject-identity.ts';

/** One record as the unified database stores it. */
export interface RecordRow {
  department: string;
  sourceRecordId: string;
  version: number;
  subjectCode: string;
  kind: RecordKind;
  schemaVersion: number;
  catalogueItemCode: string;
  severity: string;
  operation: 'UPSERT' | 'REVOKE';
  /** YYYY-MM-DD. */
  decisionDate: string;
  reportedAt: Date;
  disclosurePublic: boolean;
  disclosureFrom: string;
  disclosureUntil: string | null;
  changeReason: string | null;
  payload: unknown;
  topic: string;
  partition: number;
  offset: string;
}

export interface Normalised {
  ok: true;
  subject: SubjectIdentity & { name: string; reportedAt: Date };
  record: RecordRow;
}

export interface Refused {
  ok: false;
  department: string | null;
  reason: DeadLetterReason;
}

export interface NormaliseContext {
  catalogue: Catalogue;
  contracts: Contracts;
  keys: IdentityKeys;
  /** The departments' registered signing keys and the platform's sealing keys. */
  trust: { registry: Pick<SigningKeyRegistry, 'get' | 'ensure'>; unsealer: Unsealer };
  topicPrefix: string;
  now: () => Date;
}

/** A message whose department signed it and whose bytes decode: what is left is its content. */
interface Read {
  ok: true;
  department: Department;
  decoded: ReturnType<Contracts['codec']['decode']>;
  message: IncomingMessage;
}

/**
 * A batch of ingest messages into the rows they become, or the precise reason each cannot be, in order. Two
 * asynchronous steps serve the whole batch: the signing keys it names are loaded when new, and the data keys its
 * sealed identity numbers were encrypted with are opened (HPKE) when new; the rest is synchronous.
 */
export async function normaliseMessages(
  messages: readonly IncomingMessage[],
  ctx: NormaliseContext,
): Promise<(Normalised | Refused)[]> {
  await ctx.trust.registry.ensure(
    messages.map(signingKeyIdOf).filter((keyId): keyId is string => keyId !== undefined),
  );
  const read = messages.map((message) => readMessage(message, ctx));
  await ctx.trust.unsealer.prepare(read.flatMap((r) => (r.ok ? [r.decoded.value.envelope.sealed] : [])));
  return read.map((r) => (r.ok ? normaliseRead(r, ctx) : r));
}

/**
 * Who sent it and what it is: a topic of a known department, a value, that department's signature over it, bytes
 * of a known schema. Never throws on bad input.
 */
function readMessage(message: IncomingMessage, ctx: NormaliseContext): Read | Refused {
  const departmentCode = message.topic.startsWith(ctx.topicPrefix)
    ? message.topic.slice(ctx.topicPrefix.length)
    : '';
  const department = ctx.catalogue.department(departmentCode);
  if (!department) {
    return refuse(
      null,
      REFUSAL_CODES.unknownDepartment,
      `topic ${message.topic} names no department of catalogue ${ctx.catalogue.version}`,
    );
  }
  if (message.value === null || message.value.length === 0) {
    return refuse(
      department.code,
      REFUSAL_CODES.noValue,
      'the message has no value (a tombstone or an empty message)',
    );
  }
  // Before anything is read from the bytes: they count only if the topic's department vouches for them.
  const signed = verifyIngestSignature(
    { key: message.key, value: message.value, headers: message.headers, timestamp: message.timestamp },
    department.code,
    ctx.trust.registry,
  );
  if (!signed.ok) return refuse(department.code, signed.code, signed.message);
  try {
    return { ok: true, department, decoded: ctx.contracts.codec.decode(message.value), message };
  } catch (error) {
    if (error instanceof CodedError) return refuse(department.code, error.code, error.message);
    throw error;
  }
}

/**
 * The rows a signed, decoded record becomes, or why it cannot: identity numbers that are not sealed for the
 * platform or do not open, a record the intake's rules refuse (the same rules the gateway applies, since a
 * department with the SDK writes to its topic directly), a disclosure window the catalogue cannot give.
 */
function normaliseRead(read: Read, ctx: NormaliseContext): Normalised | Refused {
  const { department, decoded, message } = read;
  const { kind } = decoded;
  const opened = ctx.trust.unsealer.unseal(decoded.value);
  if (!opened.ok) return refuse(department.code, opened.code, opened.message);
  const value = opened.value;
  const rejections = validateRecord(kind, value, {
    department,
    catalogue: ctx.catalogue,
    now: ctx.now(),
    contracts: ctx.contracts,
  });
  if (rejections.length > 0) {
    const reasons = rejections
      .map((r) => `${r.code}${r.field ? ` at ${r.field}` : ''}: ${r.message}`)
      .join('; ');
    return refuse(department.code, rejections[0]!.code, reasons);
  }
  const envelope = value.envelope;
  let window: ReturnType<Catalogue['disclosureWindow']>;
  try {
    window = ctx.catalogue.disclosureWindow(kind, envelope.severity, envelope.decisionDate);
  } catch (error) {
    if (error instanceof CodedError) return refuse(department.code, error.code, error.message);
    throw error;
  }
  const subject = identifySubject(envelope.subject, ctx.keys);
  return {
    ok: true,
    subject: { ...subject, name: envelope.subject.name.trim(), reportedAt: envelope.reportedAt },
    record: {
      department: department.code,
      sourceRecordId: envelope.sourceRecordId,
      version: envelope.version,
      subjectCode: subject.code,
      kind,
      schemaVersion: decoded.version,
      catalogueItemCode: envelope.catalogueItemCode,
      severity: envelope.severity,
      operation: envelope.operation,
      decisionDate: envelope.decisionDate,
      reportedAt: envelope.reportedAt,
      disclosurePublic: window.public,
      disclosureFrom: window.from,
      disclosureUntil: window.until,
      changeReason: envelope.changeReason,
      payload: storedPayload(value, subject),
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
    },
  };
}

/**
 * The record as stored (its JSON form once serialised), identity numbers out: a person's code becomes its token,
 * a representative's number is masked. Shallow copies along that one path only; JSON.stringify writes the rest
 * of the decoded value as it is (timestamps as ISO strings), which spares a deep copy of every record.
 */
function storedPayload(value: RecordKinds[RecordKind], subject: SubjectIdentity): unknown {
  // The sealed block is transport (null once opened), not part of the record's wire form.
  const { sealed: _transport, ...envelope } = value.envelope;
  const representative = envelope.subject.legalRepresentative;
  return {
    ...value,
    envelope: {
      ...envelope,
      subject: {
        ...envelope.subject,
        code: subject.identityCiphertext === null ? envelope.subject.code : subject.code,
        legalRepresentative: representative?.idNumber
          ? { ...representative, idNumber: maskResidentId(representative.idNumber) }
          : representative,
      },
    },
  };
}

function refuse(department: string | null, code: string, message: string): Refused {
  return { ok: false, department, reason: { code, message } };
}
