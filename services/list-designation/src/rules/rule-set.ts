import type { RecordKind, Severity } from '@credit/schemas';

/**
 * The designation rules as data (services/list-designation/data/rules.yaml), after the loader's checks. Plain,
 * frozen data: tests may build one by hand (see test/rules-helpers.ts).
 */

/** 重点领域: the catalogue items whose records belong to the field. */
export interface KeyField {
  /** Kebab-case, e.g. work-safety. */
  readonly code: string;
  /** Chinese name, e.g. 安全生产. */
  readonly name: string;
  readonly nameEn: string;
  /** Item-level mapping as written in the file. */
  readonly items: readonly string[];
  /** Department-level mapping as written in the file: every catalogue item of these departments. */
  readonly departments: readonly string[];
  /** items plus every item of departments, resolved against the catalogue at load; what evaluation uses. */
  readonly itemCodes: readonly string[];
}

interface RuleBase {
  /** Kebab-case, unique in the file; a designation's ruleId. */
  readonly id: string;
}

/** Colours a rule of each type designates onto (the loader checks the list type's colour). */
interface DesignatingRule extends RuleBase {
  readonly listType: string;
  /** A catalogue department among the list type's designatingDepartments. */
  readonly designatingDepartment: string;
}

/** a. A department's own designation record → an entry on the mapped list type. */
export interface DepartmentDesignationRule extends RuleBase {
  readonly type: 'department-designation';
  readonly kinds: readonly RecordKind[];
  /** catalogueItemCode → list type code. */
  readonly mapping: Readonly<Record<string, string>>;
}

/** b. A serious breach in a key field within lookbackMonths → watch entry for that field. */
export interface KeyFieldBreachRule extends DesignatingRule {
  readonly type: 'key-field-breach';
  readonly kinds: readonly RecordKind[];
  readonly severity: Severity;
  readonly lookbackMonths: number;
}

/** c. `count` or more minor breaches within withinMonths → watch entry. */
export interface RepeatedBreachesRule extends DesignatingRule {
  readonly type: 'repeated-breaches';
  readonly kinds: readonly RecordKind[];
  readonly severity: Severity;
  readonly count: number;
  readonly withinMonths: number;
}

/** d. A serious breach during a watch entry's validity → black list. */
export interface EscalationRule extends DesignatingRule {
  readonly type: 'escalation';
  readonly kinds: readonly RecordKind[];
  readonly severity: Severity;
}

/** e. Watch entries in force in derivedFrom.distinctFields distinct key fields → the warning list. */
export interface DerivedWarningRule extends DesignatingRule {
  readonly type: 'derived-warning';
}

/** f. A credit grade of given items and levels → red list. */
export interface GradeRedRule extends DesignatingRule {
  readonly type: 'grade-red';
  readonly items: readonly string[];
  readonly levels: readonly string[];
}

/** g. Conditions every red designation must meet (连续3年无不良信用记录). */
export interface RedEligibilityRule extends RuleBase {
  readonly type: 'red-eligibility';
  readonly cleanMonths: number;
  /** Severities of active records that break the clean period. */
  readonly severities: readonly Severity[];
}

export type Rule =
  | DepartmentDesignationRule
  | KeyFieldBreachRule
  | RepeatedBreachesRule
  | EscalationRule
  | DerivedWarningRule
  | GradeRedRule
  | RedEligibilityRule;

export type RuleType = Rule['type'];

export const RULE_TYPES = [
  'department-designation',
  'key-field-breach',
  'repeated-breaches',
  'escalation',
  'derived-warning',
  'grade-red',
  'red-eligibility',
] as const satisfies readonly RuleType[];

export interface RulesChange {
  readonly version: string;
  readonly date: string;
  readonly changes: readonly string[];
}

export interface RuleSet {
  /** e.g. 2026.1; every designation carries it as rulesVersion. */
  readonly version: string;
  readonly changes: readonly RulesChange[];
  readonly keyFields: readonly KeyField[];
  /** In file order; exactly one red-eligibility rule. */
  readonly rules: readonly Rule[];
}

/** The data file once its shape is checked; kinds and severities are still plain strings. */
export interface RulesData {
  version: string;
  changes: { version: string; date: string; changes: string[] }[];
  keyFields: { code: string; name: string; nameEn: string; items?: string[]; departments?: string[] }[];
  rules: RuleData[];
}

export type RuleData = { id: string; type: RuleType } & Record<string, unknown>;
