import { chinaToday } from '@credit/calendar';
import type { ListTypeRegistry } from '@credit/list-types';
import type pg from 'pg';
import { type EntryRow, STANDING_STATES, toKnownEntry } from './entry-row.ts';
import { readEntries, readFirstStoredAt, readStandingRecords, readSubjects } from './facts.ts';
import type { Actor } from './lifecycle.ts';
import { addMonths } from './rules/dates.ts';
import { evaluate, type RuleSet } from './rules/index.ts';
import type { Designation, Evaluation, RecordRef, Refusal } from './rules/types.ts';
import { STORE_RULE_IDS } from './rules/types.ts';
import { ListWork, type LoadedEntry, SYSTEM_ACTOR } from './work.ts';

/** Counts working days from a designation to its arrival; null when the calendar cannot tell (year not covered). */
export type WorkingDaysCounter = (from: string, to: string) => number | null;

export interface ReconcileContext {
  rules: RuleSet;
  registry: ListTypeRegistry;
  workingDays: WorkingDaysCounter;
}

/** A department designation that reached the platform: how many working days after its designation date. */
export interface Arrival {
  department: string;
  /** null when the holiday calendar does not cover the dates. */
  workingDays: number | null;
}

export interface ReconcileResult {
  subjects: number;
  created: number;
  transitions: number;
  exited: number;
  refusals: number;
  events: number;
  arrivals: Arrival[];
}

/**
 * What an evaluation depends on besides the records: the rules and the list types (validity months, after-exit
 * periods). A backfill runs when this changes.
 */
export function evaluationVersion(context: ReconcileContext): string {
  return `rules ${context.rules.version}, list types ${context.registry.version}`;
}

export const NO_CHANGE: ReconcileResult = Object.freeze({
  subjects: 0,
  created: 0,
  transitions: 0,
  exited: 0,
  refusals: 0,
  events: 0,
  arrivals: [],
});

export function addResults(a: ReconcileResult, b: ReconcileResult): ReconcileResult {
  return {
    subjects: a.subjects + b.subjects,
    created: a.created + b.created,
    transitions: a.transitions + b.transitions,
    exited: a.exited + b.exited,
    refusals: a.refusals + b.refusals,
    events: a.events + b.events,
    arrivals: [...a.arrivals, ...b.arrivals],
  };
}

/** Serialises work on a subject across the consumer, the sweep, the backfill and the reviewer API. */
export async function lockSubjects(client: pg.PoolClient, codes: readonly string[]): Promise<void> {
  // Ordered by the lock key itself (codes can share a hash): every transaction takes its locks in one order.
  await client.query(
    `select count(pg_advisory_xact_lock(k))
       from (select distinct hashtext('lists:' || c) as k from unnest($1::text[]) as c order by k) as ordered`,
    [codes],
  );
}

/**
 * Brings the subjects' entries to what the records and the rules say, inside the caller's transaction: entries
 * past validity expire, red entries the subject may no longer hold are superseded, designations the rules make
 * and the store does not hold yet are created (a department's own designation straight into force), and entries
 * whose basis no longer holds leave. Running it twice changes nothing the second time: redelivered events and
 * resumed backfills are harmless.
 */
