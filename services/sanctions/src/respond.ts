import { inTransaction } from '@credit/db';
import type { Measure } from '@credit/measures';
import type pg from 'pg';
import { Forbidden, OrderNotFound } from './errors.ts';
import { OrderWork } from './order-work.ts';

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

/**
 * 响应 and 反馈 from the implementing department the order was issued to (through the HTTP inbox or
 * credit.sanction-feedback). Another department's answer is refused; so is one the order's status does not allow.
 */
export async function respond(
  pool: pg.Pool,
  orderId: string,
  department: string,
  actor: string,
  response: Response,
  measure: (code: string) => Measure | undefined,
  now: () => Date,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const found = await client.query<{ entry_id: string; department: string }>(
      'select entry_id, department from orders where id = $1',
      [orderId],
    );
    const order = found.rows[0];
    if (order === undefined) throw OrderNotFound(orderId);
    if (order.department !== department) {
      throw Forbidden(
        actor,
        response.action,
        `order ${orderId} was issued to ${order.department}, not ${department}`,
      );
    }
    const work = new OrderWork(measure, now());
    await work.load(client, [order.entry_id]);
    if (response.action === 'acknowledge') {
      work.move(orderId, 'acknowledge', actor, response.note ?? '已接收 / acknowledged');
    } else {
      const { feedback } = response;
      const reason = `${feedback.measureApplied ? '已实施' : '未实施'}：${feedback.matter}，${feedback.outcome}（${feedback.date}）`;
      work.move(orderId, 'feedback', actor, reason, feedback);
    }
    await work.flush(client);
  });
}
