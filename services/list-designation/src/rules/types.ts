import type { ListColour, ListTypeRegistry } from '@credit/list-types';
import type { RecordKind, Severity, SubjectCategory } from '@credit/schemas';
import type { ExitReason, ListState } from '../lifecycle.ts';

/** A calendar date in China, YYYY-MM-DD. */
export type DateText = string;

/** Which stored record a designation rests on. */
export interface RecordRef {
  readonly department: string;
  readonly sourceRecordId: string;
  readonly version: number;
}

/** One record in force of the subject in the unified database (aggregator.records, status active or corrected). */
export interface FactRecord extends RecordRef {
  readonly kind: RecordKind;
  readonly catalogueItemCode: string;
  readonly severity: Severity;
  /** 决定日期 / 认定日期. */
  readonly decisionDate: DateText;
  /** list-designation: payload.listTypeCode (the department's own code); null for other kinds. */
  readonly listTypeCode: string | null;
  /** credit-grade: payload.level (e.g. A); null for other kinds. */
  readonly level: string | null;
  /** list-designation and credit-grade: payload.validFrom / validTo (validTo inclusive, null = open). */
  readonly validFrom: DateText | null;
  readonly validTo: DateText | null;
}

/** An entry the list store already holds for the subject, in any state (exited ones included). */
export interface KnownEntry {
  readonly id: string;
  readonly listType: string;
  readonly colour: ListColour;
  /** Key field (重点领域) of a watch entry; null otherwise. */
  readonly field: string | null;
  readonly ruleId: string;
  /** See {@link Designation.identity}. */
  readonly identity: string;
  readonly state: ListState;
  readonly exitReason: ExitReason | null;
  readonly validFrom: DateText;
  /** Exclusive end; null = no end. */
  readonly validUntil: DateText | null;
  /**
   * The records the entry was made from ({@link Designation.basis} as stored; empty for entries the store makes
   * itself). The escalation rule does not count a watch entry's own basis as a breach during its validity.
   */
  readonly basis: readonly RecordRef[];
}

export interface SubjectFacts {
  readonly subjectCode: string;
  readonly category: SubjectCategory;
  readonly records: readonly FactRecord[];
  readonly entries: readonly KnownEntry[];
}

/** An entry the rules say the subject should have. */
export interface Designation {
  /**
   * Stable identity: the store creates an entry for an identity once and never again (an exited entry is not
   * re-created from the same basis). E.g. `department:<dept>:<sourceRecordId>`, `rule:<ruleId>:<listType>:<field>:<first basis record>`.
   */
  readonly identity: string;
  readonly listType: string;
  readonly field: string | null;
  readonly ruleId: string;
  readonly rulesVersion: string;
  /** department: the department's own designation record; rule: a platform rule over the unified database. */
  readonly source: 'department' | 'rule';
  readonly designatingDepartment: string;
  /** 认定日期. */
  readonly designatedOn: DateText;
  readonly validFrom: DateText;
  /** Exclusive end date; null = until revoked. */
  readonly validUntil: DateText | null;
  readonly basis: readonly RecordRef[];
  /** Entry ids the designation rests on (credit-warning: the watch entries; escalation: the watch entry). */
  readonly basisEntries: readonly string[];
  /** One sentence in Chinese and English saying why, for reviewers and the public basis. */
  readonly explanation: string;
}

/** A designation a rule would make but may not (e.g. red while black- or watch-listed). */
export interface Refusal {
  readonly listType: string;
  readonly ruleId: string;
  readonly basis: readonly RecordRef[];
  readonly reason: string;
}

/** An existing red entry that must leave because the subject is black- or watch-listed. */
export interface Supersession {
  readonly entryId: string;
  readonly byEntryIds: readonly string[];
  readonly reason: string;
}

export interface Evaluation {
  readonly rulesVersion: string;
  readonly designations: readonly Designation[];
  readonly refusals: readonly Refusal[];
  readonly supersessions: readonly Supersession[];
}

/** Rule ids the store manages itself (not produced by {@link Evaluation}); the reconciler leaves them alone. */
export const STORE_RULE_IDS = ['after-black-exit'] as const;

export type { ListTypeRegistry };
