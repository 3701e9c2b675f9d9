import type pg from 'pg';

/**
 * Recomputes the one-row summaries of `subjects` from their records, in one statement. The caller holds the
 * subjects' row locks (upsert.ts, expiry.ts), so no concurrent batch can commit records these counts miss.
 */
export async function recomputeSummaries(client: pg.ClientBase, subjects: string[]): Promise<void> {
  if (subjects.length === 0) return;
  await client.query(
    `insert into subject_summaries as s (subject_code, records_total, active_records, revoked_records,
       expired_records, active_by_kind, active_penalties, serious_dishonesty, positive_records,
       last_decision_date, last_change_at)
     select r.subject_code,
            count(*)::int,
            count(*) filter (where r.status in ('active', 'corrected'))::int,
            count(*) filter (where r.status = 'revoked')::int,
            count(*) filter (where r.status = 'expired')::int,
            coalesce(
              (select jsonb_object_agg(kind, n order by kind)
                 from (select kind, count(*) as n from records a
                        where a.subject_code = r.subject_code and a.status in ('active', 'corrected')
                        group by kind) as by_kind),
              '{}'::jsonb),
            count(*) filter (where r.status in ('active', 'corrected') and r.kind = 'administrative-penalty')::int,
            count(*) filter (where r.status in ('active', 'corrected') and r.severity = 'SERIOUS_DISHONESTY')::int,
            count(*) filter (where r.status in ('active', 'corrected') and r.severity = 'POSITIVE')::int,
            max(r.decision_date) filter (where r.status <> 'revoked'),
            now()
       from records r
      where r.subject_code = any($1::text[])
      group by r.subject_code
      order by r.subject_code
     on conflict (subject_code) do update set
       records_total = excluded.records_total, active_records = excluded.active_records,
       revoked_records = excluded.revoked_records, expired_records = excluded.expired_records,
       active_by_kind = excluded.active_by_kind, active_penalties = excluded.active_penalties,
       serious_dishonesty = excluded.serious_dishonesty, positive_records = excluded.positive_records,
       last_decision_date = excluded.last_decision_date, last_change_at = excluded.last_change_at`,
    [subjects],
  );
  // A record corrected onto another subject can leave its old subject with no records at all.
  await client.query(
    `delete from subject_summaries s
      where s.subject_code = any($1::text[])
        and not exists (select 1 from records r where r.subject_code = s.subject_code)`,
    [subjects],
  );
}
