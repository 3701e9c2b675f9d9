import { isCalendarDate } from '@credit/calendar';
import type { ListTypeRegistry } from '@credit/list-types';
import { type RuleContext, recordKey } from './common.ts';
import { departmentDesignations } from './department-designation.ts';
import { derivedWarnings } from './derived-warning.ts';
import { escalations } from './escalation.ts';
import { gradeReds } from './grade-red.ts';
import { keyFieldBreaches } from './key-field-breach.ts';
import { judgeRed, redSupersessions } from './red-eligibility.ts';
import { repeatedBreaches } from './repeated-breaches.ts';
import type { RedEligibilityRule, Rule, RuleSet } from './rule-set.ts';
import type { DateText, Designation, Evaluation, Refusal, SubjectFacts } from './types.ts';

/** The designations one rule makes, before subject categories and red eligibility are judged. */
export function designationsOf(rule: Rule, facts: SubjectFacts, context: RuleContext): Designation[] {
  switch (rule.type) {
    case 'department-designation':
      return departmentDesignations(rule, facts, context);
    case 'key-field-breach':
      return keyFieldBreaches(rule, facts, context);
    case 'repeated-breaches':
      return repeatedBreaches(rule, facts, context);
    case 'escalation':
      return escalations(rule, facts, context);
    case 'derived-warning':
      return derivedWarnings(rule, facts, context);
    case 'grade-red':
      return gradeReds(rule, facts, context);
    case 'red-eligibility':
      return [];
  }
}

/**
 * Everything the rules say about one subject on `today`: the entries it should have, the red designations it may
 * not have, and the red entries that must leave. Pure and deterministic: designations in identity order, refusals
 * by rule, list type and first basis record, supersessions by entry id.
 *
 * Order of judgement: every rule's designations; then a designation onto a list type that does not hold the
 * subject's category is refused; then red designations are judged (red-eligibility) against the black and watch
 * ones; then existing red entries are superseded.
 */
export function evaluate(
  facts: SubjectFacts,
  rules: RuleSet,
  registry: ListTypeRegistry,
  today: DateText,
): Evaluation {
  if (!isCalendarDate(today)) throw new RangeError(`today ${today} is not a YYYY-MM-DD date`);
  const context: RuleContext = { registry, keyFields: rules.keyFields, rulesVersion: rules.version, today };
  const made = rules.rules.flatMap((rule) => designationsOf(rule, facts, context));

  const refusals: Refusal[] = [];
  const fitting: Designation[] = [];
  for (const designation of made) {
    const type = registry.get(designation.listType);
    if (type && !type.subjectCategories.includes(facts.category)) {
      refusals.push(
        Object.freeze({
          listType: designation.listType,
          ruleId: designation.ruleId,
          basis: designation.basis,
          reason: `${type.name}不适用于该类主体 / list type ${type.code} does not hold subjects of category ${facts.category}`,
        }),
      );
    } else fitting.push(designation);
  }

  const isRed = (designation: Designation) => registry.get(designation.listType)?.colour === 'red';
  const red = fitting.filter(isRed);
  const others = fitting.filter((designation) => !isRed(designation));
  const eligibility = rules.rules.find((rule): rule is RedEligibilityRule => rule.type === 'red-eligibility');
  if (!eligibility) throw new Error(`the rules ${rules.version} have no red-eligibility rule`);
  const judged = judgeRed(eligibility, red, others, facts, context);
  refusals.push(...judged.refusals);

  return Object.freeze({
    rulesVersion: rules.version,
    designations: Object.freeze(
      [...others, ...judged.allowed].sort((a, b) => a.identity.localeCompare(b.identity)),
    ),
    refusals: Object.freeze(refusals.sort(byRefusal)),
    supersessions: Object.freeze(redSupersessions(facts.entries, others, context)),
  });
}

function byRefusal(a: Refusal, b: Refusal): number {
  const first = (refusal: Refusal) => (refusal.basis[0] ? recordKey(refusal.basis[0]) : '');
  return (
    a.ruleId.localeCompare(b.ruleId) ||
    a.listType.localeCompare(b.listType) ||
    first(a).localeCompare(first(b))
  );
}
