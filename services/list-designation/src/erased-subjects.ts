import type pg from 'pg';
import { readEntries } from './facts.ts';
import type { RecordRef } from './rules/types.ts';
import { type ListWork, SYSTEM_ACTOR } from './work.ts';

/**
 * The aggregator erased natural persons (change `erased` on credit.subject-changes): every live entry of theirs
 * resting on an erased record version ends with exit reason `erased`, and so does every live entry made from
 * such an entry (a credit warning from watch entries). Reconciliation alone would not do it: the erased subject
 * is gone from the unified database, so nothing is re-evaluated for it.
 *
 * Matching by the erased versions (not "every entry of the subject") keeps a redelivered erasure harmless: entries
 * made since from new data about the same person rest on other records or higher versions, and stay.
 * Applies the exits to `unit` (the caller flushes it) and drops the subjects' refusals. The caller holds the locks
 * of the subjects, taken with every other subject of its transaction in one `lockSubjects` call: locking the erased
 * here first would take them out of order.
 */
export async function endErasedEntries(
  client: pg.PoolClient,
  erased: ReadonlyMap<string, readonly RecordRef[]>,
  unit: ListWork,
): Promise<void> {
  const codes = [...erased.keys()].sort();
  if (codes.length === 0) return;
  for (const loaded of await readEntries(client, codes)) {
    if (!unit.entries.has(loaded.row.id)) unit.load(loaded);
  }
  for (const code of codes) endOnErased(unit, code, erased.get(code) ?? []);
  // What the rules would have designated but might not was made from the erased records too. A subject with new data
  // since gets its refusals again from the reconciliation that follows in the same transaction.
  await client.query('delete from refusals where subject_code = any($1::text[])', [codes]);
}

function endOnErased(unit: ListWork, subjectCode: string, erased: readonly RecordRef[]): void {
  const wasErased = (ref: RecordRef) =>
    erased.some(
      (e) =>
        e.department === ref.department &&
        e.sourceRecordId === ref.sourceRecordId &&
        ref.version <= e.version,
    );
  const endedByErasure = (id: string) => unit.entries.get(id)?.row.exit_reason === 'erased';
  // Until nothing more ends: an entry made from entries goes once those have gone.
  for (let ending = true; ending; ) {
    ending = false;
    for (const row of unit.entriesOf(subjectCode)) {
      if (row.state === 'exited') continue;
      if (!row.basis.some(wasErased) && !row.basis_entries.some(endedByErasure)) continue;
      unit.apply(row.id, {
        type: 'erase',
        actor: SYSTEM_ACTOR,
        now: unit.now,
        reason: '认定依据的个人信息已依法删除 / the personal data this entry rests on was erased by law',
      });
      ending = true;
    }
  }
}
