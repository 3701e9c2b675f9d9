import { defineError } from '@credit/errors';

export const OrderStateConflict = defineError<[orderId: string, action: string, status: string]>(
  'SANCTIONS_ORDER_STATE',
  409,
  'order %s: %s is not possible while the order is %s',
);
export const OrderNotFound = defineError<[orderId: string]>('SANCTIONS_ORDER_NOT_FOUND', 404, 'no order %s');
export const CheckNotFound = defineError<[checkId: string]>('SANCTIONS_CHECK_NOT_FOUND', 404, 'no check %s');
export const UnknownMatterType = defineError<[matterType: string, known: string]>(
  'SANCTIONS_UNKNOWN_MATTER',
  400,
  'matter type %s is not in the measures catalogue; known: %s',
);
export const Forbidden = defineError<[actor: string, action: string, why: string]>(
  'SANCTIONS_FORBIDDEN',
  403,
  '%s may not %s: %s',
);
export const InvalidFeedbackDate = defineError<
  [orderId: string, date: string, issued: string, today: string]
>(
  'SANCTIONS_INVALID_FEEDBACK_DATE',
  400,
  'order %s: feedback date %s is not a day the measure can have been applied on: a real YYYY-MM-DD date from the order (%s) to today (%s)',
);
export const MeasuresNotOffered = defineError<[checkId: string, measures: string]>(
  'SANCTIONS_MEASURES_NOT_OFFERED',
  400,
  'check %s did not answer the measures %s: a decision applies only measures its check answered',
);
export const CheckAlreadyDecided = defineError<[checkId: string]>(
  'SANCTIONS_CHECK_DECIDED',
  409,
  'check %s already has its decision',
);
export const InvalidPeriod = defineError<[from: string, to: string]>(
  'SANCTIONS_INVALID_PERIOD',
  400,
  'from %s to %s is not a period: from and to must be real YYYY-MM-DD China dates, from not after to',
);
export const PeriodTooLong = defineError<[from: string, to: string, days: number, max: number]>(
  'SANCTIONS_PERIOD_TOO_LONG',
  400,
  'from %s to %s spans %d days; statistics cover at most %d days (a year) per request',
);
/** Throw with `.with({ retryAfterSeconds }, undefined, what, why)`: the kit's error answer adds Retry-After. */
export const Busy = defineError<[what: string, why: string]>(
  'SANCTIONS_BUSY',
  503,
  'too many %s requests at once (%s); retry after the Retry-After seconds',
);
