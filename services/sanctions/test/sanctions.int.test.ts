import { makeResidentId, tokeniseResidentId } from '@credit/identifiers';
import { DEAD_LETTER_HEADERS } from '@credit/kit';
import type { ListChange } from '@credit/list-designation/list-change';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entry,
  listChange,
  type SanctionsHarness,
  startSanctionsHarness,
  TOKEN_KEY,
  TOKENS,
} from './sanctions-harness.ts';

let h: SanctionsHarness;
let run = 0;

beforeAll(async () => {
  h = await startSanctionsHarness();
}, 90_000);
afterAll(async () => {
  await h?.close();
});

const ACTOR = { id: 'intermediate-court', role: 'designator' };
type State = 'proposed' | 'confirmed' | 'published' | 'suspended' | 'exited';

/** The events the list service emits for one entry walking through `steps`. */
function walk(
  listType: string,
  colour: 'red' | 'black' | 'watch',
  steps: [event: string, to: State, exitReason?: string][],
): { subjectCode: string; entryId: string; events: ListChange[] } {
  run += 1;
  const subjectCode = `91350100TEST${String(run).padStart(6, '0')}`;
  const entryId = `entry-${Date.now()}-${run}`;
  // In force since 17 days before the service's today.
  let row = entry(subjectCode, listType, colour, entryId, h.clock.daysFromToday(-17));
  let from: State | null = null;
  const events: ListChange[] = [];
  steps.forEach(([event, to, exitReason], i) => {
    row = { ...row, state: to as never, exit_reason: (exitReason ?? null) as never };
    events.push(
      listChange(row as never, i + 1, {
        event: event as never,
        from: from as never,
        actor: ACTOR,
        reason: event,
        at: h.clock.now(),
      }),
    );
    from = to;
  });
  return { subjectCode, entryId, events };
}

const TO_FORCE: [string, State][] = [
  ['designate', 'proposed'],
  ['confirm', 'confirmed'],
  ['publish', 'published'],
];

interface Order {
  id: string;
  measure_code: string;
  department: string;
  status: string;
  responsible_persons: unknown[];
}

