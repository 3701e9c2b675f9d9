import type pg from 'pg';

/**
 * The idempotency ledger, one row per (department, source record id, version). Claiming before producing means
 * two requests carrying the same record cannot both be answered "accepted"; confirming after the broker's ack
 * records where the record went, so a resend is answered "duplicate" with that position.
 */
export interface SubmissionKey {
  recordId: string;
  version: number;
}

export interface Claimed extends SubmissionKey {
  kind: string;
}

export type Existing =
  | (SubmissionKey & {
      state: 'accepted';
      topic: string;
      partition: number;
      offset: string;
      acceptedAt: Date;
    })
  | (SubmissionKey & { state: 'pending'; claimedAt: Date });

const keyOf = (k: SubmissionKey) => `${k.recordId}\u0000${k.version}`;

/** Claims what nobody holds; returns the keys now claimed by this request. */
export async function claim(
  pool: pg.Pool,
  department: string,
  records: Claimed[],
  staleAfterSeconds: number,
) {
  if (records.length === 0) return new Set<string>();
  // A pending claim older than staleAfterSeconds belongs to a request that died between claim and confirm.
  const { rows } = await pool.query<{ source_record_id: string; version: string }>(
    `insert into intake.submissions (department, source_record_id, version, kind, state)
       select $1, r.id, r.version, r.kind, 'pending'
         from unnest($2::text[], $3::bigint[], $4::text[]) as r(id, version, kind)
     on conflict (department, source_record_id, version) do update
       set claimed_at = now()
       where intake.submissions.state = 'pending'
         and intake.submissions.claimed_at < now() - make_interval(secs => $5)
     returning source_record_id, version`,
    [
      department,
      records.map((r) => r.recordId),
      records.map((r) => r.version),
      records.map((r) => r.kind),
      staleAfterSeconds,
    ],
  );
  return new Set(rows.map((row) => keyOf({ recordId: row.source_record_id, version: Number(row.version) })));
}

export async function lookup(
  pool: pg.Pool,
  department: string,
  keys: SubmissionKey[],
): Promise<Map<string, Existing>> {
  if (keys.length === 0) return new Map();
  const { rows } = await pool.query(
    `select s.source_record_id, s.version, s.state, s.topic, s.kafka_partition, s.kafka_offset, s.accepted_at, s.claimed_at
       from intake.submissions s
       join unnest($2::text[], $3::bigint[]) as k(id, version) on s.source_record_id = k.id and s.version = k.version
      where s.department = $1`,
    [department, keys.map((k) => k.recordId), keys.map((k) => k.version)],
  );
  const found = new Map<string, Existing>();
  for (const row of rows) {
    const key = { recordId: row.source_record_id as string, version: Number(row.version) };
    found.set(
      keyOf(key),
      row.state === 'accepted'
        ? {
            ...key,
            state: 'accepted',
            topic: row.topic,
            partition: row.kafka_partition,
            offset: String(row.kafka_offset),
            acceptedAt: row.accepted_at,
          }
        : { ...key, state: 'pending', claimedAt: row.claimed_at },
    );
  }
  return found;
}

export async function confirm(
  pool: pg.Pool,
  department: string,
  accepted: (SubmissionKey & { topic: string; partition: number; offset: string })[],
): Promise<void> {
  if (accepted.length === 0) return;
  await pool.query(
    `update intake.submissions s
        set state = 'accepted', topic = a.topic, kafka_partition = a.partition, kafka_offset = a.kafka_offset,
            accepted_at = now()
       from unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::bigint[])
            as a(id, version, topic, partition, kafka_offset)
      where s.department = $1 and s.source_record_id = a.id and s.version = a.version`,
    [
      department,
      accepted.map((a) => a.recordId),
      accepted.map((a) => a.version),
      accepted.map((a) => a.topic),
      accepted.map((a) => a.partition),
      accepted.map((a) => a.offset),
    ],
  );
}

/** Gives claims back when the broker did not take the records, so a resend is not refused as in progress. */
export async function release(pool: pg.Pool, department: string, keys: SubmissionKey[]): Promise<void> {
  if (keys.length === 0) return;
  await pool.query(
    `delete from intake.submissions s using unnest($2::text[], $3::bigint[]) as k(id, version)
      where s.department = $1 and s.source_record_id = k.id and s.version = k.version and s.state = 'pending'`,
    [department, keys.map((k) => k.recordId), keys.map((k) => k.version)],
  );
}

export { keyOf as submissionKey };
