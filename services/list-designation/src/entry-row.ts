import type { ListColour } from '@credit/list-types';
import type { SubjectCategory as RecordSubjectCategory } from '@credit/schemas';
import { startOfChinaDay } from './china-time.ts';
import type { ExitReason, ListEntry, ListState, NoticeChannel, SubjectCategory } from './lifecycle.ts';
import type { KnownEntry, RecordRef } from './rules/types.ts';

export type EntrySource = 'department' | 'rule' | 'after-exit';

/** One row of lists.entries, as the store reads and writes it (dates as YYYY-MM-DD text). */
export interface EntryRow {
  id: string;
  subject_code: string;
  subject_category: RecordSubjectCategory;
  list_type: string;
  colour: ListColour;
  field: string | null;
  state: ListState;
  exit_reason: ExitReason | null;
  notice_channel: NoticeChannel | null;
  source: EntrySource;
  rule_id: string;
  rules_version: string;
  identity: string;
  generation: number;
  designating_department: string;
  designated_on: string;
  valid_from: string;
  valid_until: string | null;
  repairable: boolean;
  repairable_from: string | null;
  basis: RecordRef[];
  basis_entries: string[];
  explanation: string;
  reached_platform_at: string | null;
  working_days_to_platform: number | null;
}

export const ENTRY_COLUMNS = `id, subject_code, subject_category, list_type, colour, field, state, exit_reason, notice_channel,
  source, rule_id, rules_version, identity, generation, designating_department, designated_on::text as designated_on,
  valid_from::text as valid_from, valid_until::text as valid_until, repairable, repairable_from::text as repairable_from,
  basis, basis_entries, explanation, reached_platform_at::text as reached_platform_at, working_days_to_platform`;

/** The lifecycle's two categories: prior notice is mandatory for natural persons only. */
export function lifecycleCategory(category: RecordSubjectCategory): SubjectCategory {
  return category === 'NATURAL_PERSON' ? 'natural_person' : 'organisation';
}

/**
 * The entry as the lifecycle sees it, without its history: callers never move an entry before its last transition
 * (ListWork clamps the clock), and `allowedEvents` does not read it.
 */
export function toListEntry(row: EntryRow): ListEntry {
  return {
    id: row.id,
    listType: row.list_type,
    subjectCode: row.subject_code,
    subjectCategory: lifecycleCategory(row.subject_category),
    state: row.state,
    exitReason: row.exit_reason,
    noticeChannel: row.notice_channel,
    validUntil: row.valid_until === null ? null : startOfChinaDay(row.valid_until),
    repairable: row.repairable,
    repairableFrom: row.repairable_from === null ? null : startOfChinaDay(row.repairable_from),
    history: [],
  };
}

export function toKnownEntry(row: EntryRow): KnownEntry {
  return {
    id: row.id,
    listType: row.list_type,
    colour: row.colour,
    field: row.field,
    ruleId: row.rule_id,
    identity: row.identity,
    state: row.state,
    exitReason: row.exit_reason,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    basis: row.basis,
  };
}

/** States in which a designation stands (confirmed or later, not exited); expiry applies to these. */
export const STANDING_STATES: readonly ListState[] = ['confirmed', 'published', 'suspended'];

/** Whether rewards or sanctions apply: published only (suspended: held while an objection is verified). */
export function measuresApply(state: ListState): boolean {
  return state === 'published';
}
