import { codedErrorOf } from '@credit/testing';
import { describe, expect, it } from 'vitest';
import { nextStatus, type OrderAction, type OrderStatus } from '../src/order-status.ts';

const order = (status: OrderStatus, suspendedFrom: OrderStatus | null = null) => ({
  id: 'ord_1',
  status,
  suspendedFrom,
});
type Action = Exclude<OrderAction, 'issue'>;

describe('an order (发起 → 响应 → 反馈)', () => {
  it.each<[OrderStatus, Action, OrderStatus, OrderStatus | null]>([
    ['issued', 'acknowledge', 'acknowledged', null],
    ['issued', 'feedback', 'fed-back', null],
    ['acknowledged', 'feedback', 'fed-back', null],
    ['issued', 'suspend', 'suspended', null],
    ['acknowledged', 'suspend', 'suspended', null],
    ['fed-back', 'suspend', 'suspended', null],
    ['suspended', 'resume', 'acknowledged', 'acknowledged'],
    ['suspended', 'resume', 'issued', 'issued'],
    ['issued', 'withdraw', 'withdrawn', null],
    ['suspended', 'withdraw', 'withdrawn', 'issued'],
    ['fed-back', 'cancel', 'cancelled', null],
    ['suspended', 'cancel', 'cancelled', 'fed-back'],
  ])('%s --%s--> %s', (from, action, to, suspendedFrom) => {
    expect(nextStatus(order(from, suspendedFrom), action).status).toBe(to);
  });

  it.each<[OrderStatus, Action]>([
    ['acknowledged', 'acknowledge'],
    ['fed-back', 'acknowledge'],
    ['fed-back', 'feedback'],
    ['suspended', 'acknowledge'],
    ['suspended', 'feedback'],
    ['suspended', 'suspend'],
    ['issued', 'resume'],
    ['withdrawn', 'acknowledge'],
    ['withdrawn', 'withdraw'],
    ['cancelled', 'resume'],
    ['cancelled', 'cancel'],
  ])('refuses %s --%s--> with a 409 naming both', (status, action) => {
    const error = codedErrorOf(() => nextStatus(order(status), action), 'SANCTIONS_ORDER_STATE');
    expect(error.statusCode).toBe(409);
    expect(error.message).toBe(`order ord_1: ${action} is not possible while the order is ${status}`);
  });

  it('takes an answer on a suspended order, which returns to it when resumed', () => {
    const acknowledged = nextStatus(order('suspended', 'issued'), 'acknowledge');
    expect(acknowledged).toEqual({ status: 'suspended', suspendedFrom: 'acknowledged' });
    const fedBack = nextStatus({ id: 'ord_1', ...acknowledged }, 'feedback');
    expect(fedBack).toEqual({ status: 'suspended', suspendedFrom: 'fed-back' });
    expect(nextStatus({ id: 'ord_1', ...fedBack }, 'resume')).toEqual({
      status: 'fed-back',
      suspendedFrom: null,
    });
  });

  it('cannot resume a suspended order that does not know where it was', () => {
    codedErrorOf(() => nextStatus(order('suspended', null), 'resume'), 'SANCTIONS_ORDER_STATE');
  });
});
