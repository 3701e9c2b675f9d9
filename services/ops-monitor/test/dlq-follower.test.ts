import { makeResidentId, maskResidentId } from '@credit/identifiers';
import { DEAD_LETTER_HEADERS, type IncomingMessage } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import { readDeadLetter } from '../src/dlq-follower.ts';

const message = (headers: Record<string, string>): IncomingMessage => ({
  topic: 'credit.dlq',
  partition: 0,
  offset: '12',
  key: null,
  value: Buffer.from('{}'),
  headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Buffer.from(value)])),
  timestamp: Date.parse('2026-12-01T00:00:00Z'),
});

describe('reading a dead letter whatever its headers say', () => {
  it('leaves out an offset PostgreSQL cannot hold and a time it cannot store', () => {
    const record = readDeadLetter(
      message({
        [DEAD_LETTER_HEADERS.sourceOffset]: '9999999999999999999',
        [DEAD_LETTER_HEADERS.at]: '+010000-01-01T00:00:00.000Z',
      }),
    );
    expect(record.sourceOffset).toBeNull();
    expect(record.deadAt).toBe('2026-12-01T00:00:00.000Z');
    expect(
      readDeadLetter(message({ [DEAD_LETTER_HEADERS.sourceOffset]: '9223372036854775807' })).sourceOffset,
    ).toBe('9223372036854775807');
  });

  it('never cuts a character in half (a lone surrogate would make the row unstorable)', () => {
    const name = `${'a'.repeat(199)}𠀀`;
    const record = readDeadLetter(message({ [DEAD_LETTER_HEADERS.reasonCode]: `${name}tail` }));
    expect(record.reasonCode).toBe(name);
    expect(record.reasonCode).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('masks an identity number a dead letter not written by deadLetter() quotes in its reason', () => {
    const number = makeResidentId({ division: '350102', birthDate: '1979-08-21', sequence: 314 });
    const record = readDeadLetter(message({ [DEAD_LETTER_HEADERS.reason]: `subject ${number} refused` }));
    expect(record.reason).toBe(`subject ${maskResidentId(number)} refused`);
  });
});
