import { defineError } from '@credit/errors';

/** The ops monitor’s errors; the same codes appear in HTTP answers and logs. */
export const InvalidPeriod = defineError<[from: string, to: string]>(
  'OPS_INVALID_PERIOD',
  400,
  'the period from %s to %s is not valid: from and to must be YYYY-MM-DD China dates with from before to',
);

export const PeriodTooLong = defineError<[from: string, to: string, days: number, max: number]>(
  'OPS_PERIOD_TOO_LONG',
  400,
  'the period from %s to %s spans %d days; a report covers at most %d days (a year) per request',
);

/** Throw with `.with({ retryAfterSeconds }, undefined, what, why)`: the kit's error answer adds Retry-After. */
export const Busy = defineError<[what: string, why: string]>(
  'OPS_BUSY',
  503,
  'too many %s requests at once (%s); retry after the Retry-After seconds',
);

export const InvalidQuarter = defineError<[quarter: string]>(
  'OPS_INVALID_QUARTER',
  400,
  'quarter %s is not valid: it must be written YYYYQn with n from 1 to 4, e.g. 2026Q3',
);

export const GroupListingFailed = defineError(
  'OPS_LAG_GROUPS_UNAVAILABLE',
  503,
  'the consumer groups of the cluster could not be listed: %s',
);

export const GroupLagCollectionFailed = defineError(
  'OPS_LAG_COLLECTION_FAILED',
  503,
  'the lag of consumer group %s could not be collected: %s',
);

export const InvalidDlqParameter = defineError<[name: string, value: string, rule: string]>(
  'OPS_DLQ_INVALID_PARAMETER',
  400,
  '%s %s is not valid: %s',
);

export const ReplayNeedsFilter = defineError<[]>(
  'OPS_DLQ_REPLAY_UNFILTERED',
  400,
  'a replay needs department, reason or ids to choose the dead letters; replaying everything needs all: true',
);

export const DlqForbidden = defineError<[actor: string, action: string, roles: string]>(
  'OPS_DLQ_FORBIDDEN',
  403,
  '%s may not %s: it needs one of the roles %s',
);

export const InvalidTimelinessRules = defineError<[why: string]>(
  'OPS_INVALID_TIMELINESS_RULES',
  500,
  'TIMELINESS_BY_REGION is invalid: %s',
);
