import {
  freezeDesignation,
  listTypeOf,
  type RuleContext,
  recordValidityEnd,
  refOf,
  ruleIdentity,
  stillValid,
} from './common.ts';
import type { GradeRedRule } from './rule-set.ts';
import type { Designation, SubjectFacts } from './types.ts';

/**
 * f. A credit-grade record of the rule's items with a level among the rule's levels → a red designation, valid from
 * the record's validFrom (else its decision date) to its validTo + 1 day (else per the list type). Red eligibility
 * is judged afterwards, for every red designation alike (red-eligibility.ts).
 */
export function gradeReds(rule: GradeRedRule, facts: SubjectFacts, context: RuleContext): Designation[] {
  const type = listTypeOf(context.registry, rule.listType);
  const designations: Designation[] = [];
  for (const record of facts.records) {
    if (record.kind !== 'credit-grade' || !rule.items.includes(record.catalogueItemCode)) continue;
    if (record.level === null || !rule.levels.includes(record.level)) continue;
    const validFrom = record.validFrom ?? record.decisionDate;
    const designation: Designation = {
      identity: ruleIdentity(rule.id, type.code, null, record),
      listType: type.code,
      field: null,
      ruleId: rule.id,
      rulesVersion: context.rulesVersion,
      source: 'rule',
      designatingDepartment: rule.designatingDepartment,
      designatedOn: record.decisionDate,
      validFrom,
      validUntil: recordValidityEnd(type, validFrom, record.validTo),
      basis: [refOf(record)],
      basisEntries: [],
      explanation:
        `信用等级 ${record.level}(${record.catalogueItemCode}，${record.decisionDate})，列入${type.name}` +
        ` / credit grade ${record.level} (${record.catalogueItemCode}, ${record.decisionDate}): ${type.nameEn}`,
    };
    if (stillValid(designation, context.today)) designations.push(freezeDesignation(designation));
  }
  return designations;
}
