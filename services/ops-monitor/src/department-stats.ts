import { isCalendarDate, type WorkingCalendar } from '@credit/calendar';
import type pg from 'pg';
import { InvalidPeriod, PeriodTooLong } from './errors.ts';
import { assessSilence, DEFAULT_SILENCE_POLICY, type Silence, type SilencePolicy } from './silence.ts';
import {
  type ArrivalCount,
  DOUBLE_PUBLICITY_KINDS,
  summariseTimeliness,
  type TimelinessRule,
  type TimelinessSummary,
} from './timeliness.ts';

/** Read-only: the ops monitor reads the aggregator's tables and never writes them. */
const RECORDS = 'aggregator.records';
const INGEST_ERRORS = 'aggregator.ingest_errors';

/**
 * The longest period a report covers: a year (366 days with a leap day), what a yearly assessment of departments'
 * reporting needs; the quarterly 通报 is 92 days at most, the dashboard 31. A longer one reads records for years and
 * returns an hour bucket per department for each of its hours.
 */
export const MAX_PERIOD_DAYS = 366;

/** A China-time [from, to) period: `from` and `to` are China dates, `to` excluded. */
export interface Period {
  from: string;
  to: string;
}

export interface CountAt {
  /** A China hour (`2025-10-09T14`) or China date (`2025-10-09`). */
  at: string;
  count: number;
}

export interface DepartmentStats {
  department: string;
  /** Records first stored in the period (new records; later versions of a record are not counted again). */
  received: number;
  receivedByDay: CountAt[];
  receivedByHour: CountAt[];
  /** Messages the aggregator refused (each also dead-lettered to credit.dlq), by reason code. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** 双公示 records first stored in the period, judged against their decision date. */
  doublePublicity: TimelinessSummary;
  /** The latest message from the department before the period's end, accepted or refused; null: none. */
  lastReportedAt: Date | null;
}

export interface DepartmentStatsReport extends Period {
  departments: DepartmentStats[];
  /** Refused messages whose department could not be read (undecodable envelope), by reason code. */
  unattributedRejections: Record<string, number>;
}

export interface DepartmentStatsOptions {
  calendar: WorkingCalendar;
  /** The timeliness rule of each department's jurisdiction. */
  ruleFor(department: string): TimelinessRule;
  /** Departments to report even with no activity (the catalogue's), besides those seen. */
  departments?: readonly string[];
}

/**
 * Per department over a period: volume, refusals by reason and 双公示 timeliness. Records are assigned to the period in
 * which they first reached the platform, so a quarter's figures are final once the quarter is over.
 *
 * Timeliness is computed in TypeScript over one row per (department, decision date, received date) with a count:
 * the holiday arithmetic stays in packages/calendar (no second copy as a SQL calendar table), and the rows grow with
 * distinct date pairs, not with records — a million records in a quarter is still a few thousand rows.
 */
export async function departmentStats(
  pool: pg.Pool,
  period: Period,
  options: DepartmentStatsOptions,
): Promise<DepartmentStatsReport> {
  checkPeriod(period);
  const args = [period.from, period.to];

  const [hours, rejections, arrivals, last] = await Promise.all([
    pool.query<{ department: string; hour: string; count: number }>(
      `select department, to_char(date_trunc('hour', first_stored_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD"T"HH24') as hour,
              count(*)::int as count
         from ${RECORDS} where ${inPeriod('first_stored_at')}
        group by 1, 2 order by 1, 2`,
      args,
    ),
    pool.query<{ department: string | null; reason_code: string; count: number }>(
      `select department, reason_code, count(*)::int as count
         from ${INGEST_ERRORS} where ${inPeriod('received_at')}
        group by 1, 2`,
      args,
    ),
    pool.query<{ department: string; decision_date: string; received_date: string; records: number }>(
      `select department, decision_date::text as decision_date,
              (first_stored_at at time zone 'Asia/Shanghai')::date::text as received_date, count(*)::int as records
         from ${RECORDS} where kind = any($3::text[]) and ${inPeriod('first_stored_at')}
        group by 1, 2, 3`,
      [...args, DOUBLE_PUBLICITY_KINDS],
    ),
    pool.query<{ department: string; at: Date }>(
      `select department, max(at) as at from (
         select department, max(first_stored_at) as at from ${RECORDS}
          where first_stored_at < $1::date::timestamp at time zone 'Asia/Shanghai' group by 1
         union all
         select department, max(received_at) from ${INGEST_ERRORS}
          where department is not null and received_at < $1::date::timestamp at time zone 'Asia/Shanghai' group by 1
       ) as latest group by 1`,
      [period.to],
    ),
  ]);

  const byDepartment = new Map<string, DepartmentStats>();
  const statsOf = (department: string): DepartmentStats => {
    let stats = byDepartment.get(department);
    if (stats === undefined) {
      stats = {
        department,
        received: 0,
        receivedByDay: [],
        receivedByHour: [],
        rejected: 0,
        rejectedByReason: {},
        doublePublicity: summariseTimeliness(options.calendar, options.ruleFor(department), []),
        lastReportedAt: null,
      };
      byDepartment.set(department, stats);
    }
    return stats;
  };
  for (const department of options.departments ?? []) statsOf(department);

  for (const row of hours.rows) {
    const stats = statsOf(row.department);
    stats.received += row.count;
    stats.receivedByHour.push({ at: row.hour, count: row.count });
    const day = row.hour.slice(0, 10);
    const lastDay = stats.receivedByDay.at(-1);
    if (lastDay?.at === day) lastDay.count += row.count;
    else stats.receivedByDay.push({ at: day, count: row.count });
  }

  const unattributedRejections: Record<string, number> = {};
  for (const row of rejections.rows) {
    if (row.department === null) {
      unattributedRejections[row.reason_code] = (unattributedRejections[row.reason_code] ?? 0) + row.count;
      continue;
    }
    const stats = statsOf(row.department);
    stats.rejected += row.count;
    stats.rejectedByReason[row.reason_code] = row.count;
  }

  const arrivalsOf = new Map<string, ArrivalCount[]>();
  for (const row of arrivals.rows) {
    const list = arrivalsOf.get(row.department) ?? [];
    list.push({ decisionDate: row.decision_date, receivedDate: row.received_date, records: row.records });
    arrivalsOf.set(row.department, list);
  }
  for (const [department, list] of arrivalsOf) {
    statsOf(department).doublePublicity = summariseTimeliness(
      options.calendar,
      options.ruleFor(department),
      list,
    );
  }

  // Only for departments already in the report: one that sent nothing in the period is listed via `departments`.
  for (const row of last.rows) {
    const stats = byDepartment.get(row.department);
    if (stats !== undefined) stats.lastReportedAt = row.at;
  }

  return {
    ...period,
    departments: [...byDepartment.values()].sort((a, b) => a.department.localeCompare(b.department)),
    unattributedRejections,
  };
}

