import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeResidentId } from '@credit/identifiers';
import type { Batch, BatchHandler, ConsumerOptions, IncomingMessage, MessageBus } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import {
  findIdentityNumbers,
  findIdentityNumbersInJson,
  scanLogFiles,
  scanTopics,
} from '../src/privacy-scan.ts';

const PERSON = makeResidentId({ division: '350102', birthDate: '1983-09-21', sequence: 777 });
const WOMAN_WITH_X = findX();
/** A unified social credit code of digits only (the market regulator's): 18 digits, not a person. */
const ALL_DIGIT_USCC = '113501000037021557';

function findX(): string {
  for (let sequence = 0; sequence < 1000; sequence += 1) {
    const number = makeResidentId({ division: '110101', birthDate: '1990-03-07', sequence });
    if (number.endsWith('X')) return number;
  }
  throw new Error('no number with the check character X');
}

function wrongCheck(number: string): string {
  return `${number.slice(0, 17)}${number.endsWith('0') ? '1' : '0'}`;
}

describe('findIdentityNumbers in text', () => {
  it('finds a valid number in free text, once, whatever surrounds it', () => {
    expect(findIdentityNumbers(`当事人（公民身份号码${PERSON}）销售`)).toEqual([PERSON]);
    expect(findIdentityNumbers(`${PERSON},${PERSON}`)).toEqual([PERSON]);
    expect(findIdentityNumbers(`/v1/subjects/${PERSON}/history`)).toEqual([PERSON]);
    expect(findIdentityNumbers(`id=${WOMAN_WITH_X.toLowerCase()}`)).toEqual([WOMAN_WITH_X]);
  });

  it('ignores 18-digit runs that are not valid numbers, all-digit USCCs and longer runs of digits', () => {
    expect(findIdentityNumbers(wrongCheck(PERSON))).toEqual([]);
    expect(findIdentityNumbers('350102198302301234')).toEqual([]); // 30 February
    expect(findIdentityNumbers('999999198309217770')).toEqual([]); // no such division
    expect(findIdentityNumbers(`USCC ${ALL_DIGIT_USCC}`)).toEqual([]);
    expect(findIdentityNumbers('account 123456789012345678')).toEqual([]);
    // Glued to more digits in text: part of a longer number, not a number of its own.
    expect(findIdentityNumbers(`9${PERSON}`)).toEqual([]);
    expect(findIdentityNumbers(`${PERSON.slice(0, 17)}1${PERSON}`)).toEqual([]);
    // Masked as the platform masks: nothing left to find.
    expect(findIdentityNumbers(`**************${PERSON.slice(-4)}`)).toEqual([]);
  });

  it('finds a number a JSON escape glues to digits', () => {
    const json = JSON.stringify({ key: `\u0001${PERSON}` });
    expect(json).toContain(`u0001${PERSON}`);
    expect(findIdentityNumbers(json)).toEqual([]);
    expect(findIdentityNumbersInJson(json)).toEqual([PERSON]);
    expect(findIdentityNumbersInJson(`{"n":${PERSON.slice(0, 17)}1}`)).toEqual([]);
  });
});

describe('findIdentityNumbers in bytes', () => {
  it('finds a number glued to a non-digit length byte, as Avro writes a string', () => {
    // zigzag(18) = 36 = '$': the length byte of an 18-character string.
    const avro = Buffer.concat([
      Buffer.from([0xc3, 0x01, 0x02, 0x24]),
      Buffer.from(PERSON),
      Buffer.from([0x00]),
    ]);
    expect(findIdentityNumbers(avro)).toEqual([PERSON]);
    expect(findIdentityNumbers(new Uint8Array(avro))).toEqual([PERSON]);
  });

  it('finds a number followed or preceded by a byte that reads as a digit (the next field’s length)', () => {
    // zigzag(24) = 48 = '0': the next field is a 24-character string.
    expect(findIdentityNumbers(Buffer.from(`$${PERSON}0${'a'.repeat(24)}`, 'latin1'))).toEqual([PERSON]);
    expect(findIdentityNumbers(Buffer.from(`4${PERSON}`, 'latin1'))).toEqual([PERSON]);
  });

  it('ignores invalid runs and all-digit USCCs in bytes', () => {
    expect(findIdentityNumbers(Buffer.from(`$${ALL_DIGIT_USCC}$${wrongCheck(PERSON)}`))).toEqual([]);
    expect(findIdentityNumbers(Buffer.from([0x30, 0x31, 0xff, 0x00]))).toEqual([]);
  });
});

