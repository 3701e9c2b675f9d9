import { describe, expect, it } from 'vitest';
import { auditRowHash, canonicalJson, GENESIS_HASH } from '../src/index.ts';

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 'x' })).toBe('{"a":2,"b":1,"c":"x"}');
    expect(canonicalJson({ c: 'x', a: 2, b: 1 })).toBe(canonicalJson({ b: 1, a: 2, c: 'x' }));
  });

  it('sorts nested objects too, including objects inside arrays', () => {
    expect(canonicalJson({ z: { y: 1, x: [{ b: true, a: null }] }, a: [] })).toBe(
      '{"a":[],"z":{"x":[{"a":null,"b":true}],"y":1}}',
    );
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2, 'b', 'a'])).toBe('[3,1,2,"b","a"]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  it('writes strings and numbers as JSON does, without whitespace', () => {
    expect(canonicalJson({ s: 'quote " and \\ and \n and 中文', n: -1.5e-7, i: 42, f: false })).toBe(
      `{"f":false,"i":42,"n":-1.5e-7,"s":${JSON.stringify('quote " and \\ and \n and 中文')}}`,
    );
    expect(canonicalJson(null)).toBe('null');
  });

  it('survives a JSON round trip unchanged', () => {
    const value = { b: [1, { d: 2, c: 3 }], a: 'x' };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('refuses what is not plain JSON', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(/\$\.a/);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/Infinity/);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/Date/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });
});

describe('auditRowHash', () => {
  const fields = {
    id: '1',
    at: new Date('2026-01-02T03:04:05.678Z'),
    actor: 'client-1',
    purpose: 'loan 42',
    subjectCode: '91350100M000100Y43',
    action: 'profile',
    detail: { records: 3 },
  };

  it('is a sha256 hex that covers the previous hash and every field', () => {
    const hash = auditRowHash(GENESIS_HASH, fields);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(auditRowHash(GENESIS_HASH, { ...fields, detail: { records: 3 } })).toBe(hash);
    expect(auditRowHash('1'.repeat(64), fields)).not.toBe(hash);
    expect(auditRowHash(GENESIS_HASH, { ...fields, id: '2' })).not.toBe(hash);
    expect(auditRowHash(GENESIS_HASH, { ...fields, at: new Date('2026-01-02T03:04:05.679Z') })).not.toBe(
      hash,
    );
    expect(auditRowHash(GENESIS_HASH, { ...fields, purpose: null })).not.toBe(hash);
    expect(auditRowHash(GENESIS_HASH, { ...fields, detail: { records: 4 } })).not.toBe(hash);
  });
});
