import fc from 'fast-check';
import {
  badDate,
  badResidentId,
  badTimestamp,
  badUscc,
  borderlineUscc,
  toFullWidth,
} from './hostile-identifiers.ts';
import {
  deeplyNestedJson,
  hostileJsonValue,
  hostileNumberText,
  hostileString,
  malformedJson,
  mutated,
  poisoned,
} from './hostile-values.ts';

/**
 * Hostile requests to a service's routes: paths, query strings, headers, credentials, content types and bodies, each
 * wrong on its own or all at once.
 */

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
