import type { IncomingMessage } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import { parseFeedback } from '../src/feedback-consumer.ts';
import { parseListChange } from '../src/list-change-event.ts';
import { statisticsCsv } from '../src/statistics.ts';

const change = (fields: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      schema: 'credit.list-change/1',
      eventId: 'e1:3',
      entryId: 'e1',
      subjectCode: '91350100M000100Y43',
      subjectCategory: 'LEGAL_ENTITY',
      listType: 'dishonest-judgment-debtor',
      colour: 'black',
      event: 'publish',
      fromState: 'confirmed',
      toState: 'published',
      exitReason: null,
      measuresApply: true,
      measuresApplied: false,
      designatingDepartment: 'intermediate-court',
      validFrom: '2026-11-20',
      validUntil: null,
      basis: [],
      reason: 'r',
      at: '2026-11-20T00:00:00.000Z',
      ...fields,
    }),
  );

describe('a credit.list-changes message', () => {
  it('reads the entry, its seq and whether measures apply', () => {
    const parsed = parseListChange(change(), '91350100M000100Y43');
    expect(parsed).toMatchObject({
      ok: true,
      event: { entryId: 'e1', seq: 3, measuresApply: true, measuresApplied: false },
    });
  });

  it.each([
    ['no value', null, 'SANCTIONS_EVENT_EMPTY'],
    ['not JSON', Buffer.from('{'), 'SANCTIONS_EVENT_NOT_JSON'],
    ['another schema', change({ schema: 'credit.subject-change/1' }), 'SANCTIONS_EVENT_SCHEMA'],
    ['no subject category', change({ subjectCategory: undefined }), 'SANCTIONS_EVENT_SHAPE'],
    ['measuresApply not boolean', change({ measuresApply: 'yes' }), 'SANCTIONS_EVENT_SHAPE'],
    ['an eventId of another entry', change({ eventId: 'e2:3' }), 'SANCTIONS_EVENT_SHAPE'],
    ['a seq that is not a number', change({ eventId: 'e1:x' }), 'SANCTIONS_EVENT_SHAPE'],
  ])('is refused when it has %s', (_, value, code) => {
    expect(parseListChange(value, undefined)).toMatchObject({ ok: false, code });
  });

  it('is refused when its key is not its subject', () => {
    expect(parseListChange(change(), 'someone-else')).toMatchObject({
      ok: false,
      code: 'SANCTIONS_EVENT_KEY',
    });
  });
});

const PREFIX = 'credit.sanction-feedback.';

function message(
  value: Record<string, unknown> | string,
  key = 'finance',
  topic = `${PREFIX}finance`,
): IncomingMessage {
  return {
    topic,
    partition: 0,
    offset: '1',
    key: Buffer.from(key),
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers: {},
    timestamp: 0,
  };
}

const feedback = { measureApplied: true, matter: '采购项目', outcome: '取消资格', date: '2026-11-25' };

describe('a credit.sanction-feedback message', () => {
  it('acknowledges or reports for its department', () => {
    const base = { schema: 'credit.sanction-feedback/1', orderId: 'ord_1', department: 'finance' };
    expect(parseFeedback(message({ ...base, action: 'acknowledge' }), PREFIX)).toMatchObject({
      ok: true,
      actor: 'finance',
    });
    expect(
      parseFeedback(message({ ...base, action: 'feedback', feedback, actor: 'clerk' }), PREFIX),
    ).toMatchObject({
      ok: true,
      actor: 'clerk',
      response: { action: 'feedback', feedback },
    });
  });

  it.each([
    ['not JSON', '{', 'SANCTIONS_FEEDBACK_NOT_JSON'],
    [
      'another schema',
      { schema: 'x', orderId: 'o', department: 'finance', action: 'acknowledge' },
      'SANCTIONS_FEEDBACK_SCHEMA',
    ],
    [
      'no order',
      { schema: 'credit.sanction-feedback/1', department: 'finance', action: 'acknowledge' },
      'SANCTIONS_FEEDBACK_SHAPE',
    ],
    [
      'an unknown action',
      { schema: 'credit.sanction-feedback/1', orderId: 'o', department: 'finance', action: 'ignore' },
      'SANCTIONS_FEEDBACK_SHAPE',
    ],
    [
      'feedback without a date',
      {
        schema: 'credit.sanction-feedback/1',
        orderId: 'o',
        department: 'finance',
        action: 'feedback',
        feedback: { ...feedback, date: '25/11/2026' },
      },
      'SANCTIONS_FEEDBACK_SHAPE',
    ],
  ])('is refused when it has %s', (_, value, code) => {
    expect(parseFeedback(message(value), PREFIX)).toMatchObject({ ok: false, code });
  });

  it('is refused when its key is another department', () => {
    const value = {
      schema: 'credit.sanction-feedback/1',
      orderId: 'o',
      department: 'finance',
      action: 'acknowledge',
    };
    expect(parseFeedback(message(value, 'tax'), PREFIX)).toMatchObject({
      ok: false,
      code: 'SANCTIONS_FEEDBACK_KEY',
    });
  });

  it("is refused when it arrives on another department's topic", () => {
    const value = {
      schema: 'credit.sanction-feedback/1',
      orderId: 'o',
      department: 'finance',
      action: 'acknowledge',
    };
    expect(parseFeedback(message(value, 'finance', `${PREFIX}tax`), PREFIX)).toMatchObject({
      ok: false,
      code: 'SANCTIONS_FEEDBACK_TOPIC',
      message: expect.stringContaining('only on its own topic'),
    });
  });
});

describe('the statistics CSV', () => {
  it('has a bilingual header, one row per department, and an empty cell for an undefined share', () => {
    const csv = statisticsCsv([
      {
        department: 'finance',
        checks: 10,
        checksWithHits: 2,
        checksWithDecision: 1,
        ordersIssued: 4,
        ordersAcknowledged: 3,
        ordersFedBack: 1,
        measuresApplied: 1,
        acknowledgementsOverdue: 1,
        feedbackMissing: 2,
        feedbackCompleteness: 1 / 3,
      },
      {
        department: 'tax',
        checks: 0,
        checksWithHits: 0,
        checksWithDecision: 0,
        ordersIssued: 1,
        ordersAcknowledged: 0,
        ordersFedBack: 0,
        measuresApplied: 0,
        acknowledgementsOverdue: 0,
        feedbackMissing: 0,
        feedbackCompleteness: null,
      },
    ]);
    const lines = csv.replace('\uFEFF', '').trim().split('\n');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(lines[0]).toBe(
      '部门 department,核查次数 checks,命中次数 checksWithHits,已反馈决定的核查 checksWithDecision,发起措施 ordersIssued,已响应 ordersAcknowledged,已反馈 ordersFedBack,已实施措施 measuresApplied,响应超期 acknowledgementsOverdue,反馈缺失 feedbackMissing,反馈完整率 feedbackCompleteness',
    );
    expect(lines[1]).toBe('finance,10,2,1,4,3,1,1,1,2,0.3333');
    expect(lines[2]).toBe('tax,0,0,0,1,0,0,0,0,0,');
  });
});