async function ordersOf(entryId: string, accept: (orders: Order[]) => boolean): Promise<Order[]> {
  const deadline = Date.now() + 20_000;
  let orders: Order[] = [];
  while (Date.now() < deadline) {
    orders = (
      await h.pool.query<Order>(
        'select id, measure_code, department, status, responsible_persons from orders where entry_id = $1 order by measure_code, department',
        [entryId],
      )
    ).rows;
    if (accept(orders)) return orders;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out; orders of ${entryId}: ${JSON.stringify(orders)}`);
}

function expectedOrders(listType: string) {
  return h.measures
    .forListType(listType)
    .filter((m) => m.subjectCategories.includes('LEGAL_ENTITY'))
    .flatMap((m) => m.implementingDepartments.map((department) => [m.code, department]))
    .sort((a, b) => (a[0]! + a[1]! < b[0]! + b[1]! ? -1 : 1));
}

function api(method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) {
  return h.sanctions.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

describe('orders follow the lists', () => {
  it('a black-listing issues exactly the orders the catalogue names; a redelivery issues none twice', async () => {
    const { subjectCode, entryId, events } = walk('dishonest-judgment-debtor', 'black', TO_FORCE);
    await h.publish(events);
    const expected = expectedOrders('dishonest-judgment-debtor');
    expect(expected.length).toBeGreaterThan(3);
    const orders = await ordersOf(entryId, (o) => o.length === expected.length);
    expect(
      orders
        .map((o) => [o.measure_code, o.department])
        .sort((a, b) => (a[0]! + a[1]! < b[0]! + b[1]! ? -1 : 1)),
    ).toEqual(expected);
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set(['issued']));

    await h.publish(events);
    await h.publish([events[2]!]);
    // Another entry of the same subject after the redelivery, so on the same partition: once its orders are in,
    // the redelivered events before it were handled.
    const marker = walk('dishonest-judgment-debtor', 'black', TO_FORCE);
    await h.publish(marker.events.map((event) => ({ ...event, subjectCode })));
    await ordersOf(marker.entryId, (o) => o.length === expected.length);
    const again = await ordersOf(entryId, () => true);
    expect(again).toHaveLength(expected.length);
    const history = await h.pool.query<{ count: string }>(
      'select count(*) from order_events e join orders o on o.id = e.order_id where o.entry_id = $1',
      [entryId],
    );
    expect(Number(history.rows[0]!.count)).toBe(expected.length);

    // Each order went out on its department's own topic (credit.sanction-orders.<department>), which only that
    // department may read, keyed by the department.
    await h.sanctions.relay.drain();
    const departments = [...new Set(expected.map(([, department]) => department!))];
    let mine = 0;
    for (const department of departments) {
      const count = expected.filter(([, d]) => d === department).length;
      const published = await h.readTopic(h.topics.orders(department), count, 20_000);
      for (const m of published) {
        const value = JSON.parse(m.value!.toString()) as { order: { entryId: string; department: string } };
        expect(m.key?.toString()).toBe(department);
        expect(value.order.department).toBe(department);
        if (value.order.entryId === entryId) mine += 1;
      }
    }
    expect(mine).toBe(expected.length);
  });

  it("reaches the organisation's legal representative where the catalogue says so", async () => {
    const { subjectCode, entryId, events } = walk('dishonest-judgment-debtor', 'black', TO_FORCE);
    await h.pool.query(
      `insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
          catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
          disclosure_from, payload, source_topic, source_partition, source_offset)
       values ('intermediate-court', $1, 1, $2, 'dishonest-judgment-debtor', 1, '350100-SXBZXR-0001',
          'SERIOUS_DISHONESTY', 'UPSERT', 'active', $4, now(), true, $4, $3, 't', 0, 0)`,
      [
        `rep-${entryId}`,
        subjectCode,
        JSON.stringify({
          envelope: {
            subject: {
              legalRepresentative: {
                name: '王某',
                idType: 'RESIDENT_IDENTITY_CARD',
                idNumber: '**************1234',
              },
            },
          },
        }),
        h.clock.daysFromToday(-17),
      ],
    );
    await h.publish(events);
    const orders = await ordersOf(
      entryId,
      (o) => o.length === expectedOrders('dishonest-judgment-debtor').length,
    );
    const binding = orders.filter((o) => h.measures.get(o.measure_code)?.reachesResponsiblePersons);
    expect(binding.length).toBeGreaterThan(0);
    for (const order of binding) {
      expect(order.responsible_persons).toEqual([
        {
          role: 'legal-representative',
          name: '王某',
          idType: 'RESIDENT_IDENTITY_CARD',
          idNumberMasked: '**************1234',
        },
      ]);
    }
    expect(
      orders
        .filter((o) => !h.measures.get(o.measure_code)?.reachesResponsiblePersons)
        .every((o) => o.responsible_persons.length === 0),
    ).toBe(true);
  });

  it('an objection suspends the orders; rejected, they resume where they were; leaving the list withdraws them', async () => {
    const { entryId, events } = walk('dishonest-judgment-debtor', 'black', [
      ...TO_FORCE,
      ['object', 'suspended'],
      ['resolve-objection', 'published'],
      ['expire', 'exited', 'expired'],
    ]);
    await h.publish(events.slice(0, 3));
    const issued = await ordersOf(entryId, (o) => o.length > 0);
    const finance = issued.find((o) => o.department === 'finance')!;
    expect(
      (await api('POST', `/v1/orders/${finance.id}/acknowledge`, TOKENS.procurement, {})).statusCode,
    ).toBe(200);

    await h.publish([events[3]!]);
    const suspended = await ordersOf(entryId, (o) => o.every((x) => x.status === 'suspended'));
    expect(suspended).toHaveLength(issued.length);
    await h.publish([events[4]!]);
    const resumed = await ordersOf(entryId, (o) => o.every((x) => x.status !== 'suspended'));
    expect(resumed.find((o) => o.id === finance.id)?.status).toBe('acknowledged');
    expect(resumed.filter((o) => o.id !== finance.id).every((o) => o.status === 'issued')).toBe(true);
    await h.publish([events[5]!]);
    await ordersOf(entryId, (o) => o.every((x) => x.status === 'withdrawn'));
  });

  it('an upheld objection cancels the orders', async () => {
    const { entryId, events } = walk('major-tax-violation', 'black', [
      ...TO_FORCE,
      ['object', 'suspended'],
      ['resolve-objection', 'exited', 'objection-upheld'],
    ]);
    await h.publish(events.slice(0, 4));
    await ordersOf(entryId, (o) => o.length > 0 && o.every((x) => x.status === 'suspended'));
    await h.publish([events[4]!]);
    const orders = await ordersOf(entryId, (o) => o.length > 0 && o.every((x) => x.status === 'cancelled'));
    expect(orders.length).toBe(expectedOrders('major-tax-violation').length);
  });

  it('an entry that comes into force and leaves within one batch ends with the orders it would have across batches', async () => {
    // Where the batches fall depends on how far behind the consumer is (a restart, a replay): the orders must not.
    const { entryId, events } = walk('major-tax-violation', 'black', [
      ...TO_FORCE,
      ['expire', 'exited', 'expired'],
    ]);
    await h.publish(events);
    const orders = await ordersOf(
      entryId,
      (o) =>
        o.length === expectedOrders('major-tax-violation').length && o.every((x) => x.status === 'withdrawn'),
    );
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set(['withdrawn']));
    const projected = await h.pool.query('select state from list_entries where entry_id = $1', [entryId]);
    expect(projected.rows).toEqual([{ state: 'exited' }]);
  });

  it('a malformed list change is dead-lettered with its reason', async () => {
    await h.producer.send(h.topics.listChanges, [{ key: 'x', value: '{"schema":"credit.list-change/1"}' }]);
    const [dead] = await h.readTopic(h.topics.deadLetters, 1, 20_000);
    expect(dead?.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString()).toBe('SANCTIONS_EVENT_SHAPE');
  });
});

/** The first dead letter whose source is `topic` (the harness's dead-letter topic is shared by the file's tests). */
async function deadLetterFrom(topic: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = (await h.readTopic(h.topics.deadLetters, 1, 20_000)).find(
      (m) => m.headers[DEAD_LETTER_HEADERS.sourceTopic]?.toString() === topic,
    );
    if (found) return found;
  }
  throw new Error(`no dead letter from ${topic}`);
}

describe('response and feedback', () => {
  it('the department acknowledges and reports; others may not; the statistics and CSV count it', async () => {
    const { entryId, events } = walk('procurement-misconduct', 'black', TO_FORCE);
    await h.publish(events);
    const orders = await ordersOf(entryId, (o) => o.length > 0);
    const finance = orders.find((o) => o.department === 'finance');
    expect(finance).toBeDefined();

    const inbox = await api('GET', '/v1/orders?status=issued', TOKENS.procurement);
    const ids = (inbox.json() as { orders: { id: string; department: string }[] }).orders;
    expect(ids.some((o) => o.id === finance!.id)).toBe(true);
    expect(ids.every((o) => o.department === 'finance')).toBe(true);
    expect((await api('GET', `/v1/orders/${finance!.id}`, TOKENS.market)).statusCode).toBe(404);
    const wrong = await api('POST', `/v1/orders/${finance!.id}/acknowledge`, TOKENS.market, {});
    expect(wrong.statusCode).toBe(404);

    // Feedback on another department's topic names a department that did not write it: refused.
    const forged = {
      schema: 'credit.sanction-feedback/1',
      orderId: finance!.id,
      department: 'finance',
      action: 'acknowledge',
    };
    await h.producer.send(h.topics.feedback('market-regulation'), [
      { key: 'finance', value: JSON.stringify(forged) },
    ]);
    const refused = await deadLetterFrom(h.topics.feedback('market-regulation'));
    expect(refused?.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString()).toBe('SANCTIONS_FEEDBACK_TOPIC');
    expect((await ordersOf(entryId, () => true)).find((o) => o.id === finance!.id)?.status).toBe('issued');

    // Feedback over Kafka on the department's own topic, straight from issued (it implies the acknowledgement).
    await h.producer.send(h.topics.feedback('finance'), [
      {
        key: 'finance',
        value: JSON.stringify({
          schema: 'credit.sanction-feedback/1',
          orderId: finance!.id,
          department: 'finance',
          action: 'feedback',
          feedback: {
            measureApplied: true,
            matter: '2026年办公设备采购项目',
            outcome: '取消投标资格',
            date: h.clock.today(),
          },
        }),
      },
    ]);
    await ordersOf(entryId, (o) => o.find((x) => x.id === finance!.id)?.status === 'fed-back');
    // A late acknowledgement after the feedback (which implied it) changes nothing.
    const late = await api('POST', `/v1/orders/${finance!.id}/acknowledge`, TOKENS.procurement, {});
    expect(late.json()).toMatchObject({ result: 'unchanged' });

    // The last 30 days by the service's clock, which issued the orders (the real UTC date was a day behind China's
    // for eight hours of every day).
    const period = `from=${h.clock.daysFromToday(-30)}&to=${h.clock.today()}`;
    const stats = await api('GET', `/v1/statistics?${period}`, TOKENS.office);
    const finances = (
      stats.json() as {
        departments: { department: string; ordersFedBack: number; measuresApplied: number }[];
      }
    ).departments.find((d) => d.department === 'finance');
    expect(finances?.ordersFedBack).toBeGreaterThanOrEqual(1);
    expect(finances?.measuresApplied).toBeGreaterThanOrEqual(1);
    const csv = await api('GET', `/v1/statistics.csv?${period}`, TOKENS.office);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('反馈完整率');
    expect(csv.body).toContain('finance,');
    expect((await api('GET', `/v1/statistics?${period}`, TOKENS.procurement)).statusCode).toBe(403);
  });
});

describe('the check (应查必查)', () => {
  it('answers the measures for the matter, mandatory first, with their basis, logs it and takes the decision once', async () => {
    const { subjectCode, entryId, events } = walk('dishonest-judgment-debtor', 'black', TO_FORCE);
    await h.publish(events);
    await ordersOf(entryId, (o) => o.length > 0);
    const checked = await api('POST', '/v1/checks', TOKENS.approvals, {
      subjectCode,
      matterType: 'government-procurement',
    });
    expect(checked.statusCode).toBe(200);
    const answer = checked.json() as {
      checkId: string;
      entries: { entryId: string }[];
      measures: { code: string; class: string; basis: string[] }[];
    };
    const expected = h.measures
      .applicable(['dishonest-judgment-debtor'], 'government-procurement')
      .filter((m) => m.kind === 'sanction');
    expect(answer.measures.map((m) => m.code)).toEqual(expected.map((m) => m.code));
    expect(answer.measures.map((m) => m.class)).toEqual(
      [...answer.measures.map((m) => m.class)].sort((a, b) => (a === b ? 0 : a === 'mandatory' ? -1 : 1)),
    );
    expect(answer.measures.every((m) => m.basis.includes(entryId))).toBe(true);
    expect(answer.entries.map((e) => e.entryId)).toEqual([entryId]);

    const logged = await h.pool.query('select hit, caller_department from checks where id = $1', [
      answer.checkId,
    ]);
    expect(logged.rows[0]).toEqual({ hit: true, caller_department: 'finance' });

    const decision = { decision: 'refused', measuresApplied: [answer.measures[0]!.code] };
    expect(
      (await api('POST', `/v1/checks/${answer.checkId}/decision`, TOKENS.approvals, decision)).statusCode,
    ).toBe(200);
    const twice = await api('POST', `/v1/checks/${answer.checkId}/decision`, TOKENS.approvals, decision);
    expect(twice.statusCode).toBe(409);

    const clean = await api('POST', '/v1/checks', TOKENS.approvals, {
      subjectCode: '91350100CLEAN00001',
      matterType: 'government-procurement',
    });
    expect(clean.json()).toMatchObject({ entries: [], measures: [] });
    const unknown = await api('POST', '/v1/checks', TOKENS.approvals, {
      subjectCode,
      matterType: 'space-travel',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('SANCTIONS_UNKNOWN_MATTER');
    expect(
      (
        await api('POST', '/v1/checks', TOKENS.procurement, {
          subjectCode,
          matterType: 'government-procurement',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('finds a natural person by identity number without storing it, and leaves out an entry past its validity', async () => {
    const number = makeResidentId({ division: '350102', birthDate: '1979-03-08', sequence: 417 });
    const token = tokeniseResidentId(number, TOKEN_KEY);
    const { entryId, events } = walk('dishonest-judgment-debtor', 'black', TO_FORCE);
    await h.publish(
      events.map((event) => ({ ...event, subjectCode: token, subjectCategory: 'NATURAL_PERSON' as const })),
    );
    await ordersOf(entryId, (o) => o.length > 0);
    const answer = await api('POST', '/v1/checks', TOKENS.approvals, {
      subjectCode: number,
      matterType: 'high-consumption',
    });
    const body = answer.json() as { checkId: string; subjectCode: string; entries: { entryId: string }[] };
    expect(body.subjectCode).toBe(token);
    expect(body.entries.map((e) => e.entryId)).toEqual([entryId]);
    const stored = await h.pool.query<{ subject_code: string; answer: unknown }>(
      'select subject_code, answer from checks where id = $1',
      [body.checkId],
    );
    expect(JSON.stringify(stored.rows)).not.toContain(number);

    // The list service's exit has not arrived yet, but the validity has ended (it ends before the service's today,
    // exclusive): not in force for the check.
    await h.pool.query('update list_entries set valid_until = $2 where entry_id = $1', [
      entryId,
      h.clock.today(),
    ]);
    const after = await api('POST', '/v1/checks', TOKENS.approvals, {
      subjectCode: number,
      matterType: 'high-consumption',
    });
    expect(after.json()).toMatchObject({ entries: [], measures: [] });
  });

  it('offers a red-listed subject its incentives', async () => {
    const { subjectCode, events } = walk('a-level-taxpayer', 'red', TO_FORCE);
    await h.publish(events);
    const matter = h.measures.measures.find(
      (m) => m.kind === 'incentive' && m.listTypes.includes('a-level-taxpayer'),
    )!.matterTypes[0]!;
    const deadline = Date.now() + 20_000;
    let incentives: { code: string }[] = [];
    while (Date.now() < deadline && incentives.length === 0) {
      const answer = await api('POST', '/v1/checks', TOKENS.approvals, { subjectCode, matterType: matter });
      incentives = (answer.json() as { incentives: { code: string }[] }).incentives;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(incentives.map((m) => m.code)).toEqual(
      h.measures
        .applicable(['a-level-taxpayer'], matter)
        .filter((m) => m.kind === 'incentive')
        .map((m) => m.code),
    );
  });
});
