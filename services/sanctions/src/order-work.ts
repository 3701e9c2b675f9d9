import { createHash } from 'node:crypto';
import type { Measure } from '@credit/measures';
import type pg from 'pg';
import { nextStatus, type OrderAction, type OrderStatus } from './order-status.ts';

export const SANCTION_ORDER_SCHEMA = 'credit.sanction-order/1';

export interface ResponsiblePerson {
  role: 'legal-representative';
  name: string;
  idType: string | null;
  /** Masked as the unified database keeps it (the full number is not stored for legal representatives). */
  idNumberMasked: string | null;
}

export interface OrderRow {
  id: string;
  entry_id: string;
  subject_code: string;
  list_type: string;
  measure_code: string;
  measure_kind: Measure['kind'];
  measure_class: Measure['class'];
  department: string;
  status: OrderStatus;
  suspended_from: OrderStatus | null;
  responsible_persons: ResponsiblePerson[];
  issued_at: string;
  acknowledge_due: string;
  acknowledged_at: string | null;
  feedback_due: string;
  feedback: unknown;
  fed_back_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
}

export const ORDER_COLUMNS = `id, entry_id, subject_code, list_type, measure_code, measure_kind, measure_class, department,
  status, suspended_from, responsible_persons, issued_at, acknowledge_due::text as acknowledge_due, acknowledged_at,
  feedback_due::text as feedback_due, feedback, fed_back_at, ended_at, end_reason`;

/** Deterministic: the same entry, measure and department always make the same order id (a redelivery finds it). */
export function orderId(entryId: string, measureCode: string, department: string): string {
  return `ord_${createHash('sha256').update(`${entryId}\n${measureCode}\n${department}`).digest('hex').slice(0, 24)}`;
}

/** One event on credit.sanction-orders (key = the implementing department's code). */
export interface SanctionOrderEvent {
  schema: typeof SANCTION_ORDER_SCHEMA;
  eventId: string;
  action: OrderAction;
  order: {
    id: string;
    department: string;
    subjectCode: string;
    entryId: string;
    listType: string;
    measure: { code: string; name: string; kind: Measure['kind']; class: Measure['class']; action: string };
    status: OrderStatus;
    responsiblePersons: ResponsiblePerson[];
    acknowledgeDue: string;
    feedbackDue: string;
  };
  reason: string;
  at: string;
}

interface Loaded {
  row: OrderRow;
  seq: number;
  isNew: boolean;
  changed: boolean;
}

/** The order changes of one transaction: rows, their history and their events, written by {@link flush}. */
export class OrderWork {
  private readonly orders = new Map<string, Loaded>();
  private readonly history: {
    order_id: string;
    seq: number;
    status: string;
    actor: string;
    reason: string;
    at: string;
  }[] = [];
  private readonly events: SanctionOrderEvent[] = [];

  constructor(
    private readonly measure: (code: string) => Measure | undefined,
    readonly now: Date,
  ) {}

  /** Loads and locks the orders of these entries (in id order, so concurrent transactions lock alike). */
  async load(client: pg.PoolClient, entryIds: readonly string[]): Promise<void> {
    if (entryIds.length === 0) return;
    await this.loadWhere(client, 'entry_id = any($1::text[])', [entryIds]);
  }

  /** Loads and locks one order; false when there is none. */
  async loadOne(client: pg.PoolClient, id: string): Promise<OrderRow | undefined> {
    await this.loadWhere(client, 'id = $1', [id]);
    return this.orders.get(id)?.row;
  }

  private async loadWhere(client: pg.PoolClient, where: string, values: unknown[]): Promise<void> {
    const result = await client.query<OrderRow & { seq: number }>(
      `select ${ORDER_COLUMNS}, (select coalesce(max(seq), 0) from order_events where order_id = o.id)::int as seq
         from orders o where ${where} order by id for update`,
      values,
    );
    // Orders already in this unit of work keep their changes: the database has not seen them yet.
    for (const { seq, ...row } of result.rows) {
      if (!this.orders.has(row.id)) this.orders.set(row.id, { row, seq, isNew: false, changed: false });
    }
  }

  ofEntry(entryId: string): OrderRow[] {
    return [...this.orders.values()].filter((o) => o.row.entry_id === entryId).map((o) => o.row);
  }

  has(id: string): boolean {
    return this.orders.has(id);
  }

  issue(
    row: Omit<
      OrderRow,
      'status' | 'suspended_from' | 'acknowledged_at' | 'feedback' | 'fed_back_at' | 'ended_at' | 'end_reason'
    >,
    actor: string,
    reason: string,
  ): void {
    const order: OrderRow = {
      ...row,
      status: 'issued',
      suspended_from: null,
      acknowledged_at: null,
      feedback: null,
      fed_back_at: null,
      ended_at: null,
      end_reason: null,
    };
    this.orders.set(order.id, { row: order, seq: 0, isNew: true, changed: true });
    this.record(order.id, 'issue', actor, reason);
  }

