import { erasePerson } from '@credit/aggregator/erasure';
import type { Department } from '@credit/catalogue';
import { makeResidentId, tokeniseResidentId } from '@credit/identifiers';
import { DEAD_LETTER_HEADERS } from '@credit/kit';
import { demoRecord } from '@credit/sample-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListHarness, startListHarness } from './list-harness.ts';

let h: ListHarness;
let court: Department;

beforeAll(async () => {
  h = await startListHarness();
  court = h.aggregator.catalogue.department('intermediate-court')!;
  await h.aggregator.ingestTopic(court.code);
  await h.followed([court.code]);
}, 90_000);
afterAll(async () => {
  await h?.close();
});

describe('an erased natural person', () => {
  it('leaves the lists (exit reason erased, no watch entry after), and new data about them designates again', async () => {
    const number = makeResidentId({ division: '350102', birthDate: '1972-08-09', sequence: 616 });
    const token = tokeniseResidentId(number, h.aggregator.keys.tokenKey);
    const designation = demoRecord(
      'dishonest-judgment-debtor',
      court,
      h.aggregator.catalogue,
      { code: 'x', name: 'x' },
      `erase-${Date.now()}`,
      3,
    );
    Object.assign(designation.envelope.subject, {
      category: 'NATURAL_PERSON',
      codeType: 'RESIDENT_IDENTITY_CARD',
      code: number,
      name: '钱某',
      legacyCodes: null,
      legalRepresentative: null,
    });
    await h.aggregator.report(court, [{ kind: 'dishonest-judgment-debtor', value: designation }]);
    const [black] = await h.entriesOf(token, (e) =>
      e.some((x) => x.colour === 'black' && x.state === 'published'),
    );

    await erasePerson(h.aggregator.pool, {
      subjectCode: token,
      basis: 'PIPL art. 47',
      operator: 'ops',
      now: new Date(),
    });
    const ended = await h.entriesOf(token, (e) => e.some((x) => x.id === black!.id && x.state === 'exited'));
    expect(ended).toEqual([
      expect.objectContaining({ id: black!.id, state: 'exited', exitReason: 'erased' }),
    ]);
    const changes = await h.changesOf(token, (c) => c.some((x) => x.event === 'erase'));
    expect(changes.at(-1)).toMatchObject({
      entryId: black!.id,
      event: 'erase',
      fromState: 'published',
      toState: 'exited',
      exitReason: 'erased',
      measuresApply: false,
      measuresApplied: true,
    });

    // A higher version reported after the erasure is new data: the person is designated again.
    const again = structuredClone(designation);
    Object.assign(again.envelope, { version: 2, changeReason: '重新认定', reportedAt: new Date() });
    await h.aggregator.report(court, [{ kind: 'dishonest-judgment-debtor', value: again }]);
    const relisted = await h.entriesOf(
      token,
      (e) => e.length === 2 && e.some((x) => x.state === 'published'),
    );
    const fresh = relisted.find((x) => x.id !== black!.id)!;
    expect(fresh).toMatchObject({ colour: 'black', state: 'published' });

    // The erasure event once more (a redelivery), then a marker the service dead-letters on the same partition:
    // when the marker is dead-lettered, the erasure was handled again, and left the new entry alone.
    const erasure = (await h.aggregator.readTopic(h.aggregator.changesTopic, 1, 15_000)).find((m) => {
      const event = JSON.parse(m.value!.toString()) as { subjectCode: string; changes: { change: string }[] };
      return event.subjectCode === token && event.changes.some((c) => c.change === 'erased');
    });
    expect(erasure).toBeDefined();
    await h.aggregator.send(h.aggregator.changesTopic, [
      { key: token, value: erasure!.value!.toString() },
      { key: token, value: '{marker, not json' },
    ]);
    const dead = await h.aggregator.readTopic(h.deadLetterTopic, 1, 20_000);
    expect(dead.map((m) => m.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString())).toEqual([
      'LIST_EVENT_NOT_JSON',
    ]);
    const after = await h.entriesOf(token, () => true);
    expect(after.find((x) => x.id === fresh.id)).toMatchObject({ state: 'published', exitReason: null });
  });
});
