import type { Department } from '@credit/catalogue';
import { DEAD_LETTER_HEADERS } from '@credit/kit';
import { demoRecord, demoSubjects } from '@credit/sample-data';
import type { RecordKind, RecordKinds } from '@credit/schemas';
import { shiftDate, testClock } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListHarness, startListHarness, TOKENS } from './list-harness.ts';

let h: ListHarness;
let run = 0;
/** The list service's clock: it stands at the file's start unless a test moves it (and moves it back). */
const clock = testClock();

beforeAll(async () => {
  h = await startListHarness({ clock });
  const departments = ['intermediate-court', 'tax', 'market-regulation'];
  for (const code of departments) await h.aggregator.ingestTopic(code);
  await h.followed(departments);
}, 90_000);
afterAll(async () => {
  await h?.close();
});

function department(code: string): Department {
  const found = h.aggregator.catalogue.department(code);
  if (!found) throw new Error(`no department ${code}`);
  return found;
}

/** The first day of the month `months` after the month of `date` (YYYY-MM-DD). */
function firstOfMonth(date: string, months: number): string {
  const first = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  first.setUTCMonth(first.getUTCMonth() + months);
  return first.toISOString().slice(0, 10);
}

function subject() {
  run += 1;
  return demoSubjects(7000 + run)[6999 + run]!;
}

function record<K extends RecordKind>(
  kind: K,
  departmentCode: string,
  who: { code: string; name: string },
  daysAgo = 20,
  changes: (value: RecordKinds[K]) => void = () => {},
): RecordKinds[K] {
  run += 1;
  const value = demoRecord(
    kind,
    department(departmentCode),
    h.aggregator.catalogue,
    who,
    `lists-${Date.now()}-${run}`,
    daysAgo,
  );
  changes(value);
  return value;
}

async function report<K extends RecordKind>(
  kind: K,
  departmentCode: string,
  value: RecordKinds[K],
): Promise<void> {
  await h.aggregator.report(department(departmentCode), [{ kind, value }]);
}

async function event(entryId: string, token: string, body: Record<string, unknown>) {
  return h.lists.app.inject({
    method: 'POST',
    url: `/v1/entries/${entryId}/events`,
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });
}

