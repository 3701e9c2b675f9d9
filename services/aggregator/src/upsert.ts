import type pg from 'pg';
import { compareText } from './byte-order.ts';
import type { Normalised, RecordRow } from './normalise.ts';
import type { RecordChange } from './subject-change.ts';
import { writeOutbox } from './subject-change.ts';
import { dropEmptySummaries, recomputeSummaries } from './summaries.ts';
import { applySummaryDeltas, summaryDeltas } from './summary-deltas.ts';

export type RecordStatus = 'active' | 'revoked' | 'corrected' | 'repaired' | 'expired';

export interface UpsertResult {
  /** Records written (new, or a higher version than the stored one). */
  applied: number;
  /** Records that changed nothing: a redelivery, or an older version after a newer one. */
  ignored: number;
  /** Change events written to the outbox. */
  events: number;
}

interface Stored {
  version: number;
  status: RecordStatus;
  subjectCode: string;
  kind: string;
  severity: string;
  decisionDate: string;
}

/**
 * Writes a batch of normalised records inside the caller's transaction, in multi-row statements:
 * 1. locks the subjects the records are about, in byte order, then reads the records' stored versions and the
 *    versions erasures deleted; a record stored on a subject not yet locked (a correction moving it) gets that
 *    subject locked too and is read again.
 *    Reading after the locks matters: another transaction (a lane of another process, the expiry sweep) may
 *    have changed a record since, and the summary increments are computed from what is stored;
 * 2. drops every record that is not newer than the stored version (a redelivered message or an old version after
 *    a new one changes nothing, and emits nothing), nor than the version an erasure deleted (src/erasure.ts);
 * 3. upserts subjects, records (guarded again by version in SQL), names, old codes, summaries, outbox events.
 */
export async function upsertBatch(
  client: pg.ClientBase,
  items: Normalised[],
  today: string,
): Promise<UpsertResult> {
  const latest = latestVersions(items);
  const locked = new Set<string>();
  let versions: KnownVersions = { stored: new Map(), erased: new Map() };
  for (let round = 0; ; round += 1) {
    const wanted = new Set(latest.map((item) => item.record.subjectCode));
    for (const current of versions.stored.values()) wanted.add(current.subjectCode);
    const missing = [...wanted].filter((code) => !locked.has(code)).sort(compareText);
    if (missing.length === 0) break;
    if (round === 5)
      throw new Error('records kept moving between subjects while their subjects were being locked');
    await client.query(
      'select code from subjects where code = any($1::text[]) order by code collate "C" for update',
      [missing],
    );
    for (const code of missing) locked.add(code);
    versions = await knownVersions(client, latest);
  }
  const { stored, erased } = versions;
  const newer = latest.filter((item) => {
    const key = recordKey(item.record);
    return item.record.version > Math.max(stored.get(key)?.version ?? 0, erased.get(key) ?? 0);
  });
  const ignored = items.length - newer.length;
  if (newer.length === 0) return { applied: 0, ignored, events: 0 };

  // A correction can move a record to another subject (it was reported against the wrong one): the old subject,
  // locked above, gets its summary recounted and its own event.
  const movedFrom = newer
    .map((item) => stored.get(recordKey(item.record))?.subjectCode)
    .filter((code, i): code is string => code !== undefined && code !== newer[i]!.record.subjectCode);
  const created = await upsertSubjects(client, newer);
  const rows = newer.map((item) => ({
    item,
    status: statusOf(item.record, stored.get(recordKey(item.record)), today),
  }));
  const written = await upsertRecords(client, rows);
  await upsertNames(client, newer);
  await insertLegacyCodes(client, newer, created);

  const changes = new Map<string, RecordChange[]>();
  for (const { item, status } of rows) {
    const key = recordKey(item.record);
    if (!written.has(key)) continue;
    const previous = stored.get(key);
    const list = changes.get(item.record.subjectCode) ?? [];
    list.push({
      change: changeOf(item.record, previous),
      department: item.record.department,
      sourceRecordId: item.record.sourceRecordId,
      kind: item.record.kind,
      version: item.record.version,
      previousVersion: previous?.version ?? null,
      status,
      severity: item.record.severity,
      catalogueItemCode: item.record.catalogueItemCode,
      reason: item.record.changeReason,
    });
    changes.set(item.record.subjectCode, list);
    if (previous !== undefined && previous.subjectCode !== item.record.subjectCode) {
      const left = changes.get(previous.subjectCode) ?? [];
      left.push({
        ...list.at(-1)!,
        change: 'moved',
        reason: `corrected to be about subject ${item.record.subjectCode}${item.record.changeReason ? `: ${item.record.changeReason}` : ''}`,
      });
      changes.set(previous.subjectCode, left);
    }
  }
  const subjects = [...changes.keys()].sort(compareText);
  const { deltas, recount } = summaryDeltas(
    rows
      .filter(({ item }) => written.has(recordKey(item.record)))
      .map(({ item: { record }, status }) => {
        const previous = stored.get(recordKey(record));
        return {
          previous: previous && { ...previous },
          next: {
            subjectCode: record.subjectCode,
            kind: record.kind,
            status,
            severity: record.severity,
            decisionDate: record.decisionDate,
          },
        };
      }),
  );
  await applySummaryDeltas(client, deltas);
  await recomputeSummaries(client, recount.sort(compareText));
  if (movedFrom.length > 0) await dropEmptySummaries(client, movedFrom);
  const events = await writeOutbox(
    client,
    subjects.map((code) => ({
      subjectCode: code,
      subjectCreated: created.has(code),
      changes: changes.get(code)!,
    })),
  );
  return { applied: written.size, ignored: items.length - written.size, events };
}

