import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deadLetter } from '@credit/kit';
import { AVRO_DIR, createCodec, getKind, loadRegistry } from '@credit/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { showRecord } from '../src/dlq-avro.ts';
import { decodeHeaders, encodeHeaders, SHOWN_BYTES, showBytes, showHeaders } from '../src/dlq-bytes.ts';
import { readDeadLetter } from '../src/dlq-follower.ts';
import { PERSON_NUMBER, personPenalty, REPRESENTATIVE_NUMBER } from './person-record.ts';

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

  it('masks the digits at the cut of a truncated text, where a number may have lost its last characters', () => {
    const head = Buffer.from(`{"idNumber":"${PERSON_NUMBER.slice(0, 17)}`);
    expect(showBytes(head, head.length + 3).text).toBe(`{"idNumber":"${'*'.repeat(17)}`);
    expect(showBytes(Buffer.from('{"fine":12}'), 11).text).toBe('{"fine":12}');
  });
});

describe('what people see of a dead-lettered Avro record', () => {
  const codec = createCodec();
  const lastFour = (number: string) => `${'*'.repeat(14)}${number.slice(-4)}`;
  /** The bytes a base64 view stands for, as text one character per byte. */
  const behind = (base64: string) => Buffer.from(base64, 'base64').toString('latin1');

  it('decodes a natural person’s record to JSON with no identity number in clear', () => {
    const record = personPenalty();
    const value = codec.encode('administrative-penalty', record);
    expect(value.toString('latin1')).toContain(PERSON_NUMBER);

    const shown = showBytes(value, value.length);
    expect(shown).toMatchObject({
      encoding: 'avro',
      kind: 'administrative-penalty',
      version: codec.decode(value).version,
      bytes: value.length,
      truncated: false,
    });
    expect(shown.text).not.toContain(PERSON_NUMBER);
    expect(shown.text).not.toContain(REPRESENTATIVE_NUMBER);
    expect(shown.text).not.toMatch(/[0-9]{17}/);
    const json = JSON.parse(shown.text);
    expect(json.envelope.subject).toMatchObject({
      category: 'NATURAL_PERSON',
      codeType: 'RESIDENT_IDENTITY_CARD',
      code: lastFour(PERSON_NUMBER),
      legalRepresentative: { name: '王大明', idNumber: lastFour(REPRESENTATIVE_NUMBER) },
    });
    expect(json.violationFacts).toContain(`公民身份号码${lastFour(PERSON_NUMBER)}）`);
    expect(json.envelope.reportedAt).toBe(record.envelope.reportedAt.toISOString());
    expect(json.envelope.decisionDate).toBe(record.envelope.decisionDate);
    expect(json.fineAmount).toBe(record.fineAmount);
  });

  it('masks another document’s number by its own rule, whatever its shape', () => {
    const record = personPenalty();
    record.envelope.subject = { ...record.envelope.subject, codeType: 'PASSPORT', code: 'EA1234567' };
    const value = codec.encode('administrative-penalty', record);
    expect(JSON.parse(showBytes(value, value.length).text).envelope.subject.code).toBe('*******67');
  });

  it('shows a value of an unknown schema as base64 of its bytes with the numbers masked, and says why', () => {
    const value = Buffer.from(codec.encode('administrative-penalty', personPenalty()));
    value.fill(0xee, 2, 10);
    const shown = showBytes(value, value.length);
    expect(shown).toMatchObject({ encoding: 'base64', bytes: value.length, truncated: false });
    expect(shown.encoding === 'base64' && shown.notDecoded).toContain('SCHEMA_UNKNOWN_FINGERPRINT');
    const bytes = behind(shown.text);
    expect(bytes).toHaveLength(value.length);
    expect(bytes).not.toContain(PERSON_NUMBER);
    expect(bytes).not.toContain(REPRESENTATIVE_NUMBER);
    expect(bytes).toContain(lastFour(PERSON_NUMBER));
    expect(bytes).toContain(lastFour(REPRESENTATIVE_NUMBER));
  });

  it('shows a record cut at SHOWN_BYTES as masked base64, even a number cut in two', () => {
    const record = personPenalty();
    record.penaltyContent = '没收违法所得。'.repeat(300);
    const value = codec.encode('administrative-penalty', record);
    expect(value.length).toBeGreaterThan(SHOWN_BYTES);
    const shown = showBytes(value.subarray(0, SHOWN_BYTES), value.length);
    expect(shown).toMatchObject({ encoding: 'base64', bytes: value.length, truncated: true });
    expect(shown.encoding === 'base64' && shown.notDecoded).toMatch(/^cut at 4096 of its \d+ bytes/);
    expect(behind(shown.text)).not.toContain(PERSON_NUMBER);
    expect(behind(shown.text)).toContain(lastFour(PERSON_NUMBER));

    // 17 characters of a resident number give away the 18th: digits at the cut are masked too.
    const cut = value.toString('latin1').indexOf(REPRESENTATIVE_NUMBER) + 17;
    const cutShown = behind(showBytes(value.subarray(0, cut), value.length).text);
    expect(cutShown).not.toContain(REPRESENTATIVE_NUMBER.slice(0, 6));
    expect(cutShown.endsWith('*'.repeat(17))).toBe(true);
    expect(cutShown).not.toContain(PERSON_NUMBER);
  });

  it('masks identity numbers inside binary keys and header values, leaving the stored bytes alone', () => {
    const key = Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from(PERSON_NUMBER)]);
    expect(behind(showBytes(key, key.length).text)).not.toContain(PERSON_NUMBER);
    const stored = encodeHeaders({ person: Buffer.from(PERSON_NUMBER), trace: key });
    const shown = showHeaders(stored);
    expect(JSON.stringify(shown)).not.toContain(PERSON_NUMBER);
    expect(behind((shown.trace as { base64: string }).base64)).toContain(lastFour(PERSON_NUMBER));
    expect(decodeHeaders(stored).trace).toEqual(key);
  });

  describe('with a schema version that seals identity numbers and carries bytes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ops-dlq-avro-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * The platform's schemas plus a next version of administrative-penalty with a `sealed` block and a bytes field
     * at its top level (wherever the platform's own versions put theirs).
     */
    function codecWithNextVersion() {
      cpSync(AVRO_DIR, dir, { recursive: true });
      const kindDir = path.join(dir, 'administrative-penalty');
      const version = getKind(loadRegistry(dir), 'administrative-penalty').current.version;
      const schema = JSON.parse(readFileSync(path.join(kindDir, `v${version}.avsc`), 'utf8'));
      schema.fields.push(
        {
          name: 'sealed',
          type: [
            'null',
            {
              type: 'record',
              name: 'SealedIdentity',
              fields: [
                { name: 'keyId', type: 'string' },
                { name: 'ciphertexts', type: { type: 'map', values: 'bytes' } },
              ],
            },
          ],
          default: null,
        },
        { name: 'attachment', type: ['null', 'bytes'], default: null },
      );
      writeFileSync(path.join(kindDir, `v${version + 1}.avsc`), JSON.stringify(schema));
      return { codec: createCodec(loadRegistry(dir)), version: version + 1 };
    }

    it('shows bytes by their length and a sealed block by its key only', () => {
      const next = codecWithNextVersion();
      const ciphertext = Buffer.from(`not really encrypted: ${PERSON_NUMBER}`);
      const value = next.codec.encodeVersion('administrative-penalty', next.version, {
        ...personPenalty(),
        sealed: { keyId: 'platform-2027-01', ciphertexts: { code: ciphertext } },
        attachment: Buffer.alloc(37, 0x41),
      });
      const shown = showRecord(value, next.codec);
      expect(shown).toMatchObject({ kind: 'administrative-penalty', version: next.version });
      const json = JSON.parse(shown.json);
      expect(json.sealed).toEqual({ sealedFor: 'platform-2027-01' });
      expect(json.attachment).toEqual({ bytes: 37 });
      expect(shown.json).not.toContain(PERSON_NUMBER);
      expect(shown.json).not.toContain(ciphertext.toString('base64'));
      expect(shown.json).not.toContain('not really encrypted');

      const withoutSeal = next.codec.encodeVersion('administrative-penalty', next.version, personPenalty());
      expect(JSON.parse(showRecord(withoutSeal, next.codec).json)).toMatchObject({
        sealed: null,
        attachment: null,
      });
    });
  });
});
