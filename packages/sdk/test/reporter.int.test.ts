import { loadCatalogue } from '@credit/catalogue';
import { createCodec, samples } from '@credit/schemas';
import { testBus, uniqueName } from '@credit/testing';
import { describe, expect, it } from 'vitest';
import { createDepartmentReporter } from '../src/index.ts';

describe('department reporter', () => {
  it('sends valid records keyed by subject code and refuses invalid ones before they reach the topic', async () => {
    const catalogue = loadCatalogue();
    const department = catalogue.departmentByUscc(
      samples['administrative-penalty'].envelope.reportingDepartmentCode,
    )!;
    const bus = testBus('sdk-test');
    const topic = uniqueName('sdk.credit.ingest');
    const admin = await bus.admin();
    await admin.ensureTopics([{ name: topic, partitions: 3 }]);

    const reporter = await createDepartmentReporter({ department: department.code, bus, catalogue, topic });
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
    const message = await new Promise<{ key: string; value: Buffer }>((resolve) => {
      void consumer.run(async (batch) => {
        const first = batch.messages[0]!;
        resolve({ key: first.key!.toString(), value: first.value! });
      });
    });
    await consumer.disconnect();
    await admin.disconnect();
    expect(message.key).toBe(good.envelope.subject.code);
    expect(createCodec().decode(message.value).value).toEqual(good);
  });
});
