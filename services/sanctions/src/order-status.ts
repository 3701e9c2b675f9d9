import { OrderStateConflict } from './errors.ts';

/**
 * An order's life (发起 → 响应 → 反馈): issued to an implementing department, acknowledged (响应), fed back (反馈:
 * what the department did). While an objection on the listing is verified the order is suspended (暂不执行) and
 * returns to where it was, or ends: withdrawn when the subject leaves the list, cancelled when the listing was wrong.
 */
export type OrderStatus = 'issued' | 'acknowledged' | 'fed-back' | 'suspended' | 'withdrawn' | 'cancelled';
export type OrderAction = 'issue' | 'acknowledge' | 'feedback' | 'suspend' | 'resume' | 'withdraw' | 'cancel';

const LIVE: readonly OrderStatus[] = ['issued', 'acknowledged', 'fed-back'];

export function isEnded(status: OrderStatus): boolean {
  return status === 'withdrawn' || status === 'cancelled';
}

/** The status after `action`, or a 409 naming the order, the action and the status it is in. */
export function nextStatus(
  order: { id: string; status: OrderStatus; suspendedFrom: OrderStatus | null },
  action: Exclude<OrderAction, 'issue'>,
): OrderStatus {
  const refuse = () => OrderStateConflict(order.id, action, order.status);
  switch (action) {
    case 'acknowledge':
      if (order.status !== 'issued') throw refuse();
      return 'acknowledged';
    case 'feedback':
      if (order.status !== 'issued' && order.status !== 'acknowledged') throw refuse();
      return 'fed-back';
    case 'suspend':
      if (!LIVE.includes(order.status)) throw refuse();
      return 'suspended';
    case 'resume':
      if (order.status !== 'suspended' || order.suspendedFrom === null) throw refuse();
      return order.suspendedFrom;
    case 'withdraw':
      if (isEnded(order.status)) throw refuse();
      return 'withdrawn';
    case 'cancel':
      if (isEnded(order.status)) throw refuse();
      return 'cancelled';
  }
}
