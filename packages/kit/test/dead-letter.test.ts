import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, deadLetter } from '../src/kafka/dead-letter.ts';
import type { IncomingMessage } from '../src/kafka/types.ts';

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
});