export function recordKey(record: Pick<RecordRow, 'department' | 'sourceRecordId'>): string {
  return `${record.department}\u0000${record.sourceRecordId}`;
}

/** The highest version of each record in the batch (Postgres refuses to upsert one row twice in a statement). */
function latestVersions(items: Normalised[]): Normalised[] {
  const byKey = new Map<string, Normalised>();
  for (const item of items) {
    const key = recordKey(item.record);
    const seen = byKey.get(key);
    // At equal versions the first message wins, as it does when the copies arrive in different batches.
    if (seen === undefined || item.record.version > seen.record.version) byKey.set(key, item);
  }
  return [...byKey.values()].sort((a, b) => compareText(recordKey(a.record), recordKey(b.record)));
}

interface KnownVersions {
  /** The stored row of each record that has one. */
  stored: Map<string, Stored>;
  /**
   * The highest version an erasure deleted (src/erasure.ts), of each record one erased. A message at that version
   * or below is a redelivery or a replay of what the law had deleted, and changes nothing; a higher one is new
   * data. Read with the stored versions, after the subjects are locked: an erasure holds the person's subject lock
   * until it commits.
   */
  erased: Map<string, number>;
}

/** The stored row and the erased version of each record, in one round trip (one index probe of each per record). */
async function knownVersions(client: pg.ClientBase, items: Normalised[]): Promise<KnownVersions> {
  const result = await client.query<{
    department: string;
    source_record_id: string;
    version: string | null;
    status: RecordStatus;
    subject_code: string;
    kind: string;
    severity: string;
    decision_date: string;
    erased_version: string | null;
  }>(
    `select k.department, k.source_record_id, r.version, r.status, r.subject_code, r.kind, r.severity,
            to_char(r.decision_date, 'YYYY-MM-DD') as decision_date, e.version as erased_version
       from unnest($1::text[], $2::text[]) as k(department, source_record_id)
       -- One primary-key probe per record; a plain join may become a hash join over the whole table.
       left join lateral (select version, status, subject_code, kind, severity, decision_date
                            from records where records.department = k.department
                             and records.source_record_id = k.source_record_id offset 0) as r on true
       cross join lateral (select max(version) as version from erased_records
                            where erased_records.department = k.department
                              and erased_records.source_record_id = k.source_record_id) as e
      where r.version is not null or e.version is not null`,
    [items.map((i) => i.record.department), items.map((i) => i.record.sourceRecordId)],
  );
  const versions: KnownVersions = { stored: new Map(), erased: new Map() };
  for (const row of result.rows) {
    const key = recordKey({ department: row.department, sourceRecordId: row.source_record_id });
    if (row.version !== null) {
      versions.stored.set(key, {
        version: Number(row.version),
        status: row.status,
        subjectCode: row.subject_code,
        kind: row.kind,
        severity: row.severity,
        decisionDate: row.decision_date,
      });
    }
    if (row.erased_version !== null) versions.erased.set(key, Number(row.erased_version));
  }
  return versions;
}

