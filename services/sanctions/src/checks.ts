import { randomUUID } from 'node:crypto';
import { chinaToday } from '@credit/calendar';
import { subjectKey } from '@credit/identifiers';
import type { MeasuresCatalogue } from '@credit/measures';
import type pg from 'pg';
import type { CheckLog } from './check-log.ts';
import {
  CheckAlreadyDecided,
  CheckNotFound,
  Forbidden,
  MeasuresNotOffered,
  UnknownMatterType,
} from './errors.ts';

export interface CheckRequest {
  subjectCode: string;
  matterType: string;
  caller: string;
  callerDepartment: string | null;
}

interface EntryInForce {
  entryId: string;
  listType: string;
  colour: string;
  state: string;
  designatingDepartment: string;
  validFrom: string;
  validUntil: string | null;
  basis: unknown;
}

/**
 * 应查必查: the subject's list entries in force today, the sanctions that bear on this matter (mandatory first) and the
 * incentives it may get, each with the entries it rests on. No incentive while a black or watch entry is in force (a
 * red entry's exit may still be on its way). The check is written to `checks` before it is answered — the proof
 * that it was made — with what was answered, compactly.
 */
export async function runCheck(
  pool: pg.Pool,
  request: CheckRequest,
  measures: MeasuresCatalogue,
  now: Date,
  tokenKey: Buffer,
  log: CheckLog,
) {
  if (measures.matterType(request.matterType) === undefined) {
    throw UnknownMatterType(request.matterType, measures.matterTypes.map((m) => m.code).join(', '));
  }
  const subjectCode = subjectKey(request.subjectCode, tokenKey);
  const today = chinaToday(now);
  const found = await pool.query<EntryInForce & { subjectCategory: string }>(
    `select entry_id as "entryId", list_type as "listType", colour, state, subject_category as "subjectCategory",
            designating_department as "designatingDepartment", valid_from::text as "validFrom",
            valid_until::text as "validUntil", basis
       from list_entries
      where subject_code = $1 and measures_apply and valid_from <= $2::date
        and (valid_until is null or valid_until > $2::date)
      order by list_type, entry_id`,
    [subjectCode, today],
  );
  const entries = found.rows.map(({ subjectCategory: _, ...entry }) => entry);
  const category = found.rows[0]?.subjectCategory;
  const applicable = measures
    .applicable(
      entries.map((entry) => entry.listType),
      request.matterType,
    )
    .filter(
      (measure) =>
        category === undefined || (measure.subjectCategories as readonly string[]).includes(category),
    );
  const sanctioned = entries.some((entry) => entry.colour === 'black' || entry.colour === 'watch');
  const view = (kind: 'sanction' | 'incentive') =>
    applicable
      .filter((measure) => measure.kind === kind)
      .map((measure) => ({
        code: measure.code,
        name: measure.name,
        class: measure.class,
        action: measure.action,
        legalBasis: measure.legalBasis,
        basis: entries
          .filter((entry) => measure.listTypes.includes(entry.listType))
          .map((entry) => entry.entryId),
      }));
  const answer = {
    checkId: randomUUID(),
    subjectCode,
    matterType: request.matterType,
    at: now.toISOString(),
    entries,
    measures: view('sanction'),
    incentives: sanctioned ? [] : view('incentive'),
    catalogueVersion: measures.version,
  };
  const proof = {
    entries: entries.map((entry) => entry.entryId),
    measures: answer.measures.map((m) => m.code),
    incentives: answer.incentives.map((m) => m.code),
    catalogueVersion: measures.version,
  };
  await log.write({
    id: answer.checkId,
    subjectCode,
    matterType: request.matterType,
    caller: request.caller,
    callerDepartment: request.callerDepartment,
    at: now,
    hit: entries.length > 0,
    answer: proof,
  });
  return answer;
}

export interface Decision {
  /** What the approval system decided, e.g. approved, refused, approved-with-conditions. */
  decision: string;
  /** Codes of the measures it applied. */
  measuresApplied: string[];
  note?: string;
}

/** The decision the caller took against its check (the feedback that closes 应查必查); once per check. */
export async function recordDecision(
  pool: pg.Pool,
  checkId: string,
  caller: string,
  decision: Decision,
  now: Date,
) {
  const found = await pool.query<{
    caller: string;
    decided_at: Date | null;
    answer: { measures: string[]; incentives: string[] };
  }>('select caller, decided_at, answer from checks where id = $1', [checkId]);
  const check = found.rows[0];
  if (check === undefined) throw CheckNotFound(checkId);
  if (check.caller !== caller)
    throw Forbidden(caller, 'record a decision', `check ${checkId} was made by ${check.caller}`);
  if (check.decided_at !== null) throw CheckAlreadyDecided(checkId);
  const offered = new Set([...check.answer.measures, ...check.answer.incentives]);
  const unknown = decision.measuresApplied.filter((code) => !offered.has(code));
  // The caller's mistake, not a lack of rights: a relay passes a 4xx other than 401/403 back to its client.
  if (unknown.length > 0) throw MeasuresNotOffered(checkId, unknown.join(', '));
  const updated = await pool.query(
    'update checks set decision = $2, decided_at = $3 where id = $1 and decided_at is null',
    [checkId, JSON.stringify(decision), now],
  );
  if (updated.rowCount === 0) throw CheckAlreadyDecided(checkId);
}
