import type pg from 'pg';

/**
 * Recomputes the one-row summaries of `subjects` from their records, in one statement. The caller holds the
 * subjects' row locks (upsert.ts, expiry.ts), so no concurrent batch can commit records these counts miss.
 */
export async function recomputeSummaries(client: pg.ClientBase, subjects: string[]): Promise<void> {
  if (subjects.length === 0) return;
  await client.query(
    `with per_kind as (
       select t.code as subject_code, r.kind,
              count(*) as total,
              count(*) filter (where r.status in ('active', 'corrected')) as active,
              count(*) filter (where r.status = 'revoked') as revoked,
              count(*) filter (where r.status = 'expired') as expired,
              count(*) filter (where r.status in ('active', 'corrected') and r.severity = 'SERIOUS_DISHONESTY') as serious,
              count(*) filter (where r.status in ('active', 'corrected') and r.severity = 'POSITIVE') as positive,
              max(r.decision_date) filter (where r.status <> 'revoked') as last_decision_date
         from unnest($1::text[]) as t(code)
        -- One index scan per subject. A plain join lets the planner hash-join the whole records table once it
        -- is large (a parallel sequential scan of a million rows per batch, measured); offset 0 keeps it apart.
        cross join lateral (select kind, status, severity, decision_date from records
                             where records.subject_code = t.code offset 0) as r
        group by t.code, r.kind)
     insert into subject_summaries as s (subject_code, records_total, active_records, revoked_records,
       expired_records, active_by_kind, active_penalties, serious_dishonesty, positive_records,
       last_decision_date, last_change_at)
     select subject_code, sum(total)::int, sum(active)::int, sum(revoked)::int, sum(expired)::int,
            coalesce(jsonb_object_agg(kind, active order by kind) filter (where active > 0), '{}'::jsonb),
            coalesce(sum(active) filter (where kind = 'administrative-penalty'), 0)::int,
            sum(serious)::int, sum(positive)::int, max(last_decision_date), now()
       from per_kind
      group by subject_code
      order by subject_code
     on conflict (subject_code) do update set
       records_total = excluded.records_total, active_records = excluded.active_records,
       revoked_records = excluded.revoked_records, expired_records = excluded.expired_records,
       active_by_kind = excluded.active_by_kind, active_penalties = excluded.active_penalties,
       serious_dishonesty = excluded.serious_dishonesty, positive_records = excluded.positive_records,
       last_decision_date = excluded.last_decision_date, last_change_at = excluded.last_change_at`,
    [subjects],
  );
}

/** A record corrected onto another subject can leave its old subject with no records at all. */
export async function dropEmptySummaries(client: pg.ClientBase, subjects: string[]): Promise<void> {
  await client.query(
    `delete from subject_summaries s
      where s.subject_code = any($1::text[])
        and not exists (select 1 from records r where r.subject_code = s.subject_code)`,
    [subjects],
  );
}
