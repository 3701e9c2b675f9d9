import { createCodec, type RecordKind, samples } from '@credit/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PrepareResult, prepareRecord, toWire } from '../src/index.ts';
import { contextFor, KINDS } from './helpers.ts';

const codec = createCodec();

function wellFormed(result: PrepareResult): void {
  if (result.ok) {
    expect(codec.decode(result.bytes).value).toEqual(result.value);
    return;
  }
  expect(result.rejections.length).toBeGreaterThan(0);
  for (const rejection of result.rejections) {
    expect(rejection.code).toMatch(/^[A-Z]+_[A-Z_]+$/);
    expect(rejection.message.length).toBeGreaterThan(0);
  }
}

/** Every path (object keys and array indices) of a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1.5',
    '2024-02-30',
    '2024-05-20',
    '1949-09-30',
    '2099-12-31',
    'FINE',
    'USCC',
    'REVOKE',
    null,
  ),
  fc.integer(),
  fc.double(),
);

describe('prepareRecord under random input', () => {
  it('never throws on any JSON value, and answers with a well-formed result', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ kind: fc.constantFrom(...KINDS, 'nonsense'), record: fc.jsonValue() }),
          fc.record({
            kind: fc.constantFrom(...KINDS),
            record: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
          }),
        ),
        (input) => wellFormed(prepareRecord(input, contextFor('administrative-penalty'))),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on mutated samples; whatever it accepts decodes to what it accepted', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 4 }),
        (kind: RecordKind, mutations) => {
          const form = JSON.parse(JSON.stringify(toWire(kind, samples[kind])));
          for (const [pick, value] of mutations) {
            const paths = pathsOf(form.record).map((path) => ['record', ...path]);
            paths.push(['kind'], ['record']);
            setAt(form, paths[pick % paths.length]!, value);
          }
          const result = prepareRecord(form, contextFor(kind));
          if (result.ok) accepted += 1;
          wellFormed(result);
        },
      ),
      { numRuns: 1000 },
    );
    // The mutations must not all be fatal, or the decode half of the property says nothing.
    expect(accepted).toBeGreaterThan(20);
  });
});