describe('scanTopics', () => {
  it('reads each partition from where it is told to its end offset and finds numbers in keys, values and headers', async () => {
    const messages: IncomingMessage[] = [
      message(0, { key: Buffer.from(PERSON) }),
      message(1, { value: Buffer.from(`not avro, about ${ALL_DIGIT_USCC}`) }),
      message(2, { headers: { 'x-subject': Buffer.from(`\u0000${PERSON}`) } }),
      message(3, { headers: { [`x-${PERSON}`]: Buffer.from('') } }),
      message(4, { value: Buffer.concat([Buffer.from([0x24]), Buffer.from(PERSON)]) }),
    ];
    const { bus, groups } = fakeBus({ 'a-topic': messages, 'an-empty-topic': [] });
    const all = await scanTopics(bus, ['a-topic', 'an-empty-topic', 'a-gone-topic'], { groupId: 'g' });
    expect(all).toMatchObject({ topics: 2, messages: 5, unfinished: [], missing: ['a-gone-topic'] });
    expect(all.findings.map((f) => [f.where, f.messages, f.first.offset])).toEqual([
      ['key', 1, '0'],
      ['header x-subject', 1, '2'],
      ['header name', 1, '3'],
      ['value', 1, '4'],
    ]);
    expect(groups).toEqual(['g']);
    // From offset 3: the key and the first header are before it.
    const later = await scanTopics(bus, [{ topic: 'a-topic', from: { 0: '3' } }]);
    expect(later.messages).toBe(2);
    expect(later.findings.map((f) => f.where)).toEqual(['header name', 'value']);
    expect(JSON.stringify([all, later])).not.toContain(PERSON);
  });

  it('reports partitions it could not read to the end in time', async () => {
    const { bus } = fakeBus({ 'a-topic': [message(0, {})] }, { deliver: false });
    const scan = await scanTopics(bus, ['a-topic'], { timeoutMs: 50 });
    expect(scan.unfinished).toEqual([{ topic: 'a-topic', partition: 0, next: '0', end: '1' }]);
  });
});

describe('scanLogFiles', () => {
  it('names the file, the lines, where in the JSON and who logged, never the number', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'privacy-scan-'));
    const file = path.join(dir, 'a.log');
    writeFileSync(
      file,
      [
        JSON.stringify({ level: 30, service: 'query-api', msg: 'ok', subject: ALL_DIGIT_USCC }),
        JSON.stringify({
          level: 50,
          service: 'query-api',
          req: { url: `/v1/subjects/${PERSON}` },
          msg: 'failed',
        }),
        `plain text ${PERSON}`,
        '',
      ].join('\n'),
    );
    const scan = scanLogFiles([file]);
    expect(scan).toMatchObject({ files: 1, lines: 3 });
    expect(scan.findings).toEqual([
      { file, lines: [2, 3], count: 2, paths: ['req.url', '(not JSON)'], services: ['query-api'] },
    ]);
  });
});

function message(offset: number, parts: Partial<IncomingMessage>): IncomingMessage {
  return {
    topic: 'a-topic',
    partition: 0,
    offset: String(offset),
    key: null,
    value: null,
    headers: {},
    timestamp: 0,
    ...parts,
  };
}

/** A broker of one-partition topics: the consumer hands each topic's messages over in batches of two. */
function fakeBus(
  topics: Record<string, IncomingMessage[]>,
  { deliver = true } = {},
): { bus: MessageBus; groups: string[] } {
  const groups: string[] = [];
  const bus = {
    admin: async () => ({
      listTopics: async () => Object.keys(topics),
      topicOffsets: async (topic: string) => [
        { partition: 0, low: '0', high: String(topics[topic]!.length) },
      ],
      deleteGroups: async (ids: string[]) => void groups.push(...ids),
      disconnect: async () => {},
    }),
    consumer: async (options: ConsumerOptions) => ({
      run: async (handler: BatchHandler) => {
        if (!deliver) return;
        for (const topic of options.topics as string[]) {
          const all = topics[topic]!;
          for (let i = 0; i < all.length; i += 2) {
            const batch: Batch = {
              topic,
              partition: 0,
              messages: all.slice(i, i + 2),
              highWatermark: String(all.length),
            };
            await handler(batch, { heartbeat: async () => {}, isRunning: () => true, isStale: () => false });
          }
        }
      },
      pause: () => {},
      resume: () => {},
      disconnect: async () => {},
    }),
    producer: async () => {
      throw new Error('not for the scan');
    },
  };
  return { bus: bus as unknown as MessageBus, groups };
}
