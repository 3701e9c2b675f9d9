import {
  fieldOf,
  freezeDesignation,
  listTypeOf,
  type RuleContext,
  recordValidityEnd,
  refOf,
  stillValid,
} from './common.ts';
import { colourFitsSeverity } from './cross-check.ts';
import type { DepartmentDesignationRule } from './rule-set.ts';
import type { Designation, FactRecord, SubjectFacts } from './types.ts';

/**
 * a. A department's own designation record → an entry on the list type the rule maps its catalogue item to. A
 * list-designation record's listTypeCode wins when it is a registry code whose colour fits the record's severity.
 * validFrom = record.validFrom ?? decisionDate; validUntil = validTo + 1 day, else validFrom + the list type's
 * validity (null when until revoked). Not wanted once today >= validUntil. A watch entry takes the key field of the
 * record's catalogue item (or none).
 */
export function departmentDesignations(
  rule: DepartmentDesignationRule,
  facts: SubjectFacts,
  context: RuleContext,
): Designation[] {
  const designations: Designation[] = [];
  for (const record of facts.records) {
    if (!rule.kinds.includes(record.kind)) continue;
    const listTypeCode = targetListType(rule, record, context);
    if (listTypeCode === undefined) continue;
    const type = listTypeOf(context.registry, listTypeCode);
    const validFrom = record.validFrom ?? record.decisionDate;
    const field =
      type.colour === 'watch' ? (fieldOf(context.keyFields, record.catalogueItemCode)?.code ?? null) : null;
    const designation: Designation = {
      identity: `department:${record.department}:${record.sourceRecordId}`,
      listType: type.code,
      field,
      ruleId: rule.id,
      rulesVersion: context.rulesVersion,
      source: 'department',
      designatingDepartment: record.department,
      designatedOn: record.decisionDate,
      validFrom,
      validUntil: recordValidityEnd(type, validFrom, record.validTo),
      basis: [refOf(record)],
      basisEntries: [],
      explanation:
        `${record.department} 认定列入${type.name}（${record.catalogueItemCode}，${record.decisionDate}）` +
        ` / designated by ${record.department} onto ${type.nameEn} (${record.catalogueItemCode}, ${record.decisionDate})`,
    };
    if (stillValid(designation, context.today)) designations.push(freezeDesignation(designation));
  }
  return designations;
}

/** The payload's own list type code when it is usable, else the rule's mapping of the catalogue item. */
export function targetListType(
  rule: DepartmentDesignationRule,
  record: FactRecord,
  context: Pick<RuleContext, 'registry'>,
): string | undefined {
  if (record.kind === 'list-designation' && record.listTypeCode !== null) {
    const own = context.registry.get(record.listTypeCode);
    if (own && colourFitsSeverity(own.colour, record.severity)) return own.code;
  }
  return rule.mapping[record.catalogueItemCode];
}
