import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskIdentityNumbers } from '../src/logger.ts';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
  };
}

describe('createLogger', () => {
  it('writes JSON lines bound to the service', () => {
    const out = capture();
    createLogger({ service: 'aggregator', destination: out.stream }).info({ recordId: 'r-1' }, 'upserted');
    expect(out.lines()[0]).toMatchObject({
      service: 'aggregator',
      recordId: 'r-1',
      msg: 'upserted',
      level: 30,
    });
  });

  it('redacts identity numbers and credentials by path', () => {
    const out = capture();
    const logger = createLogger({ service: 'gateway', destination: out.stream });
    logger.info({
      subject: { idNumber: '110101199003074578', name: '张三' },
      record: { legalRepresentative: { idNumber: '110101199003074578' } },
      req: { headers: { authorization: 'Bearer secret' } },
    });
    const line = JSON.stringify(out.lines()[0]);
    expect(line).not.toContain('110101199003074578');
    expect(line).not.toContain('secret');
    expect(line).toContain('张三');
  });

  it('masks identity numbers in any field, nested, and in an error’s message', () => {
    const out = capture();
    createLogger({ service: 'gateway', destination: out.stream }).warn(
      {
        subject: '11010119900307457X',
        nested: { keys: ['k-110101199003074578'] },
        err: new Error('value 110101199003074578 refused'),
      },
      'refused',
    );
    const line = JSON.stringify(out.lines()[0]);
    expect(line).not.toContain('110101199003074578');
    expect(line).not.toContain('11010119900307457X');
    expect(line).toContain('**************457X');
  });

  it('masks identity numbers quoted in messages', () => {
    const out = capture();
    createLogger({ service: 'gateway', destination: out.stream }).warn('subject 11010119900307457X rejected');
    expect(out.lines()[0]?.msg).toBe('subject **************457X rejected');
  });
});

describe('maskIdentityNumbers', () => {
  it('leaves longer digit runs such as phone numbers with prefixes and amounts alone', () => {
    expect(maskIdentityNumbers('order 12345678901234567890 total 100')).toBe(
      'order 12345678901234567890 total 100',
    );
  });
});
