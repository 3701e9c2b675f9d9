import type { IncomingMessage } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import { subjectOf } from '../src/subject-changes.ts';

function message(value: string | null, key: string | null = '91350100M000100Y43'): IncomingMessage {
  return {
    topic: 'credit.subject-changes',
    partition: 0,
    offset: '7',
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    headers: {},
    timestamp: Date.now(),
  };
}

const event = (fields: Record<string, unknown>) =>
  JSON.stringify({
    schema: 'credit.subject-change/1',
    subjectCode: '91350100M000100Y43',
    changes: [],
    ...fields,
  });

describe('a credit.subject-changes message', () => {
  it('names the subject to re-evaluate', () => {
    expect(subjectOf(message(event({})))).toEqual({
      ok: true,
      subjectCode: '91350100M000100Y43',
      erased: [],
    });
  });

  it('names the record versions an erasure deleted', () => {
    const changes = [
      { change: 'created', department: 'tax', sourceRecordId: 'T-1', version: 1 },
      { change: 'erased', department: 'intermediate-court', sourceRecordId: 'C-7', version: 3 },
    ];
    expect(subjectOf(message(event({ changes })))).toEqual({
      ok: true,
      subjectCode: '91350100M000100Y43',
      erased: [{ department: 'intermediate-court', sourceRecordId: 'C-7', version: 3 }],
    });
  });

  it.each([
    ['no value', message(null), 'LIST_EVENT_EMPTY'],
    ['not JSON', message('{oops'), 'LIST_EVENT_NOT_JSON'],
    ['not an object', message('42'), 'LIST_EVENT_SHAPE'],
    ['another schema', message(event({ schema: 'credit.list-change/1' })), 'LIST_EVENT_SCHEMA'],
    ['no subject', message(event({ subjectCode: '' })), 'LIST_EVENT_SHAPE'],
    ['a key that is not its subject', message(event({}), '91350100M000100Y44'), 'LIST_EVENT_KEY'],
    [
      'an erased change without its version',
      message(event({ changes: [{ change: 'erased', department: 'tax', sourceRecordId: 'T-1' }] })),
      'LIST_EVENT_SHAPE',
    ],
  ])('is refused when it has %s', (_, input, code) => {
    const parsed = subjectOf(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe(code);
      expect(parsed.message.length).toBeGreaterThan(10);
    }
  });
});
