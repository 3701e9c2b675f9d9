import { createCodec, samples } from '@credit/schemas';
import { TEST_PLATFORM_KEYS, uniqueName } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../src/auth/api-keys.ts';
import { departmentOf, envelopeOf, type Harness, startHarness, wire } from './gateway-harness.ts';

let h: Harness;
let marketKey: string;
const codec = createCodec();
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  h = await startHarness();
  marketKey = await h.keyFor(departmentOf(h.catalogue, 'administrative-penalty').code);
});
afterAll(() => h.close());

function freshPenalty(edit: (record: Record<string, unknown>) => void = () => {}) {
  return wire('administrative-penalty', (record) => {
    envelopeOf(record).sourceRecordId = uniqueName('CF');
    edit(record);
  });
}

async function post(body: unknown, key = marketKey, url = '/v1/records') {
  return h.app.inject({ method: 'POST', url, headers: bearer(key), payload: body as object });
}

describe('authentication', () => {
  it('refuses a request without a credential, naming what it needs', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/v1/records', payload: freshPenalty() });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('AUTH_REQUIRED');
  });

  it('refuses malformed, unknown and revoked keys', async () => {
    expect((await post(freshPenalty(), 'not-a-key')).json().error).toMatchObject({
      code: 'AUTH_INVALID_KEY',
    });
    const unknown = `cdx_${'a'.repeat(16)}_${'b'.repeat(43)}`;
    expect((await post(freshPenalty(), unknown)).json().error.message).toContain('not recognised');
    const department = departmentOf(h.catalogue, 'administrative-penalty').code;
    const key = await h.keyFor(department);
    expect((await post(freshPenalty(), key)).statusCode).toBe(202);
    await revokeKey(h.pool, key.split('_')[1]!);
    const refused = await post(freshPenalty(), key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('revoked');
  });

  it('keeps both keys of a department valid during a rotation', async () => {
    const department = departmentOf(h.catalogue, 'administrative-penalty').code;
    const [oldKey, newKey] = [await h.keyFor(department), await h.keyFor(department)];
    expect((await post(freshPenalty(), oldKey)).statusCode).toBe(202);
    expect((await post(freshPenalty(), newKey)).statusCode).toBe(202);
  });
});

