import { validateUscc } from '@credit/identifiers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentOf, envelopeOf, type Harness, startHarness, wire } from './gateway-harness.ts';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await startHarness();
  key = await h.keyFor(departmentOf(h.catalogue, 'administrative-penalty').code);
});
afterAll(() => h.close());

const kinds = ['administrative-penalty', 'administrative-licence', 'honour', 'credit-grade', 'nonsense'];

async function send(payload: unknown, url = '/v1/records') {
  const response = await h.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

function wellFormed(status: number, body: Record<string, unknown>): boolean {
  if (status >= 500) return false;
  const error = body.error as { code?: unknown; message?: unknown } | undefined;
  if (error) return typeof error.code === 'string' && typeof error.message === 'string';
  if (Array.isArray(body.results))
    return body.results.every((r: { status?: unknown }) => typeof r.status === 'string');
  return typeof body.status === 'string';
}

describe('the gateway under random input', () => {
  it('answers any JSON body with a well-formed 2xx or 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ kind: fc.constantFrom(...kinds), record: fc.jsonValue() }),
          fc.record({ records: fc.array(fc.jsonValue(), { maxLength: 5 }) }),
        ),
        fc.boolean(),
        async (payload, batch) => {
          const { status, body } = await send(payload, batch ? '/v1/records:batch' : '/v1/records');
          expect(wellFormed(status, body)).toBe(true);
          expect(body.status).not.toBe('accepted');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never accepts a record whose subject code, amount, date or enum value was made invalid', async () => {
    const corruptions: fc.Arbitrary<(record: Record<string, unknown>) => void>[] = [
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((code) => !validateUscc(code).valid)
        .map((code) => (record) => {
          envelopeOf(record).subject.code = code;
        }),
      fc.integer({ min: 1, max: 10 ** 6 }).map((n) => (record) => {
        record.fineAmount = `-${n}`;
      }),
      fc.integer({ min: 2, max: 3000 }).map((days) => (record) => {
        envelopeOf(record).decisionDate = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
      }),
      fc
        .string({ minLength: 1, maxLength: 12 })
        .filter((s) => !['BASIC', 'POSITIVE', 'GENERAL_DISHONESTY', 'SERIOUS_DISHONESTY'].includes(s))
        .map((s) => (record) => {
          envelopeOf(record).severity = s;
        }),
      fc
        .oneof(
          // Inherited from Object.prototype: avsc alone once took these for enum symbols (found by this test).
          fc.constantFrom('constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'),
          fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^[A-Z_]+$/.test(s)),
        )
        .map((s) => (record) => {
          record.penaltyCategories = ['FINE', s];
        }),
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(...corruptions), fc.nat(), async (corrupt, n) => {
        const body = wire('administrative-penalty', (record) => {
          envelopeOf(record).sourceRecordId = `FUZZ-${Date.now()}-${n}`;
          corrupt(record);
        });
        const { status, body: answer } = await send(body);
        expect(wellFormed(status, answer)).toBe(true);
        expect(status).toBe(422);
        expect(answer.status).toBe('rejected');
      }),
      { numRuns: 200 },
    );
  });
});