describe('a court designation', () => {
  it('puts the subject on the black list, removes its red entry and announces both', async () => {
    const who = subject();
    await report(
      'credit-grade',
      'tax',
      record('credit-grade', 'tax', who, 30, (v) => Object.assign(v, { level: 'A' })),
    );
    const [red] = await h.entriesOf(who.code, (e) => e.some((x) => x.listType === 'a-level-taxpayer'));
    expect(red).toMatchObject({ colour: 'red', state: 'proposed', source: 'rule' });

    // 审核/确认 then 发布 by the credit office.
    expect((await event(red!.id, TOKENS.reviewer, { type: 'confirm', reason: '审核通过' })).statusCode).toBe(
      200,
    );
    const published = await event(red!.id, TOKENS.reviewer, { type: 'publish', reason: '发布' });
    expect(published.json()).toMatchObject({ state: 'published' });

    await report(
      'dishonest-judgment-debtor',
      'intermediate-court',
      record('dishonest-judgment-debtor', 'intermediate-court', who, 2),
    );
    const entries = await h.entriesOf(who.code, (e) => e.some((x) => x.colour === 'black'));
    const black = entries.find((x) => x.colour === 'black')!;
    expect(black).toMatchObject({
      listType: 'dishonest-judgment-debtor',
      state: 'published',
      source: 'department',
      validUntil: null,
    });
    expect(black.workingDaysToPlatform).toBeGreaterThanOrEqual(0);
    expect(entries.find((x) => x.id === red!.id)).toMatchObject({
      state: 'exited',
      exitReason: 'superseded',
    });

    const changes = await h.changesOf(who.code, (c) => c.some((x) => x.event === 'supersede'));
    expect(changes.map((c) => [c.listType, c.event, c.toState, c.measuresApply])).toEqual([
      ['a-level-taxpayer', 'designate', 'proposed', false],
      ['a-level-taxpayer', 'confirm', 'confirmed', false],
      ['a-level-taxpayer', 'publish', 'published', true],
      ['dishonest-judgment-debtor', 'designate', 'proposed', false],
      ['dishonest-judgment-debtor', 'confirm', 'confirmed', false],
      ['dishonest-judgment-debtor', 'publish', 'published', true],
      ['a-level-taxpayer', 'supersede', 'exited', false],
    ]);
    const supersede = changes.at(-1)!;
    expect(supersede).toMatchObject({
      measuresApplied: true,
      exitReason: 'superseded',
      subjectCode: who.code,
    });
    const announcement = await h.aggregator.pool.query(
      'select text from lists.exit_announcements where entry_id = $1',
      [red!.id],
    );
    expect(announcement.rows[0]?.text).toContain('移出名单');
  });

  it('refuses a red designation while the subject is black-listed, and says why', async () => {
    const who = subject();
    await report(
      'dishonest-judgment-debtor',
      'intermediate-court',
      record('dishonest-judgment-debtor', 'intermediate-court', who, 2),
    );
    await h.entriesOf(who.code, (e) => e.some((x) => x.colour === 'black'));
    await report(
      'credit-grade',
      'tax',
      record('credit-grade', 'tax', who, 1, (v) => Object.assign(v, { level: 'A' })),
    );
    const deadline = Date.now() + 20_000;
    let refusals: { listType: string; reason: string }[] = [];
    while (Date.now() < deadline && refusals.length === 0) {
      const response = await h.lists.app.inject({
        method: 'GET',
        url: `/v1/subjects/${who.code}/lists`,
        headers: { authorization: `Bearer ${TOKENS.reviewer}` },
      });
      refusals = (response.json() as { refusals: typeof refusals }).refusals;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(refusals).toEqual([expect.objectContaining({ listType: 'a-level-taxpayer' })]);
    const entries = await h.entriesOf(who.code, () => true);
    expect(entries.filter((x) => x.colour === 'red')).toEqual([]);
  });
});

describe('expiry and exit', () => {
  it('expires a black entry on the first day after its validity and moves the subject to the watch list', async () => {
    const who = subject();
    // Valid until the first of the month after next by the service's clock (validTo, the day before, included):
    // the 12 months on the watch list after it then end on the first of that month a year later.
    const validUntil = firstOfMonth(clock.today(), 2);
    const validTo = shiftDate(validUntil, -1);
    const designation = record('list-designation', 'tax', who, 40, (v) =>
      Object.assign(v, { validFrom: v.envelope.decisionDate, validTo }),
    );
    await report('list-designation', 'tax', designation);
    const [black] = await h.entriesOf(who.code, (e) => e.some((x) => x.colour === 'black'));
    expect(black).toMatchObject({ listType: 'major-tax-violation', validUntil, state: 'published' });

    const start = clock.now();
    try {
      clock.set(`${validTo}T23:59:00+08:00`);
      await h.lists.sweep();
      expect((await h.entriesOf(who.code, () => true)).find((x) => x.id === black!.id)?.state).toBe(
        'published',
      );

      clock.set(`${validUntil}T00:00:00+08:00`);
      const swept = await h.lists.sweep();
      expect(swept.exited).toBeGreaterThanOrEqual(1);
      const after = await h.entriesOf(who.code, (e) => e.length === 2);
      expect(after.find((x) => x.id === black!.id)).toMatchObject({ state: 'exited', exitReason: 'expired' });
      const watch = after.find((x) => x.colour === 'watch')!;
      // major-tax-violation: afterExit 12 months on key-attention.
      expect(watch).toMatchObject({
        listType: 'key-attention',
        source: 'after-exit',
        state: 'published',
        validUntil: firstOfMonth(validUntil, 12),
      });
    } finally {
      clock.set(start);
    }
  });

  it('a revoked designation record takes the subject off the list', async () => {
    const who = subject();
    const designation = record('dishonest-judgment-debtor', 'intermediate-court', who, 3);
    await report('dishonest-judgment-debtor', 'intermediate-court', designation);
    const [black] = await h.entriesOf(who.code, (e) => e.some((x) => x.colour === 'black'));
    const revoked = structuredClone(designation);
    Object.assign(revoked.envelope, {
      version: 2,
      operation: 'REVOKE',
      changeReason: '已履行，撤销失信名单',
    });
    await report('dishonest-judgment-debtor', 'intermediate-court', revoked);
    const entries = await h.entriesOf(who.code, (e) =>
      e.some((x) => x.id === black!.id && x.state === 'exited'),
    );
    expect(entries.find((x) => x.id === black!.id)).toMatchObject({ exitReason: 'withdrawn-by-designator' });
    // Leaving a black list other than by error: watch list.
    expect(entries.find((x) => x.colour === 'watch')).toMatchObject({
      listType: 'key-attention',
      source: 'after-exit',
    });
  });
});

describe('the reviewer API', () => {
  it('routes an objection to the designating department and ends the entry when it is upheld', async () => {
    const who = subject();
    await report(
      'dishonest-judgment-debtor',
      'intermediate-court',
      record('dishonest-judgment-debtor', 'intermediate-court', who, 3),
    );
    const [black] = await h.entriesOf(who.code, (e) => e.some((x) => x.colour === 'black'));

    const noToken = await h.lists.app.inject({
      method: 'POST',
      url: `/v1/entries/${black!.id}/events`,
      payload: {},
    });
    expect(noToken.statusCode).toBe(401);
    const wrongRole = await event(black!.id, TOKENS.reviewer, { type: 'object', reason: '异议' });
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().error.code).toBe('LIST_FORBIDDEN');

    const objected = await event(black!.id, TOKENS.objections, {
      type: 'object',
      reason: '主体称已履行完毕，提交异议申请',
    });
    expect(objected.json()).toMatchObject({ state: 'suspended' });
    // Another department may not decide the court's objection.
    const otherDepartment = await event(black!.id, TOKENS.tax, {
      type: 'resolve-objection',
      outcome: 'upheld',
      reason: '核实',
    });
    expect(otherDepartment.statusCode).toBe(403);
    expect(otherDepartment.json().error.message).toContain('intermediate-court');
    const missingOutcome = await event(black!.id, TOKENS.court, {
      type: 'resolve-objection',
      reason: '核实',
    });
    expect(missingOutcome.statusCode).toBe(400);

    const upheld = await event(black!.id, TOKENS.court, {
      type: 'resolve-objection',
      outcome: 'upheld',
      reason: '核实属误列入',
    });
    expect(upheld.json()).toMatchObject({ state: 'exited', exitReason: 'objection-upheld' });
    expect(
      upheld.json().transitions.map((t: { event: string; actorId: string }) => [t.event, t.actorId]),
    ).toEqual([
      ['designate', 'intermediate-court'],
      ['confirm', 'intermediate-court'],
      ['publish', 'intermediate-court'],
      ['object', 'objection-desk'],
      ['resolve-objection', 'court-clerk'],
    ]);
    // Listed in error: no watch list afterwards.
    const entries = await h.entriesOf(who.code, () => true);
    expect(entries.filter((x) => x.colour === 'watch')).toEqual([]);

    const again = await event(black!.id, TOKENS.court, { type: 'withdraw', reason: '撤销' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('LIST_ENTRY_EXITED');
    const missing = await event('no-such-entry', TOKENS.court, { type: 'withdraw', reason: '撤销' });
    expect(missing.statusCode).toBe(404);
  });

  it("shows a designator its own department's entries only", async () => {
    const who = subject();
    await report(
      'dishonest-judgment-debtor',
      'intermediate-court',
      record('dishonest-judgment-debtor', 'intermediate-court', who, 3),
    );
    const [black] = await h.entriesOf(who.code, (e) => e.some((x) => x.colour === 'black'));
    const get = (url: string, token: string) =>
      h.lists.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect((await get(`/v1/entries/${black!.id}`, TOKENS.court)).statusCode).toBe(200);
    const hidden = await get(`/v1/entries/${black!.id}`, TOKENS.tax);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.code).toBe('LIST_ENTRY_NOT_FOUND');
    expect((await get(`/v1/subjects/${who.code}/lists`, TOKENS.tax)).json().entries).toEqual([]);
    const taxView = (await get(`/v1/entries?subject=${who.code}`, TOKENS.tax)).json().entries;
    expect(taxView).toEqual([]);
    expect((await get(`/v1/entries?subject=${who.code}`, TOKENS.objections)).json().entries).toHaveLength(1);
    const backfill = await get('/v1/backfills/any', TOKENS.reviewer);
    expect(backfill.statusCode).toBe(403);
  });

  it('lists what awaits review and reports designation timeliness per department', async () => {
    const queue = await h.lists.app.inject({
      method: 'GET',
      url: '/v1/review-queue',
      headers: { authorization: `Bearer ${TOKENS.reviewer}` },
    });
    expect(queue.statusCode).toBe(200);
    const timeliness = await h.lists.app.inject({
      method: 'GET',
      // The file's designations were decided 2 to 40 days before the clock's today.
      url: `/v1/timeliness?from=${clock.daysFromToday(-60)}&to=${clock.today()}`,
      headers: { authorization: `Bearer ${TOKENS.reviewer}` },
    });
    const report = timeliness.json() as {
      allowedWorkingDays: number;
      departments: { department: string; designations: number; onTime: number; late: number }[];
    };
    expect(report.allowedWorkingDays).toBe(7);
    const court = report.departments.find((d) => d.department === 'intermediate-court')!;
    // Designated 2–3 days ago and reported now: on time. The tax designation 40 days ago: late.
    expect(court.designations).toBeGreaterThanOrEqual(3);
    expect(court.late).toBe(0);
    expect(report.departments.find((d) => d.department === 'tax')?.late).toBeGreaterThanOrEqual(1);
  });
});

describe('delivery', () => {
  it('a redelivered subject change changes nothing; a malformed one is dead-lettered with its reason', async () => {
    const who = subject();
    await report(
      'dishonest-judgment-debtor',
      'intermediate-court',
      record('dishonest-judgment-debtor', 'intermediate-court', who, 3),
    );
    await h.entriesOf(who.code, (e) => e.some((x) => x.colour === 'black'));
    const before = await h.changesOf(who.code, (c) => c.length === 3);
    const event = JSON.stringify({
      schema: 'credit.subject-change/1',
      eventId: `${who.code}:x`,
      subjectCode: who.code,
      changes: [],
      at: new Date().toISOString(),
    });
    await h.aggregator.send(h.aggregator.changesTopic, [
      { key: who.code, value: event },
      { key: who.code, value: event },
      { key: who.code, value: '{not json' },
    ]);
    const [dead] = await h.aggregator.readTopic(h.deadLetterTopic, 1, 20_000);
    expect(dead?.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString()).toBe('LIST_EVENT_NOT_JSON');
    const entries = await h.entriesOf(who.code, () => true);
    expect(entries).toHaveLength(1);
    const after = await h.changesOf(who.code, () => true);
    expect(after).toHaveLength(before.length);
  });
});
