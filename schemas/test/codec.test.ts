import { describe, expect, it } from 'vitest';
import { createCodec } from '../src/codec.ts';
import {
  Incompatible,
  InvalidValue,
  NotSingleObject,
  Undecodable,
  UnknownFingerprint,
  UnknownKind,
  UnknownVersion,
} from '../src/errors.ts';
import type { RecordKind } from '../src/generated/types.ts';
import { getSchemaVersion, loadRegistry } from '../src/registry.ts';
import { sampleRecord, samples } from '../src/samples.ts';
import { readFingerprint } from '../src/single-object.ts';
import { loadFixture } from './fixtures.ts';

const registry = loadRegistry();
const codec = createCodec(registry);
const untyped = createCodec<Record<string, unknown>>(registry);
const KINDS = Object.keys(samples) as RecordKind[];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('encode / decode', () => {
  it.each(KINDS)('round-trips the %s sample exactly', (kind) => {
    const bytes = codec.encode(kind, samples[kind]);
    const decoded = codec.decode(bytes);
    expect(decoded.kind).toBe(kind);
    expect(decoded.version).toBe(2);
    expect(decoded.fingerprint).toBe(getSchemaVersion(registry, kind).fingerprint);
    expect(decoded.value).toEqual(samples[kind]);
  });

  it('keeps Chinese text, decimals and dates exact', () => {
    const decoded = codec.decode(codec.encode('administrative-penalty', samples['administrative-penalty']));
    if (decoded.kind !== 'administrative-penalty') throw new Error(`decoded ${decoded.kind}`);
    const penalty = decoded.value;
    expect(penalty.envelope.subject.name).toBe('福州闽江智联科技有限公司');
    expect(penalty.decisionDocumentNumber).toBe('榕市监罚〔2024〕1207号');
    expect(penalty.fineAmount).toBe('7.503000');
    expect(penalty.confiscatedAmount).toBe('0.325050');
    expect(penalty.envelope.decisionDate).toBe('2024-05-20');
    expect(penalty.publicationDeadline).toBe('2025-05-20');
    expect(penalty.envelope.reportedAt).toEqual(new Date('2024-05-21T01:45:00.000Z'));
  });

  it('writes Avro single-object encoding: C3 01, the 8-byte fingerprint, the body', () => {
    const bytes = codec.encode('honour', samples.honour);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xc3, 0x01]));
    expect(bytes.subarray(2, 10).toString('hex')).toBe(getSchemaVersion(registry, 'honour').fingerprint);
    expect(readFingerprint(bytes)).toBe(getSchemaVersion(registry, 'honour').fingerprint);
  });

  it('accepts a Uint8Array view as well as a Buffer', () => {
    const bytes = codec.encode('credit-grade', samples['credit-grade']);
    const copy = new Uint8Array(bytes.length + 4).fill(7);
    copy.set(bytes, 2);
    expect(codec.decode(copy.subarray(2, 2 + bytes.length)).value).toEqual(samples['credit-grade']);
  });

  it('re-encodes decoded values', () => {
    const decoded = codec.decode(codec.encode('list-designation', samples['list-designation']));
    if (decoded.kind !== 'list-designation') throw new Error(`decoded ${decoded.kind}`);
    expect(codec.encode('list-designation', decoded.value)).toEqual(
      codec.encode('list-designation', samples['list-designation']),
    );
  });

  it('fills a field added in a later version with its default when decoding an older message', () => {
    const fixtureCodec = createCodec<Record<string, unknown>>(loadFixture('compatible'));
    const v1 = {
      envelope: sampleRecord('honour').envelope,
      noticeTitle: '公告',
      caseNumber: 'A-1',
      noticeStatus: 'PUBLISHED',
    };
    const decoded = fixtureCodec.decode(fixtureCodec.encodeVersion('credit-notice', 1, v1));
    expect(decoded).toMatchObject({ kind: 'credit-notice', version: 1 });
    expect(decoded.value).toEqual({ ...v1, channel: null });

    const current = { ...v1, channel: '信用中国（福建）' };
    expect(fixtureCodec.decode(fixtureCodec.encode('credit-notice', current))).toMatchObject({
      version: 2,
      value: current,
    });
  });
});

