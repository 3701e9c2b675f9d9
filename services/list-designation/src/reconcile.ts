import type { ListTypeRegistry } from '@credit/list-types';
import type pg from 'pg';
import { chinaDate } from './china-time.ts';
import { type EntryRow, STANDING_STATES, toKnownEntry } from './entry-row.ts';
import { readActiveRecords, readEntries, readReportedAt, readSubjects } from './facts.ts';
import type { Actor, ExitReason } from './lifecycle.ts';
import { addMonths as addMonthsText } from './rules/dates.ts';
import { evaluate, type RuleSet } from './rules/index.ts';
import type { Designation, Evaluation, Refusal } from './rules/types.ts';
import { STORE_RULE_IDS } from './rules/types.ts';
import { ListWork, type LoadedEntry, SYSTEM_ACTOR } from './work.ts';

/** Counts working days from a designation to its arrival; null when the calendar cannot tell (year not covered). */
export type WorkingDaysCounter = (from: string, to: string) => number | null;

export interface ReconcileContext {
  rules: RuleSet;
  registry: ListTypeRegistry;
  workingDays: WorkingDaysCounter;
}

export interface ReconcileResult {
  subjects: number;
  created: number;
  transitions: number;
  exited: number;
  refusals: number;
  events: number;
}

/** Serialises work on a subject across the consumer, the sweep, the backfill and the reviewer API. */
export async function lockSubjects(client: pg.PoolClient, codes: readonly string[]): Promise<void> {
  await client.query(
    `select count(pg_advisory_xact_lock(hashtext('lists:' || c)))
       from (select c from unnest($1::text[]) as c order by c collate "C") as ordered`,
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
  const records = await readActiveRecords(client, present);
  const unit = work ?? new ListWork(context.registry, now);
  for (const loaded of await readEntries(client, present)) {
    if (!unit.entries.has(loaded.row.id)) unit.load(loaded);
  }
  const today = chinaDate(now);
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
  await stampArrival(client, unit, departmentCreated, context.workingDays);
  await unit.flush(client);
  await storeRefusals(client, present, refusals);
  return {
    subjects: subjects.length,
    created: unit.counts.created,
    transitions: unit.counts.transitions,
    exited: unit.counts.exited,
    refusals: refusals.length,
    events: unit.eventCount,
  };
}

/** Standing entries at the end of their validity expire; ones never confirmed are withdrawn. */
function endDueEntries(unit: ListWork, subjectCode: string, today: string): void {
  for (const row of unit.entriesOf(subjectCode)) {
    if (row.state === 'exited' || row.valid_until === null || row.valid_until > today) continue;
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
    const base = baseIdentity(loaded.row.identity);
    held.set(base, [...(held.get(base) ?? []), loaded]);
  }
  const desired = new Set(evaluation.designations.map((d) => d.identity));
  for (const designation of evaluation.designations) {
    const earlier = held.get(designation.identity) ?? [];
    if (!earlier.every(mayDesignateAgain)) continue;
    const row = createEntry(unit, subjectCode, category, designation, registry, earlier.length + 1);
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
  for (const row of unit.entriesOf(subjectCode)) {
    if (row.state === 'exited' || desired.has(baseIdentity(row.identity))) continue;
    if ((STORE_RULE_IDS as readonly string[]).includes(row.rule_id)) continue;
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
      identity: generation === 1 ? designation.identity : `${designation.identity}#${generation}`,
      designating_department: designation.designatingDepartment,
      designated_on: designation.designatedOn,
      valid_from: designation.validFrom,
      valid_until: designation.validUntil,
      repairable: type.repair.allowed,
      repairable_from: minimum === undefined ? null : addMonthsText(designation.validFrom, minimum),
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
 * Exits after which the same basis may designate again: the entry ran its course, or its basis went away and has
 * come back (a revoked designation record reported again, watch lists in 3 fields once more). Repair, an upheld
 * objection, a withdrawal of the whole entry by a designator's API call and supersession are final for that basis.
 */
const RENEWABLE_EXITS: readonly (ExitReason | null)[] = ['expired', 'standard-changed'];

function mayDesignateAgain({ row, lastActorRole }: LoadedEntry): boolean {
  if (row.state !== 'exited') return false;
  if (RENEWABLE_EXITS.includes(row.exit_reason)) return true;
  // Withdrawn by the platform because the basis no longer held, not by a person.
  return row.exit_reason === 'withdrawn-by-designator' && lastActorRole === SYSTEM_ACTOR.role;
}

/** Identities of later generations carry `#<n>`; the rules speak of the base identity. */
function baseIdentity(identity: string): string {
  const hash = identity.lastIndexOf('#');
  return hash === -1 ? identity : identity.slice(0, hash);
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
): Promise<void> {
  const rows = ids.map((id) => unit.entries.get(id)?.row).filter((row) => row !== undefined);
  const refs = rows.flatMap((row) => row.basis.slice(0, 1));
  const arrived = await readReportedAt(client, refs);
  for (const row of rows) {
    const first = row.basis[0];
    const at = first === undefined ? undefined : arrived.get(`${first.department}:${first.sourceRecordId}`);
    if (at === undefined) continue;
    row.reached_platform_at = at.toISOString();
    row.working_days_to_platform = workingDays(row.designated_on, chinaDate(at));
  }
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
