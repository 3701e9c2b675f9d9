import { describe, expect, it } from 'vitest';
import { fingerprintBytes, rabinFingerprint64, schemaFingerprint } from '../src/fingerprint.ts';
import type { JsonValue } from '../src/schema-json.ts';

/** The Avro test data gives fingerprints as Java's signed 64-bit long; the wire carries them little-endian. */
function littleEndianHex(signed: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, signed));
  return bytes.toString('hex');
}

// From the Avro project's share/test/data/schema-tests.txt (cross-checked there against the Java implementation).
const SPEC_VECTORS: readonly [schema: string, fingerprint: bigint][] = [
  ['"null"', 7195948357588979594n],
  ['"boolean"', -6970731678124411036n],
  ['"int"', 8247732601305521295n],
  ['"long"', -3434872931120570953n],
  ['"string"', -8142146995180207161n],
  ['"bytes"', 5746618253357095269n],
  ['[ "int" , {"type":"boolean"} ]', 5392556393470105090n],
  ['{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}', 5916914534497305771n],
  ['{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}', -4824392279771201922n],
  [
    '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    -4448647247586288245n,
  ],
  ['{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}', -3064184465700546786n],
  ['{ "items":{"type":"null"}, "type":"array"}', -589620603366471059n],
  ['{ "values":"string", "type":"map"}', -8732877298790414990n],
  [
    '{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    -1759257747318642341n,
  ],
];

describe('CRC-64-AVRO fingerprints', () => {
  it('gives the known vector for "int": 8f5c393f1ad57572', () => {
    expect(schemaFingerprint('int')).toBe('8f5c393f1ad57572');
  });

  it('writes the fingerprint little-endian: "null" is 8a8f25cce724dd63 (63dd24e7cc258f8a read as a number)', () => {
    expect(schemaFingerprint('null')).toBe('8a8f25cce724dd63');
    expect(rabinFingerprint64(Buffer.from('"null"')).toString(16)).toBe('63dd24e7cc258f8a');
  });

  it.each(SPEC_VECTORS)('%s', (schema, expected) => {
    expect(schemaFingerprint(JSON.parse(schema) as JsonValue)).toBe(littleEndianHex(expected));
  });

  it('fingerprints nothing as the EMPTY constant of the specification', () => {
    expect(rabinFingerprint64(new Uint8Array())).toBe(0xc15d213aa4d7a795n);
    expect(fingerprintBytes('')).toHaveLength(8);
  });

  it('ignores docs, defaults and logical types (they are not part of the canonical form)', () => {
    const plain = { type: 'record', name: 'R', fields: [{ name: 'd', type: 'int' }] };
    const decorated = {
      type: 'record',
      name: 'R',
      doc: '说明',
      fields: [{ name: 'd', type: { type: 'int', logicalType: 'date' }, doc: '日期', default: 0 }],
    };
    expect(schemaFingerprint(decorated)).toBe(schemaFingerprint(plain));
  });
});
