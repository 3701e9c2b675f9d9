import { chinaToday, isCalendarDate } from '@credit/calendar';
import { inTransaction } from '@credit/db';
import type { Measure } from '@credit/measures';
import type pg from 'pg';
import { InvalidFeedbackDate, OrderNotFound } from './errors.ts';
import { type OrderRow, OrderWork } from './order-work.ts';

/** 反馈: what the implementing department did about the order. */
export interface Feedback {
  measureApplied: boolean;
  /** The matter the measure was applied in, e.g. the procurement project or licence application. */
  matter: string;
  outcome: string;
  /** YYYY-MM-DD */
  date: string;
}

export type Response = { action: 'acknowledge'; note?: string } | { action: 'feedback'; feedback: Feedback };

/** Whether the order already holds this answer (a redelivered message, a retried request): nothing to do again. */
function alreadyAnswered(order: OrderRow, response: Response): boolean {
  const position = order.status === 'suspended' ? order.suspended_from : order.status;
  if (response.action === 'acknowledge') return position === 'acknowledged' || position === 'fed-back';
  return position === 'fed-back' && JSON.stringify(order.feedback) === JSON.stringify(response.feedback);
}

/**
 * 响应 and 反馈 from the implementing department the order was issued to (through the HTTP inbox or
 * credit.sanction-feedback). The same answer again changes nothing ('unchanged'); another department's answer is
 * refused, as an absent order (its existence is not theirs to know); so is one the order's status does not allow.
 */
export async function respond(
  pool: pg.Pool,
  orderId: string,
  department: string,
  actor: string,
  response: Response,
  measure: (code: string) => Measure | undefined,
  now: () => Date,
): Promise<'recorded' | 'unchanged'> {
  return inTransaction(pool, async (client) => {
    const work = new OrderWork(measure, now());
    const order = await work.loadOne(client, orderId);
    if (order === undefined || order.department !== department) throw OrderNotFound(orderId);
    if (response.action === 'feedback')
      checkFeedbackDate(order, response.feedback.date, chinaToday(work.now));
    if (alreadyAnswered(order, response)) return 'unchanged';
    if (response.action === 'acknowledge') {
      work.move(orderId, 'acknowledge', actor, response.note ?? '已接收 / acknowledged');
    } else {
      const { feedback } = response;
      const reason = `${feedback.measureApplied ? '已实施' : '未实施'}：${feedback.matter}，${feedback.outcome}（${feedback.date}）`;
      work.move(orderId, 'feedback', actor, reason, feedback);
    }
    await work.flush(client);
    return 'recorded';
  });
}

/** A feedback date is a real day from the order's issue to today (China days): 2026-02-30 or 9999-12-31 is refused. */
function checkFeedbackDate(order: OrderRow, date: string, today: string): void {
  const issued = chinaToday(new Date(order.issued_at));
  if (!isCalendarDate(date) || date < issued || date > today)
    throw InvalidFeedbackDate(order.id, date, issued, today);
}