export async function reconcileSubjects(
  client: pg.PoolClient,
  codes: readonly string[],
  context: ReconcileContext,
  now: Date,
  work?: ListWork,
): Promise<ReconcileResult> {
  const unique = [...new Set(codes)].sort();
  await lockSubjects(client, unique);
  const subjects = await readSubjects(client, unique);
  const present = subjects.map((s) => s.code);
  const records = await readStandingRecords(client, present);
  const unit = work ?? new ListWork(context.registry, now);
  for (const loaded of await readEntries(client, present)) {
    if (!unit.entries.has(loaded.row.id)) unit.load(loaded);
  }
  const today = chinaToday(now);
  const refusals: (Refusal & { subjectCode: string; rulesVersion: string })[] = [];
  const departmentCreated: string[] = [];
  for (const subject of subjects) {
    endDueEntries(unit, subject.code, today);
    const evaluation = evaluate(
      {
        subjectCode: subject.code,
        category: subject.category,
        records: records.get(subject.code) ?? [],
        entries: unit.entriesOf(subject.code).map(toKnownEntry),
      },
      context.rules,
      context.registry,
      today,
    );
    applyEvaluation(unit, subject.code, subject.category, evaluation, context.registry, departmentCreated);
    for (const refusal of evaluation.refusals) {
      refusals.push({ ...refusal, subjectCode: subject.code, rulesVersion: evaluation.rulesVersion });
    }
  }
  const arrivals = await stampArrival(client, unit, departmentCreated, context.workingDays);
  await unit.flush(client);
  await storeRefusals(client, present, refusals);
  return {
    subjects: subjects.length,
    created: unit.counts.created,
    transitions: unit.counts.transitions,
    exited: unit.counts.exited,
    refusals: refusals.length,
    events: unit.eventCount,
    arrivals,
  };
}

/** Subjects with an entry {@link endDueEntries} would act on today: what the sweep re-evaluates. */
export async function dueSubjects(pool: pg.Pool, today: string): Promise<string[]> {
  const due = await pool.query<{ subject_code: string }>(
    `select distinct subject_code from entries
      where (state <> 'exited' and valid_until <= $1::date)
         or (state = 'confirmed' and source <> 'rule' and valid_from <= $1::date)`,
    [today],
  );
  return due.rows.map((row) => row.subject_code);
}

/**
 * Standing entries at the end of their validity expire (ones never confirmed are withdrawn); designations the
 * platform put in force itself, confirmed while their validity had not begun, are published on its first day.
 */
function endDueEntries(unit: ListWork, subjectCode: string, today: string): void {
  for (const row of unit.entriesOf(subjectCode)) {
    if (row.state === 'exited') continue;
    if (row.valid_until !== null && row.valid_until <= today) {
      const reason = `有效期至 ${row.valid_until}（不含）届满，自动退出 / validity ended`;
      if (STANDING_STATES.includes(row.state)) {
        unit.apply(row.id, { type: 'expire', actor: SYSTEM_ACTOR, now: unit.now, reason });
      } else {
        unit.apply(row.id, {
          type: 'withdraw',
          actor: SYSTEM_ACTOR,
          now: unit.now,
          reason: `${reason}; never confirmed`,
        });
      }
    } else if (row.state === 'confirmed' && row.source !== 'rule' && row.valid_from <= today) {
      unit.apply(row.id, {
        type: 'publish',
        actor: SYSTEM_ACTOR,
        now: unit.now,
        reason: `有效期自 ${row.valid_from} 起 / validity begins`,
      });
    }
  }
}

