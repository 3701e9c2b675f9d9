import {
  byDecision,
  decidedWithin,
  freezeDesignation,
  latestDecision,
  listTypeOf,
  type RuleContext,
  refOf,
  ruleIdentity,
  stillValid,
  validityEnd,
} from './common.ts';
import type { KeyFieldBreachRule } from './rule-set.ts';
import type { Designation, FactRecord, SubjectFacts } from './types.ts';

/**
 * b. Watch criterion part 1 (在重点领域发生较重失信行为): active records of the rule's kinds and severity in a key
 * field, decided within lookbackMonths (decision + lookbackMonths > today) → one watch designation per field. Basis:
 * every qualifying record of the field; identity and validFrom from the earliest of them; validUntil per the list
 * type.
 */
export function keyFieldBreaches(
  rule: KeyFieldBreachRule,
  facts: SubjectFacts,
  context: RuleContext,
): Designation[] {
  const type = listTypeOf(context.registry, rule.listType);
  const designations: Designation[] = [];
  for (const field of context.keyFields) {
    const basis: FactRecord[] = facts.records
      .filter(
        (record) =>
          rule.kinds.includes(record.kind) &&
          record.severity === rule.severity &&
          field.itemCodes.includes(record.catalogueItemCode) &&
          decidedWithin(record, rule.lookbackMonths, context.today),
      )
      .sort(byDecision);
    const first = basis[0];
    if (first === undefined) continue;
    const designation: Designation = {
      identity: ruleIdentity(rule.id, type.code, field.code, first),
      listType: type.code,
      field: field.code,
      ruleId: rule.id,
      rulesVersion: context.rulesVersion,
      source: 'rule',
      designatingDepartment: rule.designatingDepartment,
      designatedOn: latestDecision(basis),
      validFrom: first.decisionDate,
      validUntil: validityEnd(type, first.decisionDate),
      basis: basis.map(refOf),
      basisEntries: [],
      explanation: `重点领域(${field.name})严重失信行为 ${basis.length} 条 / ${basis.length} serious breach${basis.length === 1 ? '' : 'es'} in key field ${field.code}`,
    };
    if (stillValid(designation, context.today)) designations.push(freezeDesignation(designation));
  }
  return designations;
}