/** A revoke ends a record; a later version corrects it; a public window that has closed leaves it expired. */
export function statusOf(
  record: RecordRow,
  previous: { version: number; status?: RecordStatus } | undefined,
  today: string,
): RecordStatus {
  if (record.operation === 'REVOKE') return 'revoked';
  if (record.disclosurePublic && record.disclosureUntil !== null && record.disclosureUntil < today)
    return 'expired';
  return previous !== undefined || record.version > 1 ? 'corrected' : 'active';
}

function changeOf(record: RecordRow, previous: Stored | undefined): RecordChange['change'] {
  if (record.operation === 'REVOKE') return 'revoked';
  return previous === undefined ? 'created' : 'corrected';
}

async function upsertSubjects(client: pg.ClientBase, items: Normalised[]): Promise<Set<string>> {
  const bySubject = new Map<string, Normalised['subject']>();
  for (const { subject } of items) {
    const seen = bySubject.get(subject.code);
    if (seen === undefined || subject.reportedAt >= seen.reportedAt) bySubject.set(subject.code, subject);
  }
  const subjects = [...bySubject.values()].sort((a, b) => compareText(a.code, b.code));
  const result = await client.query<{ code: string; created: boolean }>(
    `insert into subjects as s (code, code_type, category, kind, display_code, identity_ciphertext, division_code,
                                name, name_reported_at)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::timestamptz[])
     on conflict (code) do update set
       name = case when excluded.name_reported_at >= s.name_reported_at then excluded.name else s.name end,
       name_reported_at = greatest(s.name_reported_at, excluded.name_reported_at),
       identity_ciphertext = coalesce(s.identity_ciphertext, excluded.identity_ciphertext),
       updated_at = now()
     returning code, (xmax = 0) as created`,
    [
      subjects.map((s) => s.code),
      subjects.map((s) => s.codeType),
      subjects.map((s) => s.category),
      subjects.map((s) => s.kind),
      subjects.map((s) => s.displayCode),
      subjects.map((s) => s.identityCiphertext),
      subjects.map((s) => s.divisionCode),
      subjects.map((s) => s.name),
      subjects.map((s) => s.reportedAt.toISOString()),
    ],
  );
  return new Set(result.rows.filter((row) => row.created).map((row) => row.code));
}

