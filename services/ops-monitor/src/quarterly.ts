import { chinaDateTime, isCalendarDate, type WorkingCalendar } from '@credit/calendar';
import type { Department } from '@credit/catalogue';
import type pg from 'pg';
import { type DepartmentStats, departmentSilences, departmentStats, shiftDate } from './department-stats.ts';
import { InvalidQuarter } from './errors.ts';
import type { SilencePolicy } from './silence.ts';
import {
  ruleByDepartment,
  type TimelinessRule,
  type TimelinessRules,
  type TimelinessSummary,
} from './timeliness.ts';

/** A calendar quarter as China dates [from, to). */
export interface Quarter {
  name: string;
  from: string;
  to: string;
}

const QUARTER = /^(\d{4})Q([1-4])$/;

export function parseQuarter(text: string): Quarter {
  const match = QUARTER.exec(text);
  if (match === null) throw InvalidQuarter(text);
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const month = (q: number) => String((q - 1) * 3 + 1).padStart(2, '0');
  const to = quarter === 4 ? `${year + 1}-01-01` : `${year}-${month(quarter + 1)}-01`;
  const from = `${year}-${month(quarter)}-01`;
  // 0000Q1 or 9999Q4 would reach PostgreSQL as dates it refuses (a 500).
  if (!isCalendarDate(from) || !isCalendarDate(to)) throw InvalidQuarter(text);
  return { name: text, from, to };
}

export interface ReasonCount {
  code: string;
  count: number;
}

export interface QuarterlyRow {
  /** 1 = best; see rankDepartments. */
  rank: number;
  department: string;
  name: string;
  region: string;
  received: number;
  rejected: number;
  /** The three commonest refusal reasons. */
  topReasons: ReasonCount[];
  rule: TimelinessRule;
  doublePublicity: TimelinessSummary;
  lastReportedAt: Date | null;
  /** Days since the last reporting day, at the quarter's end (or today while it runs); null: never reported. */
  silentDays: number | null;
  silenceAlert: boolean;
  /** The 双公示 on-time share in percent, one decimal; null when no 双公示 record could be measured. */
  score: number | null;
}

export interface QuarterlyReport {
  quarter: Quarter;
  /** The China date silence is judged at. */
  asOf: string;
  calendarVersion: string;
  rows: QuarterlyRow[];
}

export interface QuarterlyOptions {
  calendar: WorkingCalendar;
  rules: TimelinessRules;
  /** The catalogue's departments: every one is in the report, whether it reported or not. */
  departments: readonly Department[];
  /** Today in China; silence is judged at the earlier of today and the quarter's last day. */
  today: string;
  silencePolicy?: SilencePolicy;
}

/** The quarterly 通报 on departments' reporting: one ranked row per department. */
export async function quarterlyReport(
  pool: pg.Pool,
  quarterName: string,
  options: QuarterlyOptions,
): Promise<QuarterlyReport> {
  const quarter = parseQuarter(quarterName);
  const known = new Map(options.departments.map((department) => [department.code, department]));
  const ruleFor = ruleByDepartment(options.rules, options.departments);
  const codes = [...known.keys()];
  const lastDay = shiftDate(quarter.to, -1);
  // biome-ignore lint/complexity/useMathMinMax: YYYY-MM-DD strings compare as dates; Math.min would make NaN.
  const asOf = options.today < lastDay ? options.today : lastDay;
  const [stats, silences] = await Promise.all([
    departmentStats(pool, quarter, { calendar: options.calendar, ruleFor, departments: codes }),
    departmentSilences(pool, asOf, {
      calendar: options.calendar,
      departments: codes,
      ...(options.silencePolicy ? { policy: options.silencePolicy } : {}),
    }),
  ]);
  const rows = stats.departments.map((entry) => {
    const department = known.get(entry.department);
    const silence = silences.get(entry.department);
    return {
      ...unranked(entry, ruleFor(entry.department)),
      name: department?.name ?? entry.department,
      region: department?.region ?? '',
      silentDays: silence?.silentDays ?? null,
      silenceAlert: silence?.alert ?? false,
    };
  });
  return { quarter, asOf, calendarVersion: options.calendar.version, rows: rankDepartments(rows) };
}

function unranked(stats: DepartmentStats, rule: TimelinessRule) {
  const share = stats.doublePublicity.onTimeShare;
  return {
    department: stats.department,
    received: stats.received,
    rejected: stats.rejected,
    topReasons: Object.entries(stats.rejectedByReason)
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, 3),
    rule,
    doublePublicity: stats.doublePublicity,
    lastReportedAt: stats.lastReportedAt,
    score: share === null ? null : Math.round(share * 1000) / 10,
  };
}

/**
 * The ranking of the 通报: by score (the 双公示 on-time share; departments with nothing measurable last), then by
 * volume received, then by the lower refusal rate, then by department code so the order is stable. Silence and
 * refusals are shown beside the rank but do not move it except as tie-breakers: the documents rank on timeliness.
 */
export function rankDepartments(rows: readonly Omit<QuarterlyRow, 'rank'>[]): QuarterlyRow[] {
  const refusalRate = (row: Omit<QuarterlyRow, 'rank'>) =>
    row.received + row.rejected === 0 ? 0 : row.rejected / (row.received + row.rejected);
  return [...rows]
    .sort(
      (a, b) =>
        (b.score ?? -1) - (a.score ?? -1) ||
        b.received - a.received ||
        refusalRate(a) - refusalRate(b) ||
        a.department.localeCompare(b.department),
    )
    .map((row, index) => ({ ...row, rank: index + 1 }));
}

/** How a rule reads in the report: 7个工作日 or 7天 (the documents' own wording). */
export function ruleLabel(rule: TimelinessRule): string {
  return rule.counting === 'working-days' ? `${rule.deadlineDays}个工作日` : `${rule.deadlineDays}天`;
}

/** A time as China wall-clock time to the minute, `2025-10-13 09:30`. */
export function chinaMinute(at: Date): string {
  return chinaDateTime(at).slice(0, 16);
}
