import type { EntryRow } from './entry-row.ts';
import { measuresApply } from './entry-row.ts';
import type { Actor, EventType, ListState } from './lifecycle.ts';

export const LIST_CHANGE_SCHEMA = 'credit.list-change/1';

/** `designate` is the creation of an entry; the rest are lifecycle events. */
export type ChangeEvent = EventType | 'designate';

/**
 * One event on credit.list-changes (key = subject code): an entry was created or moved from one state to another.
 * `measuresApply` says whether rewards or sanctions apply after the change, so the sanctions service can issue or
 * withdraw orders from this event alone. `eventId` = `<entryId>:<seq>` is unique per transition.
 */
export interface ListChange {
  schema: typeof LIST_CHANGE_SCHEMA;
  eventId: string;
  subjectCode: string;
  /** LEGAL_ENTITY, NATURAL_PERSON or INDIVIDUAL_BUSINESS: which measures can apply. */
  subjectCategory: EntryRow['subject_category'];
  entryId: string;
  listType: string;
  colour: EntryRow['colour'];
  field: string | null;
  event: ChangeEvent;
  fromState: ListState | null;
  toState: ListState;
  exitReason: EntryRow['exit_reason'];
  measuresApply: boolean;
  measuresApplied: boolean;
  designatingDepartment: string;
  source: EntryRow['source'];
  ruleId: string;
  rulesVersion: string;
  designatedOn: string;
  validFrom: string;
  validUntil: string | null;
  basis: EntryRow['basis'];
  basisEntries: string[];
  actor: Actor;
  reason: string;
  at: string;
}

export function listChange(
  entry: EntryRow,
  seq: number,
  transition: { event: ChangeEvent; from: ListState | null; actor: Actor; reason: string; at: Date },
): ListChange {
  return {
    schema: LIST_CHANGE_SCHEMA,
    eventId: `${entry.id}:${seq}`,
    subjectCode: entry.subject_code,
    subjectCategory: entry.subject_category,
    entryId: entry.id,
    listType: entry.list_type,
    colour: entry.colour,
    field: entry.field,
    event: transition.event,
    fromState: transition.from,
    toState: entry.state,
    exitReason: entry.exit_reason,
    measuresApply: measuresApply(entry.state),
    measuresApplied: transition.from !== null && measuresApply(transition.from),
    designatingDepartment: entry.designating_department,
    source: entry.source,
    ruleId: entry.rule_id,
    rulesVersion: entry.rules_version,
    designatedOn: entry.designated_on,
    validFrom: entry.valid_from,
    validUntil: entry.valid_until,
    basis: entry.basis,
    basisEntries: entry.basis_entries,
    actor: transition.actor,
    reason: transition.reason,
    at: transition.at.toISOString(),
  };
}
