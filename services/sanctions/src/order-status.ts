import { OrderStateConflict } from './errors.ts';

/**
 * An order's life (发起 → 响应 → 反馈): issued to an implementing department, acknowledged (响应), fed back (反馈:
 * what the department did). While an objection on the listing is verified the order is suspended (暂不执行) and
 * returns to where it was, or ends: withdrawn when the subject leaves the list, cancelled when the listing was wrong.
 */
export type OrderStatus = 'issued' | 'acknowledged' | 'fed-back' | 'suspended' | 'withdrawn' | 'cancelled';
export type OrderAction = 'issue' | 'acknowledge' | 'feedback' | 'suspend' | 'resume' | 'withdraw' | 'cancel';

const LIVE: readonly OrderStatus[] = ['issued', 'acknowledged', 'fed-back'];

/** Issued and not suspended or ended: the department is to act on it. */
export function isLive(status: OrderStatus): boolean {
  return LIVE.includes(status);
}

export function isEnded(status: OrderStatus): boolean {
  return status === 'withdrawn' || status === 'cancelled';
}

export interface OrderPosition {
  status: OrderStatus;
  /** Where a suspended order returns to. */
  suspendedFrom: OrderStatus | null;
}

/**
 * The position after `action`, or a 409 naming the order, the action and the status it is in. A department may
 * acknowledge or report on a suspended order: the answer counts, and the order returns to it when resumed.
 */
export function nextStatus(
  order: { id: string } & OrderPosition,
  action: Exclude<OrderAction, 'issue'>,
): OrderPosition {
  const refuse = () => OrderStateConflict(order.id, action, order.status);
  const held = order.status === 'suspended';
  const current = held ? order.suspendedFrom : order.status;
  const answered = (status: OrderStatus): OrderPosition =>
    held ? { status: 'suspended', suspendedFrom: status } : { status, suspendedFrom: null };
  switch (action) {
    case 'acknowledge':
      if (current !== 'issued') throw refuse();
      return answered('acknowledged');
    case 'feedback':
      if (current !== 'issued' && current !== 'acknowledged') throw refuse();
      return answered('fed-back');
    case 'suspend':
      if (!isLive(order.status)) throw refuse();
      return { status: 'suspended', suspendedFrom: order.status };
    case 'resume':
      if (!held || order.suspendedFrom === null) throw refuse();
      return { status: order.suspendedFrom, suspendedFrom: null };
    case 'withdraw':
      if (isEnded(order.status)) throw refuse();
      return { status: 'withdrawn', suspendedFrom: null };
    case 'cancel':
      if (isEnded(order.status)) throw refuse();
      return { status: 'cancelled', suspendedFrom: null };
  }
}