describe('one record', () => {
  it('accepts a valid record only once Kafka has it, and the topic holds it intact (Chinese text, decimals)', async () => {
    const body = freshPenalty();
    const response = await post(body);
    expect(response.statusCode).toBe(202);
    const result = response.json();
    const department = departmentOf(h.catalogue, 'administrative-penalty');
    expect(result).toMatchObject({
      status: 'accepted',
      kind: 'administrative-penalty',
      topic: h.topicOf(department.code),
    });

    const admin = await h.bus.admin();
    const offsets = await admin.topicOffsets(result.topic);
    await admin.disconnect();
    expect(BigInt(offsets.find((p) => p.partition === result.partition)!.high)).toBeGreaterThan(
      BigInt(result.offset),
    );

    const consumer = await h.bus.consumer({
      groupId: uniqueName('gw-read'),
      topics: [result.topic],
      fromBeginning: true,
    });
    const found = await new Promise<Buffer>((resolve) => {
      void consumer.run(async (batch) => {
        const message = batch.messages.find(
          (m) => m.partition === result.partition && m.offset === result.offset,
        );
        if (message) resolve(message.value!);
      });
    });
    await consumer.disconnect();
    const decoded = codec.decode(found);
    expect(decoded.kind).toBe('administrative-penalty');
    const value = decoded.value as (typeof samples)['administrative-penalty'];
    expect(value.violationFacts).toBe(samples['administrative-penalty'].violationFacts);
    expect(value.fineAmount).toBe(samples['administrative-penalty'].fineAmount);
    expect(value.envelope.sourceRecordId).toBe(envelopeOf(body.record).sourceRecordId);
  });

  it('answers a resend of the same record id and version as a duplicate with the first position', async () => {
    const body = freshPenalty();
    const first = (await post(body)).json();
    const again = await post(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      status: 'duplicate',
      topic: first.topic,
      partition: first.partition,
      offset: first.offset,
    });
    const corrected = wire('administrative-penalty', (record) => {
      Object.assign(envelopeOf(record), {
        ...envelopeOf(body.record),
        version: 2,
        changeReason: '更正罚款金额',
      });
    });
    expect((await post(corrected)).json().status).toBe('accepted');
  });

  it('accepts the same record sent by concurrent requests exactly once', async () => {
    const body = freshPenalty();
    const answers = await Promise.all([post(body), post(body), post(body)]);
    const statuses = answers.map((a) => a.json().status as string);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    // The others saw it accepted (duplicate) or still being accepted (409, send again).
    for (const answer of answers.filter((a) => a.json().status !== 'accepted')) {
      expect([200, 409]).toContain(answer.statusCode);
    }
  });

  it('fills in reportedAt with its own clock when the department leaves it out', async () => {
    const response = await post(freshPenalty((record) => void delete envelopeOf(record).reportedAt));
    expect(response.statusCode).toBe(202);
  });

  it('refuses a kind the catalogue does not grant the department', async () => {
    const response = await post(
      wire('dishonest-judgment-debtor', (record) => {
        envelopeOf(record).reportingDepartmentCode =
          samples['administrative-penalty'].envelope.reportingDepartmentCode;
      }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json().rejections.map((r: { code: string }) => r.code)).toContain(
      'CATALOGUE_KIND_NOT_GRANTED',
    );
  });

  it('refuses a department reporting as another', async () => {
    const otherUscc = h.catalogue.departments.find(
      (d) => d.uscc !== samples['administrative-penalty'].envelope.reportingDepartmentCode,
    )!.uscc;
    const response = await post(
      freshPenalty((record) => {
        envelopeOf(record).reportingDepartmentCode = otherUscc;
      }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json().rejections.map((r: { code: string }) => r.code)).toContain(
      'INTAKE_DEPARTMENT_MISMATCH',
    );
  });

  it('names the field, value and rule of a bad subject code', async () => {
    const response = await post(
      freshPenalty((record) => {
        envelopeOf(record).subject.code = '91350100M000100Y4X';
      }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json().rejections).toContainEqual(
      expect.objectContaining({
        code: 'INTAKE_SUBJECT_CODE',
        value: '91350100M000100Y4X',
        rule: 'USCC_CHECK_CHARACTER',
      }),
    );
  });

  it('names every schema problem of a malformed record', async () => {
    const response = await post(
      freshPenalty((record) => {
        delete record.violationFacts;
        record.fineAmount = 12.5;
        record.penaltyCategories = ['FLOGGING'];
      }),
    );
    expect(response.statusCode).toBe(422);
    const fields = response.json().rejections.map((r: { field?: string }) => r.field);
    expect(fields).toEqual(expect.arrayContaining(['violationFacts', 'fineAmount']));
  });

  it('answers bad JSON, the wrong media type and an unknown kind with 4xx and a code, never 500', async () => {
    const badJson = await h.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { ...bearer(marketKey), 'content-type': 'application/json' },
      payload: '{"kind": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('REQUEST_BAD_JSON');
    const text = await h.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { ...bearer(marketKey), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    const unknownKind = await post({ kind: 'parking-ticket', record: {} });
    expect(unknownKind.statusCode).toBe(422);
    expect(unknownKind.json().rejections[0].code).toBe('INTAKE_UNKNOWN_KIND');
  });
});

describe('batches', () => {
  it('accepts the good records of a partly bad batch and records every rejection', async () => {
    const records = [
      freshPenalty(),
      freshPenalty((r) => {
        envelopeOf(r).subject.code = 'BAD';
      }),
      freshPenalty(),
      freshPenalty((r) => {
        r.fineAmount = '-1';
      }),
    ];
    const response = await post({ records }, marketKey, '/v1/records:batch');
    expect(response.statusCode).toBe(200);
    const { results, summary } = response.json();
    expect(results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'accepted',
      'rejected',
    ]);
    expect(summary).toEqual({ accepted: 2, duplicate: 0, rejected: 2, retry: 0 });
    const stored = await h.pool.query(
      `select code from intake.rejections where request_id = $1 order by id`,
      [response.headers['x-request-id']],
    );
    expect(stored.rows.map((r) => r.code)).toEqual(
      expect.arrayContaining(['INTAKE_SUBJECT_CODE', 'INTAKE_AMOUNT_NEGATIVE']),
    );
    const metrics = await h.metrics.metrics();
    expect(metrics).toMatch(
      /credit_intake_rejections_total\{department="[^"]+",code="INTAKE_AMOUNT_NEGATIVE",service="ingest-gateway"\} \d+/,
    );
  });

  it('treats the same record twice in one batch as one record', async () => {
    const record = freshPenalty();
    const { results } = (await post({ records: [record, record] }, marketKey, '/v1/records:batch')).json();
    expect(results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(results[1].offset).toBe(results[0].offset);
  });

  it('refuses an empty batch, an oversized batch and an oversized body with clear 4xx', async () => {
    expect((await post({ records: [] }, marketKey, '/v1/records:batch')).json().error.code).toBe(
      'INTAKE_BAD_BATCH',
    );
    const tooMany = await post(
      { records: Array.from({ length: 51 }, () => freshPenalty()) },
      marketKey,
      '/v1/records:batch',
    );
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error.code).toBe('INTAKE_BATCH_TOO_LARGE');
    const huge = await post(
      {
        records: [
          freshPenalty((r) => {
            r.remarks = '备'.repeat(300_000);
          }),
        ],
      },
      marketKey,
      '/v1/records:batch',
    );
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('REQUEST_TOO_LARGE');
  });
});

describe('documents', () => {
  it('serves the schemas with their fingerprints and an OpenAPI document generated from them', async () => {
    const list = (await h.app.inject('/v1/schemas')).json();
    expect(list.kinds.map((k: { kind: string }) => k.kind)).toContain('administrative-penalty');
    const penalty = (await h.app.inject('/v1/schemas/administrative-penalty/v1')).json();
    expect(penalty.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect((await h.app.inject('/v1/schemas/parking-ticket')).statusCode).toBe(404);
    const openapi = (await h.app.inject('/openapi.json')).json();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/records', '/v1/records:batch']));
    // A nullable decimal: null, or a decimal string with the schema's scale.
    expect(openapi.components.schemas.AdministrativePenalty.properties.fineAmount.anyOf).toContainEqual(
      expect.objectContaining({ type: 'string', pattern: expect.stringContaining('\\d{1,6}') }),
    );
  });

  it("serves the platform's sealing public key the SDK seals for", async () => {
    expect((await h.app.inject('/v1/keys/platform')).json()).toMatchObject({
      keyId: TEST_PLATFORM_KEYS.keyId,
      publicKey: TEST_PLATFORM_KEYS.publicKey,
    });
  });
});
