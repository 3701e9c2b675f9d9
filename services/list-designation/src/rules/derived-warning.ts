import { freezeDesignation, inForce, listTypeOf, type RuleContext, validityEnd } from './common.ts';
import type { DerivedWarningRule } from './rule-set.ts';
import type { Designation, SubjectFacts } from './types.ts';

/**
 * e. 3个以上不同重点领域的重点关注名单 → 信用预警名单: watch entries in force today (confirmed, published or
 * suspended, today within their validity) in at least the list type's derivedFrom.distinctFields distinct non-null
 * fields → one warning designation per subject, basisEntries those entries, valid from today.
 */
export function derivedWarnings(
  rule: DerivedWarningRule,
  facts: SubjectFacts,
  context: RuleContext,
): Designation[] {
  const type = listTypeOf(context.registry, rule.listType);
  const derivedFrom = type.derivedFrom;
  if (!derivedFrom) throw new Error(`list type ${type.code} has no derivedFrom`);
  const watch = facts.entries.filter(
    (entry) => entry.colour === derivedFrom.colour && entry.field !== null && inForce(entry, context.today),
  );
  const fields = [...new Set(watch.map((entry) => entry.field!))].sort();
  if (fields.length < derivedFrom.distinctFields) return [];
  const names = fields.map((code) => context.keyFields.find((field) => field.code === code)?.name ?? code);
  return [
    freezeDesignation({
      identity: `rule:${rule.id}:${type.code}`,
      listType: type.code,
      field: null,
      ruleId: rule.id,
      rulesVersion: context.rulesVersion,
      source: 'rule',
      designatingDepartment: rule.designatingDepartment,
      designatedOn: context.today,
      validFrom: context.today,
      validUntil: validityEnd(type, context.today),
      basis: [],
      basisEntries: watch.map((entry) => entry.id).sort(),
      explanation:
        `列入 ${fields.length} 个不同重点领域的重点关注名单(${names.join('、')})` +
        ` / on watch lists in ${fields.length} distinct key fields (${fields.join(', ')})`,
    }),
  ];
}
