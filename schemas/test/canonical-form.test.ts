import { describe, expect, it } from 'vitest';
import { parsingCanonicalForm } from '../src/canonical-form.ts';
import type { JsonValue } from '../src/schema-json.ts';

// Inputs and canonical forms from the Avro project's share/test/data/schema-tests.txt and the specification.
const SPEC_CASES: readonly [input: string, canonical: string][] = [
  ['"null"', '"null"'],
  ['{"type":"null"}', '"null"'],
  ['{"type":"boolean"}', '"boolean"'],
  ['[ "int" , {"type":"boolean"} ]', '["int","boolean"]'],
  [
    '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    '{"name":"x.y.foo","type":"record","fields":[]}',
  ],
  [
    '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    '{"name":"a.b.foo","type":"record","fields":[]}',
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    '{"name":"foo","type":"record","fields":[]}',
  ],
  [
    `{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":"true"},
                 {"order":"descending","name":"f2","doc":"Hello","type":"int"}],
       "type":"record", "name":"foo" }`,
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
  ],
  [
    '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
  ],
  ['{"type":"fixed","name":"Foo","size":10, "namespace":"x"}', '{"name":"x.Foo","type":"fixed","size":10}'],
  ['{ "items":{"type":"null"}, "type":"array"}', '{"type":"array","items":"null"}'],
  ['{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}'],
  [
    '{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
  ],
];

describe('parsingCanonicalForm', () => {
  it.each(SPEC_CASES)('%s → %s', (input, canonical) => {
    expect(parsingCanonicalForm(JSON.parse(input) as JsonValue)).toBe(canonical);
  });

  it('strips logical type attributes down to the underlying primitive', () => {
    const schema = { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 6 };
    expect(parsingCanonicalForm(schema)).toBe('"bytes"');
    expect(parsingCanonicalForm({ type: 'int', logicalType: 'date' })).toBe('"int"');
  });

  it('qualifies references with the enclosing namespace and writes a repeated definition as its name', () => {
    const schema: JsonValue = {
      type: 'record',
      name: 'Outer',
      namespace: 'credit.records',
      fields: [
        { name: 'a', type: { type: 'enum', name: 'Level', symbols: ['X'] } },
        { name: 'b', type: 'Level' },
        {
          name: 'c',
          type: { type: 'record', name: 'credit.common.Inner', fields: [{ name: 'l', type: 'Level' }] },
        },
      ],
    };
    expect(parsingCanonicalForm(schema)).toBe(
      '{"name":"credit.records.Outer","type":"record","fields":[' +
        '{"name":"a","type":{"name":"credit.records.Level","type":"enum","symbols":["X"]}},' +
        '{"name":"b","type":"credit.records.Level"},' +
        '{"name":"c","type":{"name":"credit.common.Inner","type":"record","fields":[{"name":"l","type":"credit.common.Level"}]}}]}',
    );
  });

  it('keeps non-ASCII text literally (no \\u escapes)', () => {
    expect(parsingCanonicalForm({ type: 'enum', name: 'E', symbols: ['A'], doc: '行政处罚' })).toBe(
      '{"name":"E","type":"enum","symbols":["A"]}',
    );
    expect(
      parsingCanonicalForm({
        type: 'record',
        name: 'R',
        fields: [{ name: 'x', type: 'string', default: '中' }],
      }),
    ).toBe('{"name":"R","type":"record","fields":[{"name":"x","type":"string"}]}');
  });
});
