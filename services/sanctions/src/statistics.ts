import { isCalendarDate } from '@credit/calendar';
import { inTransaction } from '@credit/db';
import { type CsvColumn, spreadsheetCsv } from '@credit/kit';
import type pg from 'pg';
import { InvalidPeriod, PeriodTooLong } from './errors.ts';

/** The longest period one request covers: the yearly effect report (a leap year's 366 days) is the longest asked. */
export const STATISTICS_MAX_DAYS = 366;
/**
 * A statistics query reads every check and order of its period (a busy year is millions of checks): bounded per
 * statement, on the shared pool, so that it gives its connection back to the checks in time.
 */
const STATEMENT_TIMEOUT_MS = 15_000;

/** The effect figures the documents ask to report upward (反馈实施成效), per department for a period. */
export interface DepartmentFigures {
  department: string;
  checks: number;
  checksWithHits: number;
  checksWithDecision: number;
  ordersIssued: number;
  ordersAcknowledged: number;
  ordersFedBack: number;
  measuresApplied: number;
  /** Orders not acknowledged by their due date: still waiting, or acknowledged late. */
  acknowledgementsOverdue: number;
  feedbackMissing: number;
  /** Orders fed back among those whose feedback is due or given; null when none is. */
  feedbackCompleteness: number | null;
}

/** [from, to], China days: real dates, in order, at most STATISTICS_MAX_DAYS long; a coded 400 otherwise. */
export function checkPeriod(from: string, to: string): void {
  if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) throw InvalidPeriod(from, to);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > STATISTICS_MAX_DAYS) throw PeriodTooLong(from, to, days, STATISTICS_MAX_DAYS);
}

/**
 * Checks count for the calling department; orders for the implementing department, made in [from, to] (China
 * days; checkPeriod first). Overdue and missing are judged at `today`.
 */
export async function statistics(
  pool: pg.Pool,
  from: string,
  to: string,
  today: string,
): Promise<DepartmentFigures[]> {
  const result = await inTransaction(pool, async (client) => {
    await client.query(`set local statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
    return client.query<{
      department: string;
      checks: number;
      hits: number;
      decided: number;
      issued: number;
      acknowledged: number;
      fed_back: number;
      applied: number;
      ack_overdue: number;
      feedback_missing: number;
      feedback_due_or_given: number;
    }>(
      `with c as (
       select coalesce(caller_department, caller) as department, count(*)::int as checks,
              count(*) filter (where hit)::int as hits, count(*) filter (where decided_at is not null)::int as decided
         from checks where at >= $1::date::timestamp at time zone 'Asia/Shanghai'
           and at < ($2::date + 1)::timestamp at time zone 'Asia/Shanghai' group by 1),
     o as (
       select department, count(*)::int as issued,
              count(*) filter (where acknowledged_at is not null)::int as acknowledged,
              count(*) filter (where fed_back_at is not null)::int as fed_back,
              count(*) filter (where (feedback ->> 'measureApplied')::boolean)::int as applied,
              count(*) filter (where (status = 'issued' and acknowledge_due < $3::date)
                or (acknowledged_at at time zone 'Asia/Shanghai')::date > acknowledge_due)::int as ack_overdue,
              count(*) filter (where status in ('issued', 'acknowledged') and feedback_due < $3::date)::int
                as feedback_missing,
              count(*) filter (where fed_back_at is not null
                or (status in ('issued', 'acknowledged') and feedback_due < $3::date))::int as feedback_due_or_given
         from orders where issued_at >= $1::date::timestamp at time zone 'Asia/Shanghai'
           and issued_at < ($2::date + 1)::timestamp at time zone 'Asia/Shanghai' group by 1)
     select coalesce(c.department, o.department) as department, coalesce(c.checks, 0) as checks,
            coalesce(c.hits, 0) as hits, coalesce(c.decided, 0) as decided, coalesce(o.issued, 0) as issued,
            coalesce(o.acknowledged, 0) as acknowledged, coalesce(o.fed_back, 0) as fed_back,
            coalesce(o.applied, 0) as applied, coalesce(o.ack_overdue, 0) as ack_overdue,
            coalesce(o.feedback_missing, 0) as feedback_missing,
            coalesce(o.feedback_due_or_given, 0) as feedback_due_or_given
       from c full join o on c.department = o.department
      order by 1`,
      [from, to, today],
    );
  });
  return result.rows.map((row) => ({
    department: row.department,
    checks: row.checks,
    checksWithHits: row.hits,
    checksWithDecision: row.decided,
    ordersIssued: row.issued,
    ordersAcknowledged: row.acknowledged,
    ordersFedBack: row.fed_back,
    measuresApplied: row.applied,
    acknowledgementsOverdue: row.ack_overdue,
    feedbackMissing: row.feedback_missing,
    feedbackCompleteness: row.feedback_due_or_given === 0 ? null : row.fed_back / row.feedback_due_or_given,
  }));
}

const COLUMNS: readonly CsvColumn<DepartmentFigures>[] = [
  ['department', '部门'],
  ['checks', '核查次数'],
  ['checksWithHits', '命中次数'],
  ['checksWithDecision', '已反馈决定的核查'],
  ['ordersIssued', '发起措施'],
  ['ordersAcknowledged', '已响应'],
  ['ordersFedBack', '已反馈'],
  ['measuresApplied', '已实施措施'],
  ['acknowledgementsOverdue', '响应超期'],
  ['feedbackMissing', '反馈缺失'],
  ['feedbackCompleteness', '反馈完整率'],
].map(([key, title]) => {
  const field = key as keyof DepartmentFigures;
  return {
    key: field,
    title: title as string,
    value: (row: DepartmentFigures) => {
      const value = row[field];
      return field === 'feedbackCompleteness' && typeof value === 'number' ? value.toFixed(4) : value;
    },
  };
});

/** The same figures as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese header). */
export function statisticsCsv(rows: readonly DepartmentFigures[]): string {
  return spreadsheetCsv(COLUMNS, rows);
}
