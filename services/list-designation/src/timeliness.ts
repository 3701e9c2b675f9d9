import { isCalendarDate } from '@credit/calendar';
import type pg from 'pg';
import { InvalidPeriod, PeriodTooLong } from './errors.ts';

/** The longest period one report covers: a year with its leap day, what a yearly assessment of departments needs. */
export const TIMELINESS_MAX_DAYS = 366;

export interface DepartmentTimeliness {
  department: string;
  designations: number;
  onTime: number;
  late: number;
  /** Arrival not measurable: the calendar does not cover the year, or the record's arrival is unknown. */
  unmeasured: number;
  /** onTime / (onTime + late); null when nothing was measurable. */
  onTimeShare: number | null;
  maxWorkingDays: number | null;
}

export interface TimelinessReport {
  from: string;
  to: string;
  allowedWorkingDays: number;
  departments: DepartmentTimeliness[];
  late: {
    entryId: string;
    department: string;
    listType: string;
    designatedOn: string;
    workingDays: number;
  }[];
}

/**
 * 自认定之日起7个工作日内报送 (domain.md §3.4 item 7): per designating department, how many of its own designations
 * with a designation date in [from, to] reached the platform within the allowed working days.
 */
export async function timelinessReport(
  pool: pg.Pool,
  from: string,
  to: string,
  allowedWorkingDays: number,
): Promise<TimelinessReport> {
  // Real dates, not only their shape (2026-02-30 would reach PostgreSQL's ::date as a 500), and at most a year.
  if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) throw InvalidPeriod(from, to);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > TIMELINESS_MAX_DAYS) throw PeriodTooLong(from, to, days, TIMELINESS_MAX_DAYS);
  const perDepartment = await pool.query<{
    department: string;
    designations: number;
    on_time: number;
    late: number;
    unmeasured: number;
    max_days: number | null;
  }>(
    `select designating_department as department, count(*)::int as designations,
            count(*) filter (where working_days_to_platform <= $3)::int as on_time,
            count(*) filter (where working_days_to_platform > $3)::int as late,
            count(*) filter (where working_days_to_platform is null)::int as unmeasured,
            max(working_days_to_platform) as max_days
       from entries
      where source = 'department' and generation = 1 and designated_on between $1::date and $2::date
      group by designating_department
      order by designating_department`,
    [from, to, allowedWorkingDays],
  );
  const late = await pool.query<{
    id: string;
    department: string;
    list_type: string;
    designated_on: string;
    days: number;
  }>(
    `select id, designating_department as department, list_type, designated_on::text as designated_on,
            working_days_to_platform as days
       from entries
      where source = 'department' and generation = 1 and designated_on between $1::date and $2::date
        and working_days_to_platform > $3
      order by working_days_to_platform desc, id
      limit 200`,
    [from, to, allowedWorkingDays],
  );
  return {
    from,
    to,
    allowedWorkingDays,
    departments: perDepartment.rows.map((row) => ({
      department: row.department,
      designations: row.designations,
      onTime: row.on_time,
      late: row.late,
      unmeasured: row.unmeasured,
      onTimeShare: row.on_time + row.late === 0 ? null : row.on_time / (row.on_time + row.late),
      maxWorkingDays: row.max_days,
    })),
    late: late.rows.map((row) => ({
      entryId: row.id,
      department: row.department,
      listType: row.list_type,
      designatedOn: row.designated_on,
      workingDays: row.days,
    })),
  };
}
