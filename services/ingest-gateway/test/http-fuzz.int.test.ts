import { validateResidentId, validateUscc } from '@credit/identifiers';
import type { RecordKind } from '@credit/schemas';
import {
  ask,
  badDate,
  badResidentId,
  badUscc,
  expectWellFormed,
  fuzzRuns,
  type HostileRequest,
  hostileRequestsTo,
  type RouteSpec,
  validUscc,
} from '@credit/testing/hostile-http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentOf, envelopeOf, type Harness, startHarness, wire } from './gateway-harness.ts';

const KINDS: RecordKind[] = ['administrative-penalty', 'administrative-licence', 'dishonest-judgment-debtor'];

let h: Harness;
/** The API key of the department that reports each kind's sample. */
const keys = new Map<RecordKind, string>();
let topics: string[];

beforeAll(async () => {
  h = await startHarness();
  for (const kind of KINDS) keys.set(kind, await h.keyFor(departmentOf(h.catalogue, kind).code));
  topics = [...new Set(KINDS.map((kind) => h.topicOf(departmentOf(h.catalogue, kind).code)))];
});
afterAll(() => h.close());

/** A valid record of `kind` under a record id no other run uses. */
const record = (kind: RecordKind) =>
  fc.uuid().map((id) =>
    wire(kind, (value) => {
      envelopeOf(value).sourceRecordId = `HF-${id}`;
    }),
  );

const kindName = fc.constantFrom<string>(...KINDS, 'honour', 'credit-grade');

function routes(): RouteSpec[] {
  const open: RouteSpec[] = [
    { method: 'GET', path: '/health/live' },
    { method: 'GET', path: '/health/ready' },
    { method: 'GET', path: '/metrics' },
    { method: 'GET', path: '/openapi.json' },
    { method: 'GET', path: '/v1/keys/platform' },
    { method: 'GET', path: '/v1/schemas' },
    { method: 'GET', path: '/v1/schemas/:kind', params: { kind: kindName } },
    {
      method: 'GET',
      path: '/v1/schemas/:kind/:version',
      params: { kind: kindName, version: fc.constantFrom('v1', '1', 'v2', '0', 'v999999999999999999999') },
    },
  ];
  const records = KINDS.flatMap((kind): RouteSpec[] => [
    { method: 'POST', path: '/v1/records', body: record(kind), authorizations: [`Bearer ${keys.get(kind)}`] },
    {
      method: 'POST',
      path: '/v1/records:batch',
      body: fc.array(record(kind), { minLength: 1, maxLength: 3 }).map((records) => ({ records })),
      authorizations: [`Bearer ${keys.get(kind)}`],
    },
  ]);
  return [...open, ...records];
}

/**
 * Messages on the departments' topics (the sum of their partitions' high watermarks). Topics made a moment ago may
 * not have their leaders yet: asked again until they answer.
 */
