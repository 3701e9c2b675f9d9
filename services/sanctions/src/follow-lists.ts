import { chinaToday } from '@credit/calendar';
import { failsAgain, inTransaction } from '@credit/db';
import { maskIdentityNumbers } from '@credit/identifiers';
import {
  type BatchHandler,
  deadLetterAll,
  type IncomingMessage,
  isolateFailures,
  type Logger,
  type Producer,
  type Refusal,
} from '@credit/kit';
import type { MeasuresCatalogue } from '@credit/measures';
import type pg from 'pg';
import { type ListChangeEvent, parseListChange } from './list-change-event.ts';
import { isEnded, isLive } from './order-status.ts';
import { OrderWork, orderId, type ResponsiblePerson } from './order-work.ts';

/** Adds n working days (calendar days where the holiday file does not reach). */
export type DueDate = (from: string, days: number) => string;

export interface FollowContext {
  measures: MeasuresCatalogue;
  dueDate: DueDate;
}

const PLATFORM = 'sanctions';

/** The legal representative as the subject's latest record names them (read-only; masked as stored). */
async function responsiblePersons(client: pg.PoolClient, code: string): Promise<ResponsiblePerson[]> {
  const representative = await client.query<{
    name: string | null;
    id_type: string | null;
    id_number: string | null;
  }>(
    `select payload -> 'envelope' -> 'subject' -> 'legalRepresentative' ->> 'name' as name,
            payload -> 'envelope' -> 'subject' -> 'legalRepresentative' ->> 'idType' as id_type,
            payload -> 'envelope' -> 'subject' -> 'legalRepresentative' ->> 'idNumber' as id_number
       from aggregator.records
      where subject_code = $1 and payload -> 'envelope' -> 'subject' -> 'legalRepresentative' ->> 'name' is not null
      order by reported_at desc limit 1`,
    [code],
  );
  const rep = representative.rows[0];
  if (rep?.name === undefined || rep.name === null) return [];
  // The aggregator stores it masked already; masked again here, since orders leave the platform for departments.
  const idNumberMasked = rep.id_number === null ? null : maskIdentityNumbers(rep.id_number);
  return [{ role: 'legal-representative', name: rep.name, idType: rep.id_type, idNumberMasked }];
}

/**
 * Applies one list change: the projection of the entry moves on, and its orders follow. The entry coming into force
 * issues one order per measure of its list type and implementing department (or resumes suspended ones); an objection
 * suspends them; leaving the list withdraws them, or cancels them when the listing was wrong. Events at or below the
 * entry's last applied seq change nothing (redelivery). The caller has loaded the entry's orders into `work`.
 */
export async function applyListChange(
  client: pg.PoolClient,
  event: ListChangeEvent,
  context: FollowContext,
  work: OrderWork,
): Promise<boolean> {
  // Only a newer event moves the projection: a redelivered or stale one (an old consumer still running after a
  // rebalance) finds last_seq at or past it and changes nothing.
  const moved = await client.query(
    `insert into list_entries (entry_id, subject_code, subject_category, list_type, colour, state, exit_reason,
        measures_apply, designating_department, valid_from, valid_until, basis, last_seq, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     on conflict (entry_id) do update set state = excluded.state, exit_reason = excluded.exit_reason,
        measures_apply = excluded.measures_apply, valid_from = excluded.valid_from, valid_until = excluded.valid_until,
        basis = excluded.basis, last_seq = excluded.last_seq, updated_at = excluded.updated_at
      where list_entries.last_seq < excluded.last_seq`,
    [
      event.entryId,
      event.subjectCode,
      event.subjectCategory,
      event.listType,
      event.colour,
      event.toState,
      event.exitReason,
      event.measuresApply,
      event.designatingDepartment,
      event.validFrom,
      event.validUntil,
      JSON.stringify(event.basis),
      event.seq,
      event.at,
    ],
  );
  if (moved.rowCount === 0) return false;
  const orders = work.ofEntry(event.entryId);
  const why = `${event.listType} ${event.fromState ?? '-'} → ${event.toState} (${event.event}): ${event.reason}`;
  if (event.toState === 'exited') {
    const action = event.exitReason === 'objection-upheld' ? 'cancel' : 'withdraw';
    for (const order of orders) {
      if (!isEnded(order.status)) work.move(order.id, action, PLATFORM, why);
    }
  } else if (event.measuresApply) {
    for (const order of orders)
      if (order.status === 'suspended') work.move(order.id, 'resume', PLATFORM, why);
    await issueMissing(client, event, context, work, why);
  } else {
    // Measures do not apply in this state (an objection being verified): live orders wait, whatever event said so.
    for (const order of orders) {
      if (isLive(order.status)) work.move(order.id, 'suspend', PLATFORM, why);
    }
  }
  return true;
}

