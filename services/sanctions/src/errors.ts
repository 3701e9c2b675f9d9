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
export const CheckAlreadyDecided = defineError<[checkId: string]>(
  'SANCTIONS_CHECK_DECIDED',
  409,
  'check %s already has its decision',
);
