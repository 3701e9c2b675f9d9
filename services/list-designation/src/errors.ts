import { defineError } from '@credit/errors';

/**
 * Why a lifecycle event was refused. Each message names the entry, the state, the event and the reason; the same
 * three travel in `details` so an API can answer with them.
 */
export const IllegalTransition = defineError<[entryId: string, event: string, state: string, why: string]>(
  'LIST_ILLEGAL_TRANSITION',
  409,
  'list entry %s: event %s is not allowed in state %s: %s',
);
export const EntryExited = defineError<[entryId: string, event: string, state: string, why: string]>(
  'LIST_ENTRY_EXITED',
  409,
  'list entry %s: event %s is not allowed in state %s: %s',
);
export const NoticeRequired = defineError<[entryId: string, event: string, state: string, why: string]>(
  'LIST_NOTICE_REQUIRED',
  409,
  'list entry %s: event %s is not allowed in state %s: %s',
);
export const NotRepairable = defineError<[entryId: string, event: string, state: string, why: string]>(
  'LIST_NOT_REPAIRABLE',
  409,
  'list entry %s: event %s is not allowed in state %s: %s',
);
export const RepairTooEarly = defineError<[entryId: string, event: string, state: string, why: string]>(
  'LIST_REPAIR_TOO_EARLY',
  409,
  'list entry %s: event %s is not allowed in state %s: %s',
);
export const NotExpired = defineError<[entryId: string, event: string, state: string, why: string]>(
  'LIST_NOT_EXPIRED',
  409,
  'list entry %s: event %s is not allowed in state %s: %s',
);
export const InvalidEvent = defineError<[entryId: string, event: string, state: string, why: string]>(
  'LIST_INVALID_EVENT',
  400,
  'list entry %s: event %s is not allowed in state %s: %s',
);

export const EntryNotFound = defineError<[entryId: string]>('LIST_ENTRY_NOT_FOUND', 404, 'no list entry %s');
export const BackfillNotFound = defineError<[id: string]>('LIST_BACKFILL_NOT_FOUND', 404, 'no backfill %s');
export const Forbidden = defineError<[actor: string, action: string, why: string]>(
  'LIST_FORBIDDEN',
  403,
  '%s may not %s: %s',
);
export const InvalidPeriod = defineError<[from: string, to: string]>(
  'LIST_INVALID_PERIOD',
  400,
  'from %s to %s is not a period: from and to must be real YYYY-MM-DD dates, from not after to',
);
export const PeriodTooLong = defineError<[from: string, to: string, days: number, max: number]>(
  'LIST_PERIOD_TOO_LONG',
  400,
  'from %s to %s spans %d days; the timeliness report covers at most %d days (a year) per request',
);