/**
 * The China days each department sent anything on (accepted or refused) in [from, to), ascending: the history its
 * usual rhythm is read from.
 */
export async function reportingDays(pool: pg.Pool, period: Period): Promise<Map<string, string[]>> {
  checkPeriod(period);
  const result = await pool.query<{ department: string; days: string[] }>(
    `select department, array_agg(day::text order by day) as days from (
       select department, (first_stored_at at time zone 'Asia/Shanghai')::date as day
         from ${RECORDS} where ${inPeriod('first_stored_at')}
       union
       select department, (received_at at time zone 'Asia/Shanghai')::date
         from ${INGEST_ERRORS} where department is not null and ${inPeriod('received_at')}
     ) as days group by 1`,
    [period.from, period.to],
  );
  return new Map(result.rows.map((row) => [row.department, row.days]));
}

export interface SilenceOptions {
  calendar: WorkingCalendar;
  policy?: SilencePolicy;
  /** How far back the usual rhythm is read, in calendar days. */
  historyDays?: number;
  /** Departments to judge besides those with history (never-reporting ones come back with no alert). */
  departments?: readonly string[];
}

/** Each department's silence on `today` (a China date), from its reporting days in the `historyDays` before. */
export async function departmentSilences(
  pool: pg.Pool,
  today: string,
  options: SilenceOptions,
): Promise<Map<string, Silence>> {
  const from = shiftDate(today, -(options.historyDays ?? 90));
  const [history, lastDays] = await Promise.all([
    reportingDays(pool, { from, to: shiftDate(today, 1) }),
    lastReportingDays(pool, today),
  ]);
  // A department quiet for longer than the history window still has its last day, so its silence is still seen.
  for (const [department, day] of lastDays) {
    if (day < from) history.set(department, [day, ...(history.get(department) ?? [])]);
  }
  const departments = new Set([...(options.departments ?? []), ...history.keys()]);
  return new Map(
    [...departments].map((department) => [
      department,
      assessSilence(
        options.calendar,
        history.get(department) ?? [],
        today,
        options.policy ?? DEFAULT_SILENCE_POLICY,
      ),
    ]),
  );
}

/**
 * Each department's last reporting day up to `today`, however long ago. Reporting is a record first reaching the
 * platform (first_stored_at: set once; the aggregator's own rewrites such as expiry move stored_at, not this) or a
 * refused message.
 */
async function lastReportingDays(pool: pg.Pool, today: string): Promise<Map<string, string>> {
  const result = await pool.query<{ department: string; day: string }>(
    `select department, max(day)::text as day from (
       select department, (max(first_stored_at) at time zone 'Asia/Shanghai')::date as day from ${RECORDS}
        where first_stored_at < ($1::date + 1)::timestamp at time zone 'Asia/Shanghai' group by 1
       union all
       select department, (max(received_at) at time zone 'Asia/Shanghai')::date from ${INGEST_ERRORS}
        where department is not null and received_at < ($1::date + 1)::timestamp at time zone 'Asia/Shanghai' group by 1
     ) as days group by 1`,
    [today],
  );
  return new Map(result.rows.map((row) => [row.department, row.day]));
}

/** A China date `days` calendar days later (earlier when negative). */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** `column` within [$1, $2), both China dates. */
function inPeriod(column: string): string {
  return `${column} >= $1::date::timestamp at time zone 'Asia/Shanghai'
      and ${column} < $2::date::timestamp at time zone 'Asia/Shanghai'`;
}

/** A real [from, to) of at most MAX_PERIOD_DAYS; a coded 400 otherwise. */
export function checkPeriod(period: Period): void {
  // A real date, not only its shape: 2025-02-30 would otherwise reach PostgreSQL's ::date as a 500.
  if (!isCalendarDate(period.from) || !isCalendarDate(period.to) || period.from >= period.to) {
    throw InvalidPeriod(period.from, period.to);
  }
  const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000;
  if (days > MAX_PERIOD_DAYS) throw PeriodTooLong(period.from, period.to, days, MAX_PERIOD_DAYS);
}