function applyEvaluation(
  unit: ListWork,
  subjectCode: string,
  category: EntryRow['subject_category'],
  evaluation: Evaluation,
  registry: ListTypeRegistry,
  departmentCreated: string[],
): void {
  const held = new Map<string, LoadedEntry[]>();
  for (const loaded of unit.loadedOf(subjectCode)) {
    held.set(loaded.row.identity, [...(held.get(loaded.row.identity) ?? []), loaded]);
  }
  const desired = new Set(evaluation.designations.map((d) => d.identity));
  for (const designation of evaluation.designations) {
    const earlier = held.get(designation.identity) ?? [];
    const live = earlier.find((loaded) => loaded.row.state !== 'exited');
    if (live !== undefined && designation.source === 'department') {
      if (followCorrection(unit, live.row, designation)) continue;
    } else if (!earlier.every(mayDesignateAgain)) {
      continue;
    }
    const generation = Math.max(0, ...earlier.map((loaded) => loaded.row.generation)) + 1;
    const row = createEntry(unit, subjectCode, category, designation, registry, generation);
    if (row === null) continue;
    if (designation.source === 'department') {
      const designator: Actor = { id: designation.designatingDepartment, role: 'designator' };
      unit.putInForce(
        row.id,
        designator,
        `认定部门报送的认定记录（${basisText(designation)}）；告知与确认由认定部门完成 / designation reported by the designating department`,
      );
      departmentCreated.push(row.id);
    }
  }
  // After the designations that cause them: the change events then read cause first.
  for (const supersession of evaluation.supersessions) {
    const entry = unit.entries.get(supersession.entryId);
    if (entry === undefined || entry.row.state === 'exited') continue;
    unit.apply(supersession.entryId, {
      type: 'supersede',
      actor: SYSTEM_ACTOR,
      now: unit.now,
      reason: supersession.reason,
    });
  }
  // A red designation refused for eligibility leaves an existing red entry alone: only a black or watch entry in
  // force removes it (the supersessions above), not a proposal awaiting review or a minor breach.
  const refusedRed = new Set(evaluation.refusals.map((refusal) => refusal.listType));
  for (const row of unit.entriesOf(subjectCode)) {
    if (row.state === 'exited' || desired.has(row.identity)) continue;
    if ((STORE_RULE_IDS as readonly string[]).includes(row.rule_id)) continue;
    if (row.colour === 'red' && refusedRed.has(row.list_type)) continue;
    if (row.source === 'department') {
      unit.apply(row.id, {
        type: 'withdraw',
        actor: SYSTEM_ACTOR,
        now: unit.now,
        reason: `认定部门（${row.designating_department}）撤销或更正了认定记录 / the designating department revoked or corrected its designation record`,
      });
    } else if (row.rules_version !== evaluation.rulesVersion) {
      unit.apply(row.id, {
        type: 'change-standard',
        actor: SYSTEM_ACTOR,
        now: unit.now,
        reason: `认定标准变更（规则 ${row.rules_version} → ${evaluation.rulesVersion}），不再符合 / no longer meets rules ${evaluation.rulesVersion}`,
      });
    } else {
      unit.apply(row.id, {
        type: 'withdraw',
        actor: SYSTEM_ACTOR,
        now: unit.now,
        reason: `认定依据已不成立（记录被撤销、更正或名单变化）/ the basis of rule ${row.rule_id} no longer holds`,
      });
    }
  }
}

function createEntry(
  unit: ListWork,
  subjectCode: string,
  category: EntryRow['subject_category'],
  designation: Designation,
  registry: ListTypeRegistry,
  generation: number,
): EntryRow | null {
  const type = registry.get(designation.listType);
  if (type === undefined) return null;
  const minimum = type.repair.allowed ? type.repair.minimumMonths : undefined;
  return unit.create(
    {
      subject_code: subjectCode,
      subject_category: category,
      list_type: type.code,
      colour: type.colour,
      field: designation.field,
      source: designation.source,
      rule_id: designation.ruleId,
      rules_version: designation.rulesVersion,
      identity: designation.identity,
      generation,
      designating_department: designation.designatingDepartment,
      designated_on: designation.designatedOn,
      valid_from: designation.validFrom,
      valid_until: designation.validUntil,
      repairable: type.repair.allowed,
      repairable_from: minimum === undefined ? null : addMonths(designation.validFrom, minimum),
      basis: [...designation.basis],
      basis_entries: [...designation.basisEntries],
      explanation: designation.explanation,
      reached_platform_at: null,
      working_days_to_platform: null,
    },
    designation.source === 'department'
      ? { id: designation.designatingDepartment, role: 'designator' }
      : SYSTEM_ACTOR,
    designation.explanation,
  );
}

/**
 * Exits after which the same basis may designate again: the entry ran its course, or the platform ended it because
 * its basis went (a revoked designation record, watch lists in fewer fields, a rule change, an erasure: a higher
 * version reported after it is new data) and the basis is back.
 * Whatever a person decided (repair, an upheld objection, a withdrawal or standard change through the API) and
 * supersession stay final for that basis.
 */