describe('decode errors', () => {
  const valid = codec.encode('honour', samples.honour);

  it('rejects bytes that are not single-object encoded', () => {
    expect(codeOf(() => codec.decode(Buffer.from([0xc3, 0x01, 0x00])))).toBe(NotSingleObject.code);
    expect(codeOf(() => codec.decode(Buffer.alloc(0)))).toBe(NotSingleObject.code);
    const wrongMagic = Buffer.from(valid);
    wrongMagic[0] = 0x4f;
    expect(() => codec.decode(wrongMagic)).toThrow(/starts with 4f01, not the marker c301/);
  });

  it('rejects an unknown fingerprint, naming it', () => {
    const unknown = Buffer.concat([
      Buffer.from('c301', 'hex'),
      Buffer.from('0123456789abcdef', 'hex'),
      Buffer.from([0]),
    ]);
    expect(() => codec.decode(unknown)).toThrow(
      expect.objectContaining({
        code: UnknownFingerprint.code,
        message: 'no known schema has fingerprint 0123456789abcdef',
      }),
    );
  });

  it('rejects a truncated body, trailing bytes and garbage', () => {
    expect(codeOf(() => codec.decode(valid.subarray(0, valid.length - 3)))).toBe(Undecodable.code);
    expect(codeOf(() => codec.decode(Buffer.concat([valid, Buffer.from([0])])))).toBe(Undecodable.code);
    const garbage = Buffer.concat([valid.subarray(0, 10), Buffer.alloc(40, 0xff)]);
    expect(() => codec.decode(garbage)).toThrow(
      expect.objectContaining({ code: Undecodable.code, message: expect.stringContaining('honour v2') }),
    );
  });

  it('refuses to decode with versions that do not resolve (a registry that fails the check)', () => {
    const broken = createCodec<Record<string, unknown>>(loadFixture('broken/new-field-without-default'));
    const { envelope } = samples.honour;
    const bytes = broken.encodeVersion('credit-notice', 1, {
      envelope,
      noticeTitle: '公告',
      caseNumber: 'A-1',
      noticeStatus: 'DRAFT',
    });
    expect(() => broken.decode(bytes)).toThrow(
      expect.objectContaining({
        code: Incompatible.code,
        message: expect.stringContaining('credit-notice v1'),
      }),
    );
  });
});

describe('encode errors', () => {
  function invalidMessage(change: (penalty: Record<string, unknown>) => void): string {
    const penalty: Record<string, unknown> = sampleRecord('administrative-penalty') as unknown as Record<
      string,
      unknown
    >;
    change(penalty);
    try {
      untyped.encode('administrative-penalty', penalty);
    } catch (error) {
      expect(InvalidValue.is(error)).toBe(true);
      return (error as Error).message;
    }
    throw new Error('encode accepted an invalid value');
  }

  it('names the path and value of the first invalid field, and why', () => {
    expect(invalidMessage((p) => Object.assign(p, { fineAmount: '7.5030001' }))).toBe(
      `invalid administrative-penalty v2 value at fineAmount: "7.5030001" (7 fraction digits exceed the schema's scale of 6)`,
    );
    expect(invalidMessage((p) => Object.assign(p, { fineAmount: 75030 }))).toContain(
      'at fineAmount: 75030 (expected a decimal string',
    );
    expect(invalidMessage((p) => Object.assign(p, { fineAmount: '1000000000000' }))).toContain(
      'precision of 18',
    );
    expect(
      invalidMessage((p) => {
        const envelope = p.envelope as { subject: { code: unknown } };
        envelope.subject.code = 913501001;
      }),
    ).toBe('invalid administrative-penalty v2 value at envelope.subject.code: 913501001 (expected a string)');
    expect(invalidMessage((p) => Object.assign(p, { penaltyCategories: ['FINE', 'JAIL'] }))).toContain(
      'at penaltyCategories[1]: "JAIL" (expected one of WARNING, PUBLIC_CRITICISM',
    );
    expect(invalidMessage((p) => Object.assign(p, { publicationDeadline: '2025-02-30' }))).toContain(
      `at publicationDeadline: "2025-02-30" ('2025-02-30' is not a calendar date in the form YYYY-MM-DD)`,
    );
    expect(
      invalidMessage((p) => Object.assign(p.envelope as object, { reportedAt: '2024-05-21T01:45:00Z' })),
    ).toContain('at envelope.reportedAt: "2024-05-21T01:45:00Z" (expected a Date, got string)');
  });

  it('states the range of longs avsc can hold as JS numbers', () => {
    expect(
      invalidMessage((p) => Object.assign(p.envelope as object, { version: Number.MAX_SAFE_INTEGER })),
    ).toContain('at envelope.version: 9007199254740991 (expected an integer within ±9007199254740990)');
  });

  it('names a missing field and an undeclared (misspelt) one', () => {
    expect(invalidMessage((p) => delete p.legalBasis)).toContain(
      'at legalBasis: undefined (missing; expected a string)',
    );
    expect(invalidMessage((p) => Object.assign(p, { fineAmmount: '1.000000' }))).toContain(
      'credit.records.AdministrativePenalty has no field fineAmmount',
    );
  });

  it('rejects unknown kinds and versions', () => {
    expect(codeOf(() => untyped.encode('tax-evasion', {}))).toBe(UnknownKind.code);
    expect(codeOf(() => untyped.encodeVersion('honour', 3, samples.honour))).toBe(UnknownVersion.code);
  });
});

describe('enum symbols', () => {
  it('refuses names inherited from Object.prototype, which avsc alone would accept', () => {
    const codec = createCodec();
    for (const symbol of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const value = { ...samples['administrative-penalty'], penaltyCategories: ['FINE', symbol] };
      expect(() => codec.encode('administrative-penalty', value as never)).toThrow(/penaltyCategories/);
    }
  });
});
