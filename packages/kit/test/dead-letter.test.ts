import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_MAX_BYTES,
  deadLetter,
  sendDeadLetters,
} from '../src/kafka/dead-letter.ts';
import type { IncomingMessage, OutgoingMessage } from '../src/kafka/types.ts';

const message = (value: Buffer, key: string, headers: Record<string, Buffer> = {}): IncomingMessage => ({
  topic: 'credit.ingest.tax',
  partition: 2,
  offset: '41',
  key: Buffer.from(key),
  value,
  headers,
  timestamp: 0,
});

describe('deadLetter', () => {
  it('keeps the message byte for byte and says where it came from and why', () => {
    const value = Buffer.from([0xc3, 0x01, 1, 2, 3]);
    const letter = deadLetter(
      message(value, 'CF-1', { kind: Buffer.from('x') }),
      { code: 'C', message: 'why' },
      'aggregator',
    );
    expect(letter.value).toEqual(value);
    expect(letter.key).toEqual(Buffer.from('CF-1'));
    expect(letter.headers).toMatchObject({
      kind: Buffer.from('x'),
      [DEAD_LETTER_HEADERS.sourceTopic]: 'credit.ingest.tax',
      [DEAD_LETTER_HEADERS.sourcePartition]: '2',
      [DEAD_LETTER_HEADERS.sourceOffset]: '41',
      [DEAD_LETTER_HEADERS.reasonCode]: 'C',
      [DEAD_LETTER_HEADERS.reason]: 'why',
      [DEAD_LETTER_HEADERS.service]: 'aggregator',
    });
    expect(letter.headers?.[DEAD_LETTER_HEADERS.masked]).toBeUndefined();
  });

  it('masks identity numbers in clear in the key, the value, the headers and the reason, at the same length', () => {
    const number = '110101199003074578';
    const value = Buffer.concat([Buffer.from([0xc3, 0x01, 0x24]), Buffer.from(number), Buffer.from([0x00])]);
    const letter = deadLetter(
      message(value, `CF-${number}`, { 'source-record-id': Buffer.from(number) }),
      { code: 'C', message: `subject ${number} refused` },
      'aggregator',
    );
    const all = JSON.stringify([letter.key?.toString(), letter.value?.toString('latin1'), letter.headers]);
    expect(all).not.toContain(number);
    expect((letter.value as Buffer).length).toBe(value.length);
    expect((letter.value as Buffer).subarray(3, 21).toString()).toBe('**************4578');
    expect(letter.headers?.[DEAD_LETTER_HEADERS.reason]).toBe('subject **************4578 refused');
    expect(letter.headers?.[DEAD_LETTER_HEADERS.masked]).toBe('3');
  });

  it('keeps a message as large as its topic takes to the first bytes of its value, saying how many there were', () => {
    const value = Buffer.alloc(2_097_000, 'x');
    const letter = deadLetter(
      message(value, 'CF-2', { kind: Buffer.from('x') }),
      { code: 'C', message: 'why' },
      'q',
    );
    const size =
      (letter.key as Buffer).length +
      (letter.value as Buffer).length +
      Object.entries(letter.headers ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0);
    expect(size).toBeLessThanOrEqual(DEAD_LETTER_MAX_BYTES);
    expect((letter.value as Buffer).length).toBeGreaterThan(DEAD_LETTER_MAX_BYTES - 1000);
    expect(letter.headers).toMatchObject({
      kind: Buffer.from('x'),
      [DEAD_LETTER_HEADERS.valueBytes]: '2097000',
      [DEAD_LETTER_HEADERS.reasonCode]: 'C',
    });
  });

  it('leaves out original headers that alone are too large, never its own', () => {
    const letter = deadLetter(
      message(Buffer.from('v'), 'CF-3', {
        huge: Buffer.alloc(DEAD_LETTER_MAX_BYTES, 'h'),
        [DEAD_LETTER_HEADERS.reasonCode]: Buffer.from('forged'),
      }),
      { code: 'C', message: 'why' },
      'q',
    );
    expect(letter.headers?.huge).toBeUndefined();
    expect(letter.headers?.[DEAD_LETTER_HEADERS.reasonCode]).toBe('C');
    expect(letter.headers?.[DEAD_LETTER_HEADERS.headersDropped]).toBe('1');
  });
});

describe('sendDeadLetters', () => {
  it('sends in order, in requests the broker takes whole', async () => {
    const requests: OutgoingMessage[][] = [];
    const letters = [1, 2, 3, 4].map((i) => ({ key: String(i), value: Buffer.alloc(700_000, 'x') }));
    await sendDeadLetters({ send: async (_topic, messages) => void requests.push(messages) }, 'dlq', letters);
    expect(requests.map((r) => r.map((m) => m.key))).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});
