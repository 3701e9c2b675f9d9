import type pg from 'pg';
import { compareText } from './byte-order.ts';
import type { RecordStatus } from './upsert.ts';

/** What one record version counts for in its subject's summary. */
export interface Contribution {
  subjectCode: string;
  kind: string;
  status: RecordStatus;
  severity: string;
  /** YYYY-MM-DD. */
  decisionDate: string;
}

export interface SummaryDelta {
  subject_code: string;
  total: number;
  active: number;
  revoked: number;
  expired: number;
  by_kind: Record<string, number>;
  penalties: number;
  serious: number;
  positive: number;
  last_decision: string | null;
}

const ACTIVE: ReadonlySet<RecordStatus> = new Set(['active', 'corrected']);

/**
 * Summaries change by what each written record adds and what its previous version took away, so a batch never
 * reads the subjects' other records. The latest decision date can only be raised that way: a subject where it may
 * fall (a revocation, a move, a correction to an earlier date) is returned in `recount`, to be recounted instead.
 */
export function summaryDeltas(changes: { previous?: Contribution; next: Contribution }[]): {
  deltas: SummaryDelta[];
  recount: string[];
} {
  const deltas = new Map<string, SummaryDelta>();
  const recount = new Set<string>();
  const add = (c: Contribution, sign: 1 | -1) => {
    let d = deltas.get(c.subjectCode);
    if (!d) {
      d = {
        subject_code: c.subjectCode,
        total: 0,
        active: 0,
        revoked: 0,
        expired: 0,
        by_kind: {},
        penalties: 0,
        serious: 0,
        positive: 0,
        last_decision: null,
      };
      deltas.set(c.subjectCode, d);
    }
    const active = ACTIVE.has(c.status);
    d.total += sign;
    if (active) {
      d.active += sign;
      d.by_kind[c.kind] = (d.by_kind[c.kind] ?? 0) + sign;
      if (c.kind === 'administrative-penalty') d.penalties += sign;
      if (c.severity === 'SERIOUS_DISHONESTY') d.serious += sign;
      if (c.severity === 'POSITIVE') d.positive += sign;
    }
    if (c.status === 'revoked') d.revoked += sign;
    if (c.status === 'expired') d.expired += sign;
    if (
      sign === 1 &&
      c.status !== 'revoked' &&
      (d.last_decision === null || c.decisionDate > d.last_decision)
    ) {
      d.last_decision = c.decisionDate;
    }
  };
  for (const { previous, next } of changes) {
    if (previous) {
      add(previous, -1);
      const mayFall =
        next.status === 'revoked' ||
        previous.subjectCode !== next.subjectCode ||
        next.decisionDate < previous.decisionDate;
      if (mayFall && previous.status !== 'revoked') {
        recount.add(previous.subjectCode);
        recount.add(next.subjectCode);
      }
    }
    add(next, 1);
  }
  for (const code of recount) deltas.delete(code);
  return {
    deltas: [...deltas.values()].sort((a, b) => compareText(a.subject_code, b.subject_code)),
    recount: [...recount],
  };
}

/** Applies the deltas in one statement (new subjects get their first summary row). */
export async function applySummaryDeltas(client: pg.ClientBase, deltas: SummaryDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await client.query(
    `insert into subject_summaries as s (subject_code, records_total, active_records, revoked_records,
       expired_records, active_by_kind, active_penalties, serious_dishonesty, positive_records,
       last_decision_date, last_change_at)
     select d.subject_code, d.total, d.active, d.revoked, d.expired,
            coalesce((select jsonb_object_agg(key, value) from jsonb_each(d.by_kind) where value::int <> 0), '{}'),
            d.penalties, d.serious, d.positive, d.last_decision, now()
       from jsonb_to_recordset($1::jsonb) as d(subject_code text, total int, active int, revoked int, expired int,
            by_kind jsonb, penalties int, serious int, positive int, last_decision date)
     on conflict (subject_code) do update set
       records_total = s.records_total + excluded.records_total,
       active_records = s.active_records + excluded.active_records,
       revoked_records = s.revoked_records + excluded.revoked_records,
       expired_records = s.expired_records + excluded.expired_records,
       active_by_kind = (
         select coalesce(jsonb_object_agg(key, n), '{}'::jsonb)
           from (select key, sum(value::int) as n
                   from (select key, value from jsonb_each_text(s.active_by_kind)
                         union all
                         select key, value from jsonb_each_text(excluded.active_by_kind)) as both_counts
                  group by key) as merged
          where n <> 0),
       active_penalties = s.active_penalties + excluded.active_penalties,
       serious_dishonesty = s.serious_dishonesty + excluded.serious_dishonesty,
       positive_records = s.positive_records + excluded.positive_records,
       last_decision_date = greatest(s.last_decision_date, excluded.last_decision_date),
       last_change_at = excluded.last_change_at`,
    [JSON.stringify(deltas)],
  );
}
