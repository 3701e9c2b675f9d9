import { deadLetter } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import { decodeHeaders, encodeHeaders, SHOWN_BYTES, showBytes } from '../src/dlq-bytes.ts';
import { readDeadLetter } from '../src/dlq-follower.ts';

describe('dead letter bytes', () => {
  it('keeps headers byte for byte: text as text, anything else as base64', () => {
    const headers = {
      'content-type': Buffer.from('application/json'),
      trace: Buffer.from([0xff, 0x00, 0x01]),
      nul: Buffer.from('a\u0000b'),
      名称: Buffer.from('市场监管'),
    };
    const stored = encodeHeaders(headers);
    expect(stored['content-type']).toBe('application/json');
    expect(stored.trace).toEqual({ base64: '/wAB' });
    expect(stored.nul).toEqual({ base64: Buffer.from('a\u0000b').toString('base64') });
    expect(decodeHeaders(JSON.parse(JSON.stringify(stored)))).toEqual(headers);
  });

  it('shows a truncated UTF-8 value as text even when the cut falls inside a character', () => {
    const value = Buffer.from('信'.repeat(2000));
    const shown = showBytes(value.subarray(0, SHOWN_BYTES), value.length);
    expect(shown).toMatchObject({ encoding: 'utf8', bytes: 6000, truncated: true });
    expect(shown.text).toBe('信'.repeat(Math.floor(SHOWN_BYTES / 3)));
    expect(showBytes(Buffer.from([0xff, 0xfe]), 2)).toEqual({
      encoding: 'base64',
      text: '//4=',
      bytes: 2,
      truncated: false,
    });
  });
});

describe('readDeadLetter', () => {
  const original = {
    topic: 'credit.ingest.market-regulation',
    partition: 2,
    offset: '41',
    key: Buffer.from('k'),
    value: Buffer.from('{}'),
    headers: { 'content-type': Buffer.from('application/json') },
    timestamp: 0,
  };
  const asIncoming = (message: ReturnType<typeof deadLetter>) => ({
    topic: 'credit.dlq',
    partition: 0,
    offset: '7',
    key: message.key as Buffer,
    value: message.value as Buffer,
    headers: Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([name, value]) => [name, Buffer.from(value)]),
    ),
    timestamp: 0,
  });

  it('reads where it came from, the department and the reason, and keeps only the original headers', () => {
    const at = new Date('2026-11-30T02:00:00Z');
    const record = readDeadLetter(
      asIncoming(
        deadLetter(original, { code: 'CREDIT_INVALID_USCC', message: 'bad code' }, 'aggregator', at),
      ),
    );
    expect(record).toMatchObject({
      sourceTopic: 'credit.ingest.market-regulation',
      sourcePartition: 2,
      sourceOffset: '41',
      department: 'market-regulation',
      reasonCode: 'CREDIT_INVALID_USCC',
      reason: 'bad code',
      service: 'aggregator',
      headers: { 'content-type': 'application/json' },
      deadAt: at.toISOString(),
    });
  });

  it('names no department for other topics, and UNKNOWN for a message without dlq headers', () => {
    const other = readDeadLetter(
      asIncoming(
        deadLetter({ ...original, topic: 'credit.subject-changes' }, { code: 'X', message: '' }, 'query-api'),
      ),
    );
    expect(other).toMatchObject({ department: null, service: 'query-api' });
    const bare = readDeadLetter({ ...asIncoming({ key: null, value: null }), key: null, value: null });
    expect(bare).toMatchObject({
      sourceTopic: null,
      department: null,
      reasonCode: 'UNKNOWN',
      value: null,
      headers: {},
    });
  });
});

describe('what people see of dead-lettered bytes', () => {
  it('masks identity numbers in text, keeping only the last four characters', () => {
    const shown = showBytes(Buffer.from('{"idNumber":"35010219800101123X"}'), 34);
    expect(shown.text).toBe('{"idNumber":"**************123X"}');
  });
});
