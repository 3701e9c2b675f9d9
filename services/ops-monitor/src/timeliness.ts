import {
  addDays,
  CalendarYearNotCovered,
  type DayCounting,
  daysBetween,
  type WorkingCalendar,
} from '@credit/calendar';

/** The record kinds published under 双公示: administrative licences (行政许可) and penalties (行政处罚). */
export const DOUBLE_PUBLICITY_KINDS = ['administrative-licence', 'administrative-penalty'] as const;

/**
 * How a jurisdiction judges "reported within N days of the decision": working days of the holiday calendar
 * (Rencheng: 7个工作日) or calendar days (Guidong: 7天).
 */
export interface TimelinessRule {
  counting: DayCounting;
  deadlineDays: number;
}

export const NATIONAL_TIMELINESS_RULE: TimelinessRule = { counting: 'working-days', deadlineDays: 7 };

/**
 * Days are counted AFTER the decision date, up to and including the day the record first reached the platform
 * (its China date): decided on a Monday and received the next Monday, with no holiday between, is 5 working days
 * or 7 calendar days. On time is `days <= deadlineDays`. Under working days a record received on a weekend or
 * holiday counts as received before the next working day began, so it is on time if that day was not yet past the
 * deadline — the calendar package's convention, shared with the list-designation SLA.
 */
export type Timeliness =
  /** lastDueDate: the last day of the deadline; null when it falls in a year the holiday file does not cover. */
  | { measured: true; days: number; onTime: boolean; lastDueDate: string | null }
  /**
   * calendar-year-not-covered: the holiday file has no arrangement for a year in question (working days are never
   * guessed); decided-after-receipt: a decision date after the record reached the platform is a data error, not
   * punctuality.
   */
  | { measured: false; reason: 'calendar-year-not-covered' | 'decided-after-receipt' };

export function timeliness(
  calendar: WorkingCalendar,
  rule: TimelinessRule,
  decisionDate: string,
  receivedDate: string,
): Timeliness {
  if (decisionDate > receivedDate) return { measured: false, reason: 'decided-after-receipt' };
  const days = unlessNotCovered(() => daysBetween(calendar, decisionDate, receivedDate, rule.counting));
  if (days === null) return { measured: false, reason: 'calendar-year-not-covered' };
  const lastDueDate = unlessNotCovered(() =>
    addDays(calendar, decisionDate, rule.deadlineDays, rule.counting),
  );
  return { measured: true, days, onTime: days <= rule.deadlineDays, lastDueDate };
}

function unlessNotCovered<T>(count: () => T): T | null {
  try {
    return count();
  } catch (error) {
    if (CalendarYearNotCovered.is(error)) return null;
    throw error;
  }
}

/** Per-jurisdiction rules: a default and overrides by administrative division code (province, city or county). */
export interface TimelinessRules {
  default: TimelinessRule;
  byRegion?: Readonly<Record<string, TimelinessRule>>;
}

/**
 * The rule of the most specific jurisdiction that has one: the county (350102), then its city (350100), then its
 * province (350000), then the default.
 */
export function ruleForRegion(rules: TimelinessRules, region: string | undefined): TimelinessRule {
  if (region === undefined || rules.byRegion === undefined) return rules.default;
  const candidates = [region, `${region.slice(0, 4)}00`, `${region.slice(0, 2)}0000`];
  for (const code of candidates) {
    const rule = rules.byRegion[code];
    if (rule !== undefined) return rule;
  }
  return rules.default;
}

/** Each department's rule, by the region of its jurisdiction (the catalogue's `region` of the department). */
export function ruleByDepartment(
  rules: TimelinessRules,
  departments: readonly { code: string; region: string }[],
): (department: string) => TimelinessRule {
  const regions = new Map(departments.map((department) => [department.code, department.region]));
  return (department) => ruleForRegion(rules, regions.get(department));
}

/** How many records of a department were decided on one day and first received on another. */
export interface ArrivalCount {
  decisionDate: string;
  receivedDate: string;
  records: number;
}

export interface TimelinessSummary {
  records: number;
  onTime: number;
  late: number;
  unmeasured: number;
  /** onTime / (onTime + late); null when nothing was measurable. */
  onTimeShare: number | null;
  maxDays: number | null;
}

/**
 * Sums a department's arrivals. The input is grouped by (decision date, received date), so the work is the number of
 * distinct date pairs — a few thousand per department and quarter however many records there are.
 */
export function summariseTimeliness(
  calendar: WorkingCalendar,
  rule: TimelinessRule,
  arrivals: readonly ArrivalCount[],
): TimelinessSummary {
  const summary = { records: 0, onTime: 0, late: 0, unmeasured: 0, maxDays: null as number | null };
  for (const arrival of arrivals) {
    summary.records += arrival.records;
    const result = timeliness(calendar, rule, arrival.decisionDate, arrival.receivedDate);
    if (!result.measured) {
      summary.unmeasured += arrival.records;
      continue;
    }
    if (result.onTime) summary.onTime += arrival.records;
    else summary.late += arrival.records;
    summary.maxDays = Math.max(summary.maxDays ?? 0, result.days);
  }
  const measured = summary.onTime + summary.late;
  return { ...summary, onTimeShare: measured === 0 ? null : summary.onTime / measured };
}
