import { defineError } from '@credit/errors';

/** The ops monitor’s errors; the same codes appear in HTTP answers and logs. */
export const InvalidPeriod = defineError<[from: string, to: string]>(
  'OPS_INVALID_PERIOD',
  400,
  'the period from %s to %s is not valid: from and to must be YYYY-MM-DD China dates with from before to',
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
