import {
  byDecision,
  decidedWithin,
  fieldOf,
  freezeDesignation,
  latestDecision,
  listTypeOf,
  type RuleContext,
  refOf,
  ruleIdentity,
  stillValid,
  validityEnd,
} from './common.ts';
import type { KeyField, RepeatedBreachesRule } from './rule-set.ts';
import type { Designation, FactRecord, SubjectFacts } from './types.ts';

/**
 * c. Watch criterion part 2 (多次发生轻微失信行为): at least `count` active records of the rule's kinds and severity
 * decided within withinMonths (decision + withinMonths > today) → one watch designation. Basis: all of them. The
 * criterion is met on the count-th record's decision date: validFrom. The field is the key field holding more than
 * half of the basis, otherwise null (and a null field never counts as a field for the warning list).
 */
export function repeatedBreaches(
  rule: RepeatedBreachesRule,
  facts: SubjectFacts,
  context: RuleContext,
): Designation[] {
  const basis = facts.records
    .filter(
      (record) =>
        rule.kinds.includes(record.kind) &&
        record.severity === rule.severity &&
        decidedWithin(record, rule.withinMonths, context.today),
    )
    .sort(byDecision);
  const first = basis[0];
  const completing = basis[rule.count - 1];
  if (first === undefined || completing === undefined) return [];
  const type = listTypeOf(context.registry, rule.listType);
  const field = majorityField(basis, context.keyFields);
  const designation: Designation = {
    // Without the field: a later breach that moves the majority must not replace the entry with a new one.
    identity: ruleIdentity(rule.id, type.code, null, first),
    listType: type.code,
    field: field?.code ?? null,
    ruleId: rule.id,
    rulesVersion: context.rulesVersion,
    source: 'rule',
    designatingDepartment: rule.designatingDepartment,
    designatedOn: latestDecision(basis),
    validFrom: completing.decisionDate,
    validUntil: validityEnd(type, completing.decisionDate),
    basis: basis.map(refOf),
    basisEntries: [],
    explanation:
      `${rule.withinMonths}个月内一般失信行为 ${basis.length} 条${field ? `(主要领域:${field.name})` : ''}` +
      ` / ${basis.length} minor breaches within ${rule.withinMonths} months${field ? ` (mostly in key field ${field.code})` : ''}`,
  };
  return stillValid(designation, context.today) ? [freezeDesignation(designation)] : [];
}

/** The key field holding more than half of `records`, if one does. */
export function majorityField(
  records: readonly FactRecord[],
  keyFields: readonly KeyField[],
): KeyField | undefined {
  const counts = new Map<KeyField, number>();
  for (const record of records) {
    const field = fieldOf(keyFields, record.catalogueItemCode);
    if (field) counts.set(field, (counts.get(field) ?? 0) + 1);
  }
  for (const [field, count] of counts) if (count * 2 > records.length) return field;
  return undefined;
}
