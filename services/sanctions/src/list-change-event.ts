/** The fields of a credit.list-change/1 event (services/list-designation/src/list-change.ts) this service reads. */
export interface ListChangeEvent {
  eventId: string;
  entryId: string;
  seq: number;
  subjectCode: string;
  subjectCategory: string;
  listType: string;
  colour: string;
  event: string;
  fromState: string | null;
  toState: string;
  exitReason: string | null;
  measuresApply: boolean;
  measuresApplied: boolean;
  designatingDepartment: string;
  validFrom: string;
  validUntil: string | null;
  basis: unknown[];
  reason: string;
  at: string;
}

export type Parsed = { ok: true; event: ListChangeEvent } | { ok: false; code: string; message: string };

const STRINGS = [
  'eventId',
  'entryId',
  'subjectCode',
  'subjectCategory',
  'listType',
  'colour',
  'event',
  'toState',
  'designatingDepartment',
  'validFrom',
  'reason',
  'at',
] as const;

/** Reads one message value; anything that is not a credit.list-change/1 event is refused with a specific reason. */
export function parseListChange(value: Buffer | null, key: string | undefined): Parsed {
  if (value === null)
    return { ok: false, code: 'SANCTIONS_EVENT_EMPTY', message: 'the message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      code: 'SANCTIONS_EVENT_NOT_JSON',
      message: `the value is not JSON: ${(error as Error).message}`,
    };
  }
  if (typeof json !== 'object' || json === null) {
    return { ok: false, code: 'SANCTIONS_EVENT_SHAPE', message: 'the value is not a JSON object' };
  }
  const event = json as Record<string, unknown>;
  if (typeof event.schema !== 'string' || !event.schema.startsWith('credit.list-change/')) {
    return {
      ok: false,
      code: 'SANCTIONS_EVENT_SCHEMA',
      message: `schema ${String(event.schema)} is not credit.list-change/*`,
    };
  }
  for (const field of STRINGS) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      return { ok: false, code: 'SANCTIONS_EVENT_SHAPE', message: `${field} is missing or not a string` };
    }
  }
  if (typeof event.measuresApply !== 'boolean' || typeof event.measuresApplied !== 'boolean') {
    return {
      ok: false,
      code: 'SANCTIONS_EVENT_SHAPE',
      message: 'measuresApply and measuresApplied must be booleans',
    };
  }
  const eventId = event.eventId as string;
  const entryId = event.entryId as string;
  const seq = Number(eventId.slice(entryId.length + 1));
  if (!eventId.startsWith(`${entryId}:`) || !Number.isInteger(seq) || seq < 1) {
    return { ok: false, code: 'SANCTIONS_EVENT_SHAPE', message: `eventId ${eventId} is not <entryId>:<seq>` };
  }
  if (key !== undefined && key !== event.subjectCode) {
    return {
      ok: false,
      code: 'SANCTIONS_EVENT_KEY',
      message: `key ${key} is not the event's subject ${String(event.subjectCode)}`,
    };
  }
  return {
    ok: true,
    event: {
      eventId,
      entryId,
      seq,
      subjectCode: event.subjectCode as string,
      subjectCategory: event.subjectCategory as string,
      listType: event.listType as string,
      colour: event.colour as string,
      event: event.event as string,
      fromState: typeof event.fromState === 'string' ? event.fromState : null,
      toState: event.toState as string,
      exitReason: typeof event.exitReason === 'string' ? event.exitReason : null,
      measuresApply: event.measuresApply,
      measuresApplied: event.measuresApplied,
      designatingDepartment: event.designatingDepartment as string,
      validFrom: event.validFrom as string,
      validUntil: typeof event.validUntil === 'string' ? event.validUntil : null,
      basis: Array.isArray(event.basis) ? event.basis : [],
      reason: event.reason as string,
      at: event.at as string,
    },
  };
}
