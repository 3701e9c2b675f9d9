import type { Catalogue } from '@credit/catalogue';
import { CodedError } from '@credit/errors';
import { maskResidentId } from '@credit/identifiers';
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
  topicPrefix: string;
  now: () => Date;
}

/**
 * Reads one ingest message into the rows it becomes, or says precisely why it cannot: no value, a topic of no
 * known department, bytes that are not a known schema's, or a record the intake's rules refuse (the same rules
 * the gateway applies, since a department with the SDK writes to its topic directly). Never throws on bad input.
 */
export function normaliseMessage(message: IncomingMessage, ctx: NormaliseContext): Normalised | Refused {
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
  let decoded: ReturnType<Contracts['codec']['decode']>;
  try {
    decoded = ctx.contracts.codec.decode(message.value);
  } catch (error) {
    if (error instanceof CodedError) return refuse(department.code, error.code, error.message);
    throw error;
  }
  const { kind, value } = decoded;
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
  const { envelope } = value;
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
