export { inForce, type RuleContext } from './common.ts';
export { colourFitsSeverity } from './cross-check.ts';
export { departmentDesignations, targetListType } from './department-designation.ts';
export { derivedWarnings } from './derived-warning.ts';
export { ListRulesInvalid } from './errors.ts';
export { escalations, wasWatchPeriod, watchEntriesDuring } from './escalation.ts';
export { designationsOf, evaluate } from './evaluate.ts';
export { gradeReds } from './grade-red.ts';
export { keyFieldBreaches } from './key-field-breach.ts';
export { type LoadRulesOptions, loadRules } from './load.ts';
export { RULES_FILE, RULES_SCHEMA_FILE } from './paths.ts';
export { adverseRecords, judgeRed, redSupersessions } from './red-eligibility.ts';
export { majorityField, repeatedBreaches } from './repeated-breaches.ts';
export {
  type DepartmentDesignationRule,
  type DerivedWarningRule,
  type EscalationRule,
  type GradeRedRule,
  type KeyField,
  type KeyFieldBreachRule,
  type RedEligibilityRule,
  type RepeatedBreachesRule,
  RULE_TYPES,
  type Rule,
  type RuleSet,
  type RulesChange,
  type RuleType,
} from './rule-set.ts';
export {
  type DateText,
  type Designation,
  type Evaluation,
  type FactRecord,
  type KnownEntry,
  type ListTypeRegistry,
  type RecordRef,
  type Refusal,
  STORE_RULE_IDS,
  type SubjectFacts,
  type Supersession,
} from './types.ts';