function mayDesignateAgain({ row, lastActorRole }: LoadedEntry): boolean {
  if (row.state !== 'exited') return false;
  if (row.exit_reason === 'expired' || row.exit_reason === 'erased') return true;
  const byPlatform = lastActorRole === SYSTEM_ACTOR.role;
  return (
    byPlatform && (row.exit_reason === 'withdrawn-by-designator' || row.exit_reason === 'standard-changed')
  );
}

/**
 * A department corrected its designation record (a new version): the entry follows. Same list, other validity or
 * basis: amended in place. Another list: the entry is withdrawn and the caller designates anew (returns false).
 */
function followCorrection(unit: ListWork, row: EntryRow, designation: Designation): boolean {
  if (row.list_type !== designation.listType) {
    unit.apply(row.id, {
      type: 'withdraw',
      actor: SYSTEM_ACTOR,
      now: unit.now,
      reason: `认定记录更正为 ${designation.listType} / the designation record now names list ${designation.listType}`,
    });
    return false;
  }
  const sameBasis = basisKey(row.basis) === basisKey(designation.basis);
  if (sameBasis && row.valid_from === designation.validFrom && row.valid_until === designation.validUntil)
    return true;
  unit.amend(
    row.id,
    {
      designated_on: designation.designatedOn,
      valid_from: designation.validFrom,
      valid_until: designation.validUntil,
      basis: [...designation.basis],
    },
    { id: designation.designatingDepartment, role: 'designator' },
    `认定记录更正（${basisText(designation)}）：有效期 ${designation.validFrom} 至 ${designation.validUntil ?? '撤销为止'} / corrected designation record`,
  );
  return true;
}

/** jsonb keeps its own key order: records compared by what identifies them. */
function basisKey(basis: readonly RecordRef[]): string {
  return basis.map((ref) => `${ref.department}:${ref.sourceRecordId}:${ref.version}`).join('|');
}

function basisText(designation: Designation): string {
  return designation.basis.map((b) => `${b.department}/${b.sourceRecordId} v${b.version}`).join(', ');
}

/** When each department designation reached the platform, and how many working days after its designation. */
async function stampArrival(
  client: pg.PoolClient,
  unit: ListWork,
  ids: readonly string[],
  workingDays: WorkingDaysCounter,
): Promise<Arrival[]> {
  const rows = ids.map((id) => unit.entries.get(id)?.row).filter((row) => row !== undefined);
  const arrivals: Arrival[] = [];
  const refs = rows.flatMap((row) => row.basis.slice(0, 1));
  const arrived = await readFirstStoredAt(client, refs);
  for (const row of rows) {
    const first = row.basis[0];
    const at = first === undefined ? undefined : arrived.get(`${first.department}:${first.sourceRecordId}`);
    if (at === undefined) continue;
    row.reached_platform_at = at.toISOString();
    row.working_days_to_platform = workingDays(row.designated_on, chinaToday(at));
    arrivals.push({ department: row.designating_department, workingDays: row.working_days_to_platform });
  }
  return arrivals;
}

/** The subjects' current refusals replace their earlier ones. */
async function storeRefusals(
  client: pg.PoolClient,
  subjectCodes: readonly string[],
  refusals: readonly (Refusal & { subjectCode: string; rulesVersion: string })[],
): Promise<void> {
  await client.query('delete from refusals where subject_code = any($1::text[])', [subjectCodes]);
  if (refusals.length === 0) return;
  const latest = new Map(refusals.map((r) => [`${r.subjectCode}|${r.listType}|${r.ruleId}`, r]));
  await client.query(
    `insert into refusals (subject_code, list_type, rule_id, rules_version, basis, reason)
     select "subjectCode", "listType", "ruleId", "rulesVersion", basis, reason
       from jsonb_to_recordset($1::jsonb) as t("subjectCode" text, "listType" text, "ruleId" text,
            "rulesVersion" text, basis jsonb, reason text)
     on conflict (subject_code, list_type, rule_id) do update
       set rules_version = excluded.rules_version, basis = excluded.basis, reason = excluded.reason, at = now()`,
    [JSON.stringify([...latest.values()])],
  );
}
