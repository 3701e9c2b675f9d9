import { createPublicKey } from 'node:crypto';
import { loadCatalogue } from '@credit/catalogue';
import { createUnsealer, SIGNATURE_HEADERS, verifyIngestSignature } from '@credit/ingest-trust';
import { createCodec, samples } from '@credit/schemas';
import { TEST_PLATFORM_KEYS, testBus, testSigningKey, uniqueName } from '@credit/testing';
import { describe, expect, it } from 'vitest';
import { createDepartmentReporter } from '../src/index.ts';

describe('department reporter', () => {
  it('sends valid records sealed, signed and keyed by record id, and refuses invalid ones before they reach the topic', async () => {
    const catalogue = loadCatalogue();
    const department = catalogue.departmentByUscc(
      samples['administrative-penalty'].envelope.reportingDepartmentCode,
    )!;
    const bus = testBus('sdk-test');
    const topic = uniqueName('sdk.credit.ingest');
    const admin = await bus.admin();
    await admin.ensureTopics([{ name: topic, partitions: 3 }]);

    const key = testSigningKey(department.code);
    const reporter = await createDepartmentReporter({
      department: department.code,
      bus,
      catalogue,
      topic,
      signingKey: key.privateKeyPem,
      platformKey: TEST_PLATFORM_KEYS.publicKey,
    });
    const good = structuredClone(samples['administrative-penalty']);
    const bad = structuredClone(samples['administrative-penalty']);
    bad.envelope.sourceRecordId = 'CF-BAD';
    bad.envelope.subject.code = '91350100M000100Y4X';
    const results = await reporter.reportMany([
      { kind: 'administrative-penalty', record: good },
      { kind: 'administrative-penalty', record: bad },
    ]);
    await reporter.close();

    expect(results[0]).toMatchObject({ status: 'sent', recordId: good.envelope.sourceRecordId, topic });
    expect(results[1]).toMatchObject({ status: 'rejected', recordId: 'CF-BAD' });
    expect(results[1]!.status === 'rejected' && results[1]!.rejections.map((r) => r.code)).toContain(
      'INTAKE_SUBJECT_CODE',
    );

    const offsets = await admin.topicOffsets(topic);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(1);
    const consumer = await bus.consumer({
      groupId: uniqueName('sdk-read'),
      topics: [topic],
      fromBeginning: true,
    });
    const message = await new Promise<{
      key: Buffer;
      value: Buffer;
      headers: Record<string, Buffer | undefined>;
    }>((resolve) => {
      void consumer.run(async (batch) => {
        const first = batch.messages[0]!;
        resolve({ key: first.key!, value: first.value!, headers: first.headers });
      });
    });
    await consumer.disconnect();
    await admin.disconnect();

    // Keyed by the department's record id; the legal representative's number travels masked and sealed.
    expect(message.key.toString()).toBe(good.envelope.sourceRecordId);
    const representative = good.envelope.subject.legalRepresentative!.idNumber!;
    expect(message.value.toString('latin1')).not.toContain(representative);
    const decoded = createCodec().decode(message.value);
    expect(decoded.value.envelope.subject.legalRepresentative?.idNumber).toBe(
      `**************${representative.slice(-4)}`,
    );
    const unsealer = await createUnsealer([TEST_PLATFORM_KEYS.privateKey]);
    await unsealer.prepare([decoded.value.envelope.sealed]);
    expect(unsealer.unseal(decoded.value)).toEqual({ ok: true, value: good });

    // Signed by the department's key, over the key and value as they are on the topic.
    expect(message.headers[SIGNATURE_HEADERS.keyId]?.toString()).toBe(key.keyId);
    const registry = {
      get: () => ({
        keyId: key.keyId,
        department: department.code,
        algorithm: key.algorithm,
        publicKey: createPublicKey(key.publicKeyPem),
        holder: 'department' as const,
        registeredAt: new Date(0),
        revokedAt: null,
      }),
    };
    expect(
      verifyIngestSignature({ ...message, timestamp: Date.now() }, department.code, registry),
    ).toMatchObject({ ok: true });
  });
});