async function upsertRecords(
  client: pg.ClientBase,
  rows: { item: Normalised; status: RecordStatus }[],
): Promise<Set<string>> {
  // One JSON document for the whole batch: one native JSON.stringify here and one parse in Postgres, instead of
  // twenty array literals whose per-element quoting and escaping (payloads above all) cost more than the insert.
  const batch = JSON.stringify(
    rows.map(({ item: { record: r }, status }) => ({
      department: r.department,
      source_record_id: r.sourceRecordId,
      version: r.version,
      subject_code: r.subjectCode,
      kind: r.kind,
      schema_version: r.schemaVersion,
      catalogue_item_code: r.catalogueItemCode,
      severity: r.severity,
      operation: r.operation,
      status,
      decision_date: r.decisionDate,
      reported_at: r.reportedAt.toISOString(),
      disclosure_public: r.disclosurePublic,
      disclosure_from: r.disclosureFrom,
      disclosure_until: r.disclosureUntil,
      change_reason: r.changeReason,
      payload: r.payload,
      source_topic: r.topic,
      source_partition: r.partition,
      source_offset: r.offset,
    })),
  );
  const result = await client.query<{ department: string; source_record_id: string }>(
    `insert into records as r (department, source_record_id, version, subject_code, kind, schema_version,
                               catalogue_item_code, severity, operation, status, decision_date, reported_at,
                               disclosure_public, disclosure_from, disclosure_until, change_reason, payload,
                               source_topic, source_partition, source_offset)
     select department, source_record_id, version, subject_code, kind, schema_version, catalogue_item_code,
            severity, operation, status, decision_date, reported_at, disclosure_public, disclosure_from,
            disclosure_until, change_reason, payload, source_topic, source_partition, source_offset
       from jsonb_to_recordset($1::jsonb) as x(department text, source_record_id text, version bigint,
            subject_code text, kind text, schema_version int, catalogue_item_code text, severity text,
            operation text, status text, decision_date date, reported_at timestamptz, disclosure_public boolean,
            disclosure_from date, disclosure_until date, change_reason text, payload jsonb, source_topic text,
            source_partition int, source_offset bigint)
     on conflict (department, source_record_id) do update set
       version = excluded.version, subject_code = excluded.subject_code, kind = excluded.kind,
       schema_version = excluded.schema_version, catalogue_item_code = excluded.catalogue_item_code,
       severity = excluded.severity, operation = excluded.operation, status = excluded.status,
       decision_date = excluded.decision_date, reported_at = excluded.reported_at,
       disclosure_public = excluded.disclosure_public, disclosure_from = excluded.disclosure_from,
       disclosure_until = excluded.disclosure_until, change_reason = excluded.change_reason,
       payload = excluded.payload, source_topic = excluded.source_topic,
       source_partition = excluded.source_partition, source_offset = excluded.source_offset,
       stored_at = clock_timestamp()
     where r.version < excluded.version
     returning department, source_record_id`,
    [batch],
  );
  return new Set(
    result.rows.map((row) => recordKey({ department: row.department, sourceRecordId: row.source_record_id })),
  );
}

/** Each (subject, name) once, with the earliest report under it; a row is rewritten only when that moves earlier. */
async function upsertNames(client: pg.ClientBase, items: Normalised[]): Promise<void> {
  const names = new Map<string, { code: string; name: string; first: Date }>();
  for (const { subject } of items) {
    const key = `${subject.code}\u0000${subject.name}`;
    const seen = names.get(key);
    if (seen === undefined)
      names.set(key, { code: subject.code, name: subject.name, first: subject.reportedAt });
    else if (subject.reportedAt < seen.first) seen.first = subject.reportedAt;
  }
  const rows = [...names.entries()].sort(([a], [b]) => compareText(a, b)).map(([, row]) => row);
  await client.query(
    `insert into subject_names as n (subject_code, name, first_reported_at)
     select * from unnest($1::text[], $2::text[], $3::timestamptz[])
     on conflict (subject_code, name) do update set first_reported_at = excluded.first_reported_at
     where excluded.first_reported_at < n.first_reported_at`,
    [rows.map((r) => r.code), rows.map((r) => r.name), rows.map((r) => r.first.toISOString())],
  );
}

/** The first subject an old code was reported for keeps it; a later claim by another subject is not applied. */
async function insertLegacyCodes(
  client: pg.ClientBase,
  items: Normalised[],
  created: Set<string>,
): Promise<void> {
  const codes = new Map<string, { type: string; subject: string }>();
  for (const { subject } of items) {
    for (const legacy of subject.legacyCodes) {
      // The organisation code inside a USCC was recorded when the subject was created; only new subjects need it.
      if (
        !created.has(subject.code) &&
        legacy.type === 'ORGANISATION_CODE' &&
        subject.code.slice(8, 17) === legacy.code
      ) {
        continue;
      }
      if (!codes.has(legacy.code)) codes.set(legacy.code, { type: legacy.type, subject: subject.code });
    }
  }
  if (codes.size === 0) return;
  const rows = [...codes.entries()].sort(([a], [b]) => compareText(a, b));
  await client.query(
    `insert into legacy_codes (legacy_code, code_type, subject_code)
     select * from unnest($1::text[], $2::text[], $3::text[])
     on conflict (legacy_code) do nothing`,
    [rows.map(([code]) => code), rows.map(([, row]) => row.type), rows.map(([, row]) => row.subject)],
  );
}
