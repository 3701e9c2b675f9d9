import type { ListColour, ListTypeRegistry } from '@credit/list-types';
import { inForce, type RuleContext, recordKey, refOf } from './common.ts';
import { addMonths, compareDates } from './dates.ts';
import type { RedEligibilityRule } from './rule-set.ts';
import type {
  DateText,
  Designation,
  FactRecord,
  KnownEntry,
  Refusal,
  SubjectFacts,
  Supersession,
} from './types.ts';

const EXCLUDING: readonly ListColour[] = ['black', 'watch'];

function colourOf(registry: ListTypeRegistry, designation: Designation): ListColour | undefined {
  return registry.get(designation.listType)?.colour;
}

/**
 * Active records that break the clean period: a severity of the rule, decided on or before today and no more than
 * cleanMonths ago (today <= decision + cleanMonths; allowed again from the day after).
 */
export function adverseRecords(
  rule: RedEligibilityRule,
  records: readonly FactRecord[],
  today: DateText,
): FactRecord[] {
  return records.filter(
    (record) =>
      rule.severities.includes(record.severity) &&
      compareDates(record.decisionDate, today) <= 0 &&
      compareDates(today, addMonths(record.decisionDate, rule.cleanMonths)) <= 0,
  );
}

/**
 * g. 红名单资格: the red designations a subject may have. All are refused when the subject has a black or watch
 * entry that has not exited, a black or watch designation in this evaluation (`others`), or an adverse record within
 * the clean period (连续3年无不良信用记录).
 */
export function judgeRed(
  rule: RedEligibilityRule,
  red: readonly Designation[],
  others: readonly Designation[],
  facts: SubjectFacts,
  context: RuleContext,
): { allowed: Designation[]; refusals: Refusal[] } {
  if (red.length === 0) return { allowed: [], refusals: [] };
  const entries = facts.entries
    .filter((entry) => EXCLUDING.includes(entry.colour) && entry.state !== 'exited')
    .map((entry) => entry.id)
    .sort();
  const designations = others
    .filter((designation) => EXCLUDING.includes(colourOf(context.registry, designation) ?? 'red'))
    .map((designation) => designation.identity)
    .sort();
  const adverse = adverseRecords(rule, facts.records, context.today);
  const reasons: string[] = [];
  if (entries.length > 0) {
    reasons.push(
      `已列入黑名单或重点关注名单(${entries.join('、')}) / black- or watch-listed (${entries.join(', ')})`,
    );
  }
  if (designations.length > 0) {
    reasons.push(
      `本次认定列入黑名单或重点关注名单(${designations.join('、')}) / designated onto a black or watch list now (${designations.join(', ')})`,
    );
  }
  if (adverse.length > 0) {
    const keys = adverse.map(recordKey).sort();
    reasons.push(
      `${rule.cleanMonths}个月内有不良信用记录 ${adverse.length} 条(${keys.join('、')}) / ${adverse.length} adverse record(s) within ${rule.cleanMonths} months (${keys.join(', ')})`,
    );
  }
  if (reasons.length === 0) return { allowed: [...red], refusals: [] };
  return {
    allowed: [],
    refusals: red.map((designation) =>
      Object.freeze({
        listType: designation.listType,
        ruleId: designation.ruleId,
        basis: Object.freeze(designation.basis.map(refOf)),
        reason: `红名单资格不符 / red list refused: ${reasons.join('; ')}`,
      }),
    ),
  };
}

/**
 * Red entries that must leave (红名单移出, domain §3.4 item 14): every red entry that has not exited, while the
 * subject has a black or watch entry in force today or a black or watch department designation in this evaluation.
 */
export function redSupersessions(
  entries: readonly KnownEntry[],
  designations: readonly Designation[],
  context: Pick<RuleContext, 'registry' | 'today'>,
): Supersession[] {
  const by = entries
    .filter((entry) => EXCLUDING.includes(entry.colour) && inForce(entry, context.today))
    .map((entry) => entry.id)
    .sort();
  const department = designations
    .filter(
      (designation) =>
        designation.source === 'department' &&
        EXCLUDING.includes(colourOf(context.registry, designation) ?? 'red'),
    )
    .map((designation) => designation.identity)
    .sort();
  if (by.length === 0 && department.length === 0) return [];
  const causes = [
    ...(by.length > 0 ? [`entries ${by.join(', ')}`] : []),
    ...(department.length > 0 ? [`department designations ${department.join(', ')}`] : []),
  ].join('; ');
  return entries
    .filter((entry) => entry.colour === 'red' && entry.state !== 'exited')
    .map((entry) => entry.id)
    .sort()
    .map((entryId) =>
      Object.freeze({
        entryId,
        byEntryIds: Object.freeze([...by]),
        reason: `已列入黑名单或重点关注名单，移出红名单 / black- or watch-listed, red entry leaves: ${causes}`,
      }),
    );
}
