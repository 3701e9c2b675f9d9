import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { departmentOf, type Harness, startHarness } from '@credit/ingest-gateway/testing';
import { samples } from '@credit/schemas';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { push } from '../src/push/push.ts';

let h: Harness;
let url: string;
let apiKey: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'push-'));

beforeAll(async () => {
  h = await startHarness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  apiKey = await h.keyFor(departmentOf(h.catalogue, 'administrative-penalty').code);
});
afterAll(() => h.close());

/** A 双公示 penalty export with Chinese headers; row 3 (line 4) has a USCC with a wrong check character. */
function penaltyCsv(run: string): string {
  const sample = samples['administrative-penalty'];
  const header =
    '记录编号,行政相对人名称,行政相对人类别,统一社会信用代码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,公示截止期,处罚机关,处罚机关统一社会信用代码,数据来源单位统一社会信用代码,目录项编码,严重程度'.split(
      ',',
    );
  const row = (i: number, code: string) => [
    `${run}-${i}`,
    sample.envelope.subject.name,
    '法人及非法人组织',
    code,
    `榕市监罚〔2026〕${i}号`,
    sample.violationType,
    '销售标签不符合规定的预包装食品',
    sample.legalBasis,
    '罚款；没收违法所得',
    sample.penaltyContent,
    '1.5',
    '2026年3月5日',
    '2027/03/05',
    sample.penalisingAuthority,
    sample.penalisingAuthorityCode,
    sample.envelope.reportingDepartmentCode,
    sample.envelope.catalogueItemCode,
    'GENERAL_DISHONESTY',
  ];
  const file = path.join(dir, `${run}.csv`);
  const rows = [
    header,
    row(1, sample.envelope.subject.code),
    row(2, sample.envelope.subject.code),
    row(3, '91350100M000100Y4X'),
  ];
  writeFileSync(file, `\uFEFF${stringify(rows)}`);
  return file;
}

describe('credit push', () => {
  it('sends a Chinese-header CSV export, writes the bad row to the rejects file, and a resend is all duplicates', async () => {
    const file = penaltyCsv(`PUSH-${Date.now()}`);
    const options = {
      file,
      kind: 'administrative-penalty' as const,
      gateway: { url, apiKey },
      batchSize: 2,
      rejectsPath: `${file}.rejects.jsonl`,
    };
    const first = await push(options);
    expect(first).toMatchObject({ read: 3, accepted: 2, rejected: 1, rejectsFile: `${file}.rejects.jsonl` });
    const rejects = readFileSync(`${file}.rejects.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects[0]).toMatchObject({ line: 4, code: 'INTAKE_SUBJECT_CODE', rule: 'USCC_CHECK_CHARACTER' });

    const again = await push(options);
    expect(again).toMatchObject({ read: 3, accepted: 0, duplicate: 2, rejected: 1 });
  });

  it('validates locally with --dry-run and sends nothing', async () => {
    const file = penaltyCsv(`DRY-${Date.now()}`);
    const topic = h.topicOf(departmentOf(h.catalogue, 'administrative-penalty').code);
    const admin = await h.bus.admin();
    const before = await admin.topicOffsets(topic);
    const summary = await push({
      file,
      kind: 'administrative-penalty',
      dryRun: { catalogue: h.catalogue },
      batchSize: 100,
      rejectsPath: `${file}.rejects.jsonl`,
    });
    expect(summary).toMatchObject({ read: 3, valid: 2, rejected: 1, accepted: 0 });
    expect(await admin.topicOffsets(topic)).toEqual(before);
    await admin.disconnect();
  });

  it('retries a transient failure and still delivers every record once', async () => {
    let failed = false;
    const proxy = http.createServer((request, response) => {
      if (!failed) {
        failed = true;
        request.resume();
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'injected' } }));
        return;
      }
      const upstream = http.request(
        `${url}${request.url}`,
        { method: request.method, headers: request.headers },
        (reply) => {
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(response);
        },
      );
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    const file = penaltyCsv(`RETRY-${Date.now()}`);
    const retries: string[] = [];
    const summary = await push({
      file,
      kind: 'administrative-penalty',
      gateway: { url: `http://127.0.0.1:${port}`, apiKey },
      batchSize: 10,
      rejectsPath: `${file}.rejects.jsonl`,
      onRetry: (_attempt, reason) => retries.push(reason),
    });
    await new Promise((resolve) => proxy.close(resolve));
    expect(retries).toHaveLength(1);
    expect(retries[0]).toContain('503');
    expect(summary).toMatchObject({ accepted: 2, rejected: 1 });
  });

  it('stops at once on a final refusal such as a bad key', async () => {
    const file = penaltyCsv(`KEY-${Date.now()}`);
    await expect(
      push({
        file,
        kind: 'administrative-penalty',
        gateway: { url, apiKey: `cdx_${'a'.repeat(16)}_${'b'.repeat(43)}` },
        batchSize: 10,
        rejectsPath: `${file}.rejects.jsonl`,
      }),
    ).rejects.toThrow(/401 AUTH_INVALID_KEY/);
  });
});
