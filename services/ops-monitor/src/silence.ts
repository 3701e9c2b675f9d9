import {
  CalendarYearNotCovered,
  type DayCounting,
  daysBetween,
  type WorkingCalendar,
} from '@credit/calendar';

/**
 * When a department counts as silent. Its usual rhythm is a percentile of the gaps between its recent reporting days;
 * the alert fires when the days since its last reporting day exceed `multiple` times that, and never below
 * `floorDays` (a department reporting every day would otherwise alert after one quiet day).
 */
export interface SilencePolicy {
  multiple: number;
  floorDays: number;
  /** 0.5 is the median gap; higher tolerates departments that report in bursts. */
  percentile: number;
  /** Fewer gaps than this is no rhythm yet: the floor alone applies. */
  minGaps: number;
  /**
   * Working days (the default) so that weekends and the 8-day 国庆 break do not look like silence; calendar days for
   * jurisdictions that count them.
   */
  counting: DayCounting;
}

export const DEFAULT_SILENCE_POLICY: SilencePolicy = {
  multiple: 3,
  floorDays: 2,
  percentile: 0.5,
  minGaps: 3,
  counting: 'working-days',
};

export interface Silence {
  /** The last China day the department reported on; null when it never did. */
  lastReportingDay: string | null;
  /** Days after the last reporting day up to today; null when it never reported. */
  silentDays: number | null;
  /** The usual gap between reporting days; null when there are too few to tell. */
  usualGapDays: number | null;
  thresholdDays: number;
  alert: boolean;
}

/**
 * The department's silence on `today` (a China date) from its reporting days (China dates with at least one message,
 * any order, duplicates allowed). A department that never reported does not alert here: it has no rhythm to break,
 * and the quarterly report shows it with no records.
 */
export function assessSilence(
  calendar: WorkingCalendar,
  reportingDays: readonly string[],
  today: string,
  policy: SilencePolicy = DEFAULT_SILENCE_POLICY,
): Silence {
  const days = [...new Set(reportingDays)].filter((day) => day <= today).sort();
  const last = days.at(-1);
  if (last === undefined) {
    return {
      lastReportingDay: null,
      silentDays: null,
      usualGapDays: null,
      thresholdDays: policy.floorDays,
      alert: false,
    };
  }
  const count = dayCounter(calendar, policy.counting);
  const gaps = days.slice(1).map((day, index) => count(days[index] as string, day));
  const usualGapDays = gaps.length >= policy.minGaps ? percentile(gaps, policy.percentile) : null;
  // Too few gaps to call one usual: the longest seen stands in, so a monthly reporter is not flagged every month.
  const basis = usualGapDays ?? (gaps.length > 0 ? Math.max(...gaps) : 0);
  const thresholdDays = Math.max(policy.floorDays, policy.multiple * basis);
  const silentDays = count(last, today);
  return {
    lastReportingDay: last,
    silentDays,
    usualGapDays,
    thresholdDays,
    alert: silentDays > thresholdDays,
  };
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
}

/**
 * Working days fall back to calendar days outside the holiday file's years: an approximate alert is better than
 * none, unlike the timeliness figure, which is published and must not be guessed.
 */
function dayCounter(calendar: WorkingCalendar, counting: DayCounting): (from: string, to: string) => number {
  return (from, to) => {
    try {
      return daysBetween(calendar, from, to, counting);
    } catch (error) {
      if (!CalendarYearNotCovered.is(error)) throw error;
      return daysBetween(calendar, from, to, 'calendar-days');
    }
  };
}