  /** Moves an order by `action` (a 409 when its status does not allow it). */
  move(
    id: string,
    action: Exclude<OrderAction, 'issue'>,
    actor: string,
    reason: string,
    feedback?: unknown,
  ): OrderRow {
    const loaded = this.orders.get(id);
    if (loaded === undefined) throw new Error(`order ${id} is not loaded`);
    const row = loaded.row;
    const { status, suspendedFrom } = nextStatus(
      { id, status: row.status, suspendedFrom: row.suspended_from },
      action,
    );
    const at = this.now.toISOString();
    loaded.row = {
      ...row,
      status,
      suspended_from: suspendedFrom,
      acknowledged_at:
        action === 'acknowledge' || (action === 'feedback' && row.acknowledged_at === null)
          ? at
          : row.acknowledged_at,
      feedback: action === 'feedback' ? feedback : row.feedback,
      fed_back_at: action === 'feedback' ? at : row.fed_back_at,
      ended_at: action === 'withdraw' || action === 'cancel' ? at : row.ended_at,
      end_reason: action === 'withdraw' || action === 'cancel' ? reason : row.end_reason,
    };
    loaded.changed = true;
    this.record(id, action, actor, reason);
    return loaded.row;
  }

  private record(id: string, action: OrderAction, actor: string, reason: string): void {
    const loaded = this.orders.get(id);
    if (loaded === undefined) return;
    loaded.seq += 1;
    const row = loaded.row;
    const at = this.now.toISOString();
    this.history.push({ order_id: id, seq: loaded.seq, status: row.status, actor, reason, at });
    const measure = this.measure(row.measure_code);
    this.events.push({
      schema: SANCTION_ORDER_SCHEMA,
      eventId: `${id}:${loaded.seq}`,
      action,
      order: {
        id,
        department: row.department,
        subjectCode: row.subject_code,
        entryId: row.entry_id,
        listType: row.list_type,
        measure: {
          code: row.measure_code,
          name: measure?.name ?? row.measure_code,
          kind: row.measure_kind,
          class: row.measure_class,
          action: measure?.action ?? '',
        },
        status: row.status,
        responsiblePersons: row.responsible_persons,
        acknowledgeDue: row.acknowledge_due,
        feedbackDue: row.feedback_due,
      },
      reason,
      at,
    });
  }

  get eventCount(): number {
    return this.events.length;
  }

  async flush(client: pg.PoolClient): Promise<void> {
    const created = [...this.orders.values()].filter((o) => o.isNew).map((o) => o.row);
    if (created.length > 0) {
      await client.query(
        `insert into orders (id, entry_id, subject_code, list_type, measure_code, measure_kind, measure_class, department,
            status, suspended_from, responsible_persons, issued_at, acknowledge_due, acknowledged_at, feedback_due, feedback,
            fed_back_at, ended_at, end_reason, updated_at)
         select id, entry_id, subject_code, list_type, measure_code, measure_kind, measure_class, department, status,
            suspended_from, responsible_persons, issued_at, acknowledge_due, acknowledged_at, feedback_due, feedback,
            fed_back_at, ended_at, end_reason, now()
           from jsonb_to_recordset($1::jsonb) as t(id text, entry_id text, subject_code text, list_type text,
            measure_code text, measure_kind text, measure_class text, department text, status text, suspended_from text,
            responsible_persons jsonb, issued_at timestamptz, acknowledge_due date, acknowledged_at timestamptz,
            feedback_due date, feedback jsonb, fed_back_at timestamptz, ended_at timestamptz, end_reason text)`,
        [JSON.stringify(created)],
      );
    }
    const changed = [...this.orders.values()].filter((o) => o.changed && !o.isNew).map((o) => o.row);
    if (changed.length > 0) {
      await client.query(
        `update orders o set status = t.status, suspended_from = t.suspended_from, acknowledged_at = t.acknowledged_at,
            feedback = t.feedback, fed_back_at = t.fed_back_at, ended_at = t.ended_at, end_reason = t.end_reason,
            updated_at = now()
           from jsonb_to_recordset($1::jsonb) as t(id text, status text, suspended_from text,
            acknowledged_at timestamptz, feedback jsonb, fed_back_at timestamptz, ended_at timestamptz, end_reason text)
          where o.id = t.id`,
        [JSON.stringify(changed)],
      );
    }
    if (this.history.length > 0) {
      await client.query(
        `insert into order_events (order_id, seq, status, actor, reason, at)
         select * from jsonb_to_recordset($1::jsonb) as t(order_id text, seq integer, status text, actor text,
            reason text, at timestamptz)`,
        [JSON.stringify(this.history)],
      );
    }
    if (this.events.length > 0) {
      await client.query(
        `insert into outbox (department, event)
         select e -> 'order' ->> 'department', e from jsonb_array_elements($1::jsonb) with ordinality as x(e, n) order by n`,
        [JSON.stringify(this.events)],
      );
    }
  }
}
