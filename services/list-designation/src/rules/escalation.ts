import {
  byDecision,
  freezeDesignation,
  IN_FORCE_STATES,
  listTypeOf,
  type RuleContext,
  recordKey,
  refOf,
  ruleIdentity,
  stillValid,
  validityEnd,
} from './common.ts';
import { isWithin } from './dates.ts';
import type { EscalationRule } from './rule-set.ts';
import type { Designation, FactRecord, KnownEntry, SubjectFacts } from './types.ts';

/**
 * Whether a watch entry was in force at some point, so that its validity is a watch period: confirmed, published
 * or suspended, or exited for any reason but objection-upheld (an entry found wrong never was a watch period) or
 * erased (what it rested on was erased by law and counts for nothing after).
 */
export function wasWatchPeriod(entry: KnownEntry): boolean {
  if (entry.colour !== 'watch') return false;
  if (entry.state === 'exited')
    return entry.exitReason !== 'objection-upheld' && entry.exitReason !== 'erased';
  return (IN_FORCE_STATES as readonly string[]).includes(entry.state);
}

/** The watch entries whose validity [validFrom, validUntil) holds the record's decision, the entry's own basis aside. */
export function watchEntriesDuring(record: FactRecord, entries: readonly KnownEntry[]): KnownEntry[] {
  const key = recordKey(record);
  return entries.filter(
    (entry) =>
      wasWatchPeriod(entry) &&
      isWithin(record.decisionDate, entry.validFrom, entry.validUntil) &&
      !entry.basis.some((ref) => recordKey(ref) === key),
  );
}

/**
 * d. 重点关注期间发生严重失信行为 → 黑名单: each active record of the rule's kinds and severity decided within a
 * watch period → one designation on the rule's black list; basis the record, basisEntries the watch entries.
 * validFrom = the record's decision date; validUntil per the list type.
 */
export function escalations(rule: EscalationRule, facts: SubjectFacts, context: RuleContext): Designation[] {
  const type = listTypeOf(context.registry, rule.listType);
  const designations: Designation[] = [];
  const breaches = facts.records
    .filter((record) => rule.kinds.includes(record.kind) && record.severity === rule.severity)
    .sort(byDecision);
  for (const record of breaches) {
    const watch = watchEntriesDuring(record, facts.entries);
    if (watch.length === 0) continue;
    const ids = watch.map((entry) => entry.id).sort();
    const designation: Designation = {
      identity: ruleIdentity(rule.id, type.code, null, record),
      listType: type.code,
      field: null,
      ruleId: rule.id,
      rulesVersion: context.rulesVersion,
      source: 'rule',
      designatingDepartment: rule.designatingDepartment,
      designatedOn: record.decisionDate,
      validFrom: record.decisionDate,
      validUntil: validityEnd(type, record.decisionDate),
      basis: [refOf(record)],
      basisEntries: ids,
      explanation:
        `重点关注期间(${ids.join('、')})发生严重失信行为(${record.catalogueItemCode}，${record.decisionDate})` +
        ` / serious breach (${record.catalogueItemCode}, ${record.decisionDate}) during watch entry ${ids.join(', ')}`,
    };
    if (stillValid(designation, context.today)) designations.push(freezeDesignation(designation));
  }
  return designations;
}
