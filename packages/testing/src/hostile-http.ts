import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  type HostileRequest,
  type HttpMethod,
  hostileRequestsTo,
  type RouteSpec,
} from './hostile-requests.ts';

/**
 * Hostile HTTP input for property-based fuzzing of the services' APIs with fastify's inject(): strings, identifiers,
 * dates, numbers, JSON bodies, query strings, path segments and headers a careless or malicious client sends, and
 * the one rule every answer keeps: a well-formed 4xx `{error: {code, message}}` (or a 2xx where the input happens to
 * be valid), never a 5xx, never a hang.
 *
 * Resident identity numbers generated here are invalid (wrong check character, impossible birth date, wrong length),
 * so nothing of this module can put a real-looking number in a log or a topic.
 */

export * from './hostile-identifiers.ts';
export * from './hostile-requests.ts';
export * from './hostile-values.ts';

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

/**
 * The property a fuzzed service keeps on every route: any request to `routes` (or to a path none has) gets a
 * well-formed answer, and one it refuses leaves `stored()`, a digest of what the service writes, as it was.
 */
export function refusalsStoreNothing(
  app: Injectable,
  routes: readonly RouteSpec[],
  stored: () => Promise<unknown>,
): fc.IAsyncPropertyWithHooks<[HostileRequest]> {
  return fc.asyncProperty(hostileRequestsTo(routes), async (request: HostileRequest) => {
    const before = await stored();
    const answer = await ask(app, request);
    expectWellFormed(answer, request);
    if (answer.status >= 400) expect(await stored(), `stored after ${answer.status}`).toEqual(before);
  });
}