async function issueMissing(
  client: pg.PoolClient,
  event: ListChangeEvent,
  context: FollowContext,
  work: OrderWork,
  why: string,
): Promise<void> {
  const measures = context.measures.forListType(event.listType);
  if (measures.length === 0) return;
  const organisation = event.subjectCategory !== 'NATURAL_PERSON';
  const persons =
    organisation && measures.some((m) => m.reachesResponsiblePersons)
      ? await responsiblePersons(client, event.subjectCode)
      : [];
  const today = chinaToday(work.now);
  const { acknowledgeWorkingDays, feedbackWorkingDays } = context.measures.responseDeadlines;
  for (const measure of measures) {
    if (!(measure.subjectCategories as readonly string[]).includes(event.subjectCategory)) continue;
    for (const department of measure.implementingDepartments) {
      const id = orderId(event.entryId, measure.code, department);
      if (work.has(id)) continue;
      work.issue(
        {
          id,
          entry_id: event.entryId,
          subject_code: event.subjectCode,
          list_type: event.listType,
          measure_code: measure.code,
          measure_kind: measure.kind,
          measure_class: measure.class,
          department,
          responsible_persons: measure.reachesResponsiblePersons ? persons : [],
          issued_at: work.now.toISOString(),
          acknowledge_due: context.dueDate(today, acknowledgeWorkingDays),
          feedback_due: context.dueDate(today, feedbackWorkingDays),
        },
        PLATFORM,
        why,
      );
    }
  }
}

export interface FollowListsDeps {
  pool: pg.Pool;
  producer: Producer;
  context: FollowContext;
  deadLetterTopic: string;
  service: string;
  logger: Logger;
  now: () => Date;
  onApplied?: (result: { applied: number; ignored: number; events: number }) => void;
  onRefused?: (code: string) => void;
}

/**
 * One batch of credit.list-changes: applied in offset order in one transaction (a subject's events are in one
 * partition, in order), refused messages dead-lettered; resolves once both are durable, so the offsets are committed
 * only then. An event that fails for good is isolated by applying the batch one event at a time and dead-lettered.
 */
export function createFollowListsHandler(deps: FollowListsDeps): BatchHandler {
  const apply = async (events: ListChangeEvent[]) => {
    const result = await inTransaction(deps.pool, async (client) => {
      const work = new OrderWork((code) => deps.context.measures.get(code), deps.now());
      // The batch's orders, loaded and locked once (in id order) rather than per event.
      await work.load(client, [...new Set(events.map((event) => event.entryId))]);
      let applied = 0;
      for (const event of events) {
        if (await applyListChange(client, event, deps.context, work)) applied += 1;
      }
      await work.flush(client);
      return { applied, ignored: events.length - applied, events: work.eventCount };
    });
    deps.onApplied?.(result);
  };
  return async (batch, context) => {
    const events: { event: ListChangeEvent; message: IncomingMessage }[] = [];
    const refused: Refusal[] = [];
    for (const message of batch.messages) {
      const parsed = parseListChange(message.value, message.key?.toString('utf8'));
      if (parsed.ok) events.push({ event: parsed.event, message });
      else refused.push({ message, code: parsed.code, reason: parsed.message });
    }
    for (const { item, error } of await isolateFailures(
      events,
      (some) => apply(some.map((e) => e.event)),
      failsAgain,
    )) {
      const reason = `applying the list change failed: ${error.message}`;
      refused.push({ message: item.message, code: 'SANCTIONS_APPLY_FAILED', reason });
    }
    await context.heartbeat();
    await deadLetterAll(
      {
        producer: deps.producer,
        topic: deps.deadLetterTopic,
        service: deps.service,
        logger: deps.logger,
        onRefused: deps.onRefused,
      },
      refused,
    );
  };
}