async function messagesOnTopics(): Promise<number> {
  const deadline = Date.now() + 30_000;
  const admin = await h.bus.admin();
  try {
    for (;;) {
      try {
        let total = 0;
        for (const topic of topics) {
          for (const partition of await admin.topicOffsets(topic)) total += Number(partition.high);
        }
        return total;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

const claims = async () =>
  Number((await h.pool.query('select count(*)::int as n from intake.submissions')).rows[0].n);

/**
 * The gateway's documented answer for a record it did not take (README, "422 rejected with every reason"): the
 * record's result, each rejection coded, or a retry with its coded error.
 */
function isRecordResult(json: unknown): boolean {
  const coded = (item: unknown) => {
    const { code, message } = (item ?? {}) as { code?: unknown; message?: unknown };
    return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) && typeof message === 'string';
  };
  const result = json as { status?: unknown; rejections?: unknown[]; error?: unknown } | undefined;
  if (result?.status === 'rejected')
    return (result.rejections ?? []).length > 0 && result.rejections!.every(coded);
  return result?.status === 'retry' && coded(result.error);
}
const RULES = { documentedError: isRecordResult };

/** How many records an answer says were accepted (each is one message on Kafka and one claim). */
function acceptedIn(json: unknown): number {
  const body = json as { status?: unknown; results?: { status?: unknown }[] } | undefined;
  if (body?.status === 'accepted') return 1;
  return (body?.results ?? []).filter((result) => result.status === 'accepted').length;
}

describe('the gateway under hostile HTTP input', () => {
  it('answers every route with a well-formed 4xx (or a 2xx for what is valid), never a 5xx, and puts nothing rejected on Kafka', async () => {
    const messagesBefore = await messagesOnTopics();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequestsTo(routes()), async (request: HostileRequest) => {
        const claimsBefore = await claims();
        const answer = await ask(h.app, request);
        expectWellFormed(answer, request, RULES);
        const taken = acceptedIn(answer.json);
        accepted += taken;
        // A claim is a record on its way to Kafka: only accepted records leave one.
        expect(await claims(), `claims after ${request.method} ${request.url} → ${answer.status}`).toBe(
          claimsBefore + taken,
        );
      }),
      { numRuns: fuzzRuns(1200) },
    );
    expect(await messagesOnTopics()).toBe(messagesBefore + accepted);
  });

  it('refuses a record body that is not an object or not JSON with a coded 4xx and writes nothing', async () => {
    const key = keys.get('administrative-penalty')!;
    const bodies: [string, string][] = [
      ['{"kind":"administrative-penalty","record":', 'application/json'],
      [`${'['.repeat(50_000)}${']'.repeat(50_000)}`, 'application/json'],
      ['kind=administrative-penalty', 'application/x-www-form-urlencoded'],
      ['{"kind":"administrative-penalty"}', 'text/plain'],
      [
        JSON.stringify({ kind: 'administrative-penalty', record: 'x'.repeat(300 * 1024) }),
        'application/json',
      ],
    ];
    const before = await messagesOnTopics();
    for (const [payload, contentType] of bodies) {
      const request: HostileRequest = {
        method: 'POST',
        url: '/v1/records',
        headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
        payload,
      };
      const answer = await ask(h.app, request);
      expectWellFormed(answer, request, RULES);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    expect(await messagesOnTopics()).toBe(before);
  });

  it('never accepts a record whose identifier or date was made invalid (bad check characters, 17 or 19 characters, impossible dates)', async () => {
    type Edit = (record: Record<string, unknown>) => void;
    const subject = (record: Record<string, unknown>) => envelopeOf(record).subject;
    const edits: fc.Arbitrary<Edit>[] = [
      fc
        .oneof(badUscc, badResidentId)
        .filter((code) => !validateUscc(code).valid)
        .map((code) => (record) => {
          subject(record).code = code;
        }),
      badResidentId.map((number) => (record) => {
        Object.assign(subject(record), {
          category: 'NATURAL_PERSON',
          codeType: 'RESIDENT_IDENTITY_CARD',
          code: number,
          legacyCodes: null,
          legalRepresentative: null,
        });
      }),
      badResidentId
        .filter((number) => !validateResidentId(number).valid)
        .map((number) => (record) => {
          (subject(record).legalRepresentative as Record<string, unknown>).idNumber = number;
        }),
      badDate.filter(notAPastDate).map((date) => (record) => {
        envelopeOf(record).decisionDate = date;
      }),
      validUscc.map((code) => (record) => {
        envelopeOf(record).reportingDepartmentCode = code;
      }),
    ];
    const before = await messagesOnTopics();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KINDS), fc.oneof(...edits), fc.uuid(), async (kind, edit, id) => {
        const request: HostileRequest = {
          method: 'POST',
          url: '/v1/records',
          headers: { authorization: `Bearer ${keys.get(kind)}`, 'content-type': 'application/json' },
          payload: JSON.stringify(
            wire(kind, (value) => {
              envelopeOf(value).sourceRecordId = `HF-${id}`;
              edit(value);
            }),
          ),
        };
        const answer = await ask(h.app, request);
        expectWellFormed(answer, request, RULES);
        expect(answer.status, answer.text).toBe(422);
      }),
      { numRuns: fuzzRuns(200) },
    );
    expect(await messagesOnTopics()).toBe(before);
  });
});

/** Not a real calendar date from 1949-10-01 (the earliest a record may carry) to today. */
function notAPastDate(text: string): boolean {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  const real = day !== undefined && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
  return !real || text < '1949-10-01' || text > new Date().toISOString().slice(0, 10);
}
