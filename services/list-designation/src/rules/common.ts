import type { ListType, ListTypeRegistry } from '@credit/list-types';
import { addDays, addMonths, compareDates, isBefore, isWithin, latest } from './dates.ts';
import type { KeyField } from './rule-set.ts';
import type { DateText, Designation, FactRecord, KnownEntry, RecordRef } from './types.ts';

/** What every rule function needs besides its rule and the facts. */
export interface RuleContext {
  readonly registry: ListTypeRegistry;
  readonly keyFields: readonly KeyField[];
  readonly rulesVersion: string;
  /** The evaluation date (China). */
  readonly today: DateText;
}

/** States in which an entry is in force (sanctions or incentives apply). */
export const IN_FORCE_STATES = ['confirmed', 'published', 'suspended'] as const;

/** In force on `today`: confirmed, published or suspended, and `today` within [validFrom, validUntil). */
export function inForce(entry: KnownEntry, today: DateText): boolean {
  return (
    (IN_FORCE_STATES as readonly string[]).includes(entry.state) &&
    isWithin(today, entry.validFrom, entry.validUntil)
  );
}

export function listTypeOf(registry: ListTypeRegistry, code: string): ListType {
  const type = registry.get(code);
  if (!type) throw new Error(`list type ${code} is not in the registry ${registry.version}`);
  return type;
}

/** Exclusive end of a designation starting `validFrom`: + the list type's months; null when until revoked. */
export function validityEnd(type: ListType, validFrom: DateText): DateText | null {
  return 'months' in type.validity ? addMonths(validFrom, type.validity.months) : null;
}

/** Exclusive end from a record's inclusive validTo, else from the list type. */
export function recordValidityEnd(
  type: ListType,
  validFrom: DateText,
  validTo: DateText | null,
): DateText | null {
  return validTo !== null ? addDays(validTo, 1) : validityEnd(type, validFrom);
}

/** A designation is wanted only while its validity has not ended (today < validUntil). */
export function stillValid(designation: Pick<Designation, 'validUntil'>, today: DateText): boolean {
  return designation.validUntil === null || isBefore(today, designation.validUntil);
}

export function refOf(record: RecordRef): RecordRef {
  return { department: record.department, sourceRecordId: record.sourceRecordId, version: record.version };
}

/** `<department>:<sourceRecordId>`: a record across its versions. */
export function recordKey(record: Pick<RecordRef, 'department' | 'sourceRecordId'>): string {
  return `${record.department}:${record.sourceRecordId}`;
}

/** By decision date, then department and source record id. */
export function byDecision(a: FactRecord, b: FactRecord): number {
  return compareDates(a.decisionDate, b.decisionDate) || recordKey(a).localeCompare(recordKey(b));
}

/** The key field a catalogue item belongs to, if any. */
export function fieldOf(keyFields: readonly KeyField[], itemCode: string): KeyField | undefined {
  return keyFields.find((field) => field.itemCodes.includes(itemCode));
}

/** `rule:<ruleId>:<listType>:<field or ->:<department>:<sourceRecordId>` of the first basis record. */
export function ruleIdentity(
  ruleId: string,
  listType: string,
  field: string | null,
  first: RecordRef,
): string {
  return `rule:${ruleId}:${listType}:${field ?? '-'}:${recordKey(first)}`;
}

/** The latest decision date of the basis: a rule designation's 认定日期. */
export function latestDecision(records: readonly FactRecord[]): DateText {
  const date = latest(records.map((record) => record.decisionDate));
  if (date === undefined) throw new Error('a rule designation needs at least one basis record');
  return date;
}

/** Whether a record was decided within `months` before `today`: decision + months > today (exclusive edge). */
export function decidedWithin(record: FactRecord, months: number, today: DateText): boolean {
  return (
    compareDates(record.decisionDate, today) <= 0 && isBefore(today, addMonths(record.decisionDate, months))
  );
}

export function freezeDesignation(designation: Designation): Designation {
  return Object.freeze({
    ...designation,
    basis: Object.freeze(designation.basis.map((ref) => Object.freeze(refOf(ref)))),
    basisEntries: Object.freeze([...designation.basisEntries]),
  });
}
