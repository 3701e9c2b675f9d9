import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { makeResidentId } from '@credit/identifiers';
import { ROOT, RUN_DIR } from '@credit/infra';
import { issueKey } from '@credit/ingest-gateway/keys';
import { MIGRATIONS_DIR } from '@credit/ingest-gateway/migrations';
import { toWire } from '@credit/intake';
import type { KafkaSecurity, Logger } from '@credit/kit';
import { demoRecord, demoSubjects } from '@credit/sample-data';
import { createDepartmentReporter } from '@credit/sdk';
import { stringify } from 'csv-stringify/sync';

export interface DemoSummary {
  http: { department: string; accepted: number; rejected: number };
  sdk: { department: string; sent: number; rejected: number };
  csv: { department: string; file: string; summary: unknown };
}

/**
 * Three demo departments report the three ways the platform offers: market regulation over HTTPS in batches,
 * the intermediate court straight to Kafka with the SDK, tax by pushing a CSV export with `credit push`.
 */
export async function runDemo(options: {
  gatewayUrl: string;
  databaseUrl: string;
  kafkaBrokers: string;
  /**
   * The court reports with the SDK: its Kafka credentials (principal department.intermediate-court), its signing
   * key, and the platform's sealing public key.
   */
  court: { kafkaSecurity: KafkaSecurity; signingKey: string; platformKey: string };
  logger: Logger;
  subjects?: number;
}): Promise<DemoSummary> {
  const catalogue = loadCatalogue();
  const run = Date.now().toString(36);
  const subjects = demoSubjects(options.subjects ?? 60);
  const pool = createPool(options.databaseUrl, { max: 2 });
  await migrate(pool, 'intake', MIGRATIONS_DIR);
  const keyFor = async (department: string) => (await issueKey(pool, department, { label: 'demo' })).apiKey;

  try {
    const market = department(catalogue, 'market-regulation');
    const records = subjects.flatMap((subject, i) => [
      toWire(
        'administrative-licence',
        demoRecord('administrative-licence', market, catalogue, subject, `DEMO-${run}-XK-${i}`, 30 + i),
      ),
      toWire('administrative-penalty', marketPenalty(catalogue, market, subject, `DEMO-${run}-CF-${i}`, i)),
    ]);
    const response = await fetch(`${options.gatewayUrl}/v1/records:batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await keyFor(market.code)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records }),
    });
    const answer = (await response.json()) as { summary: { accepted: number; rejected: number } };

    const court = department(catalogue, 'intermediate-court');
    const reporter = await createDepartmentReporter({
      department: court.code,
      brokers: options.kafkaBrokers.split(','),
      security: options.court.kafkaSecurity,
      signingKey: options.court.signingKey,
      platformKey: options.court.platformKey,
      catalogue,
      logger: options.logger,
    });
    const debtors = subjects
      .filter((_, i) => i % 6 === 0)
      .map((subject, i) => ({
        kind: 'dishonest-judgment-debtor' as const,
        record: demoRecord(
          'dishonest-judgment-debtor',
          court,
          catalogue,
          subject,
          `DEMO-${run}-SX-${i}`,
          10 + i,
        ),
      }));
    // Natural persons too: their identity numbers leave the court sealed for the platform (envelope.sealed).
    const persons = ['陈明', '林秀英', '黄建国'].map((name, i) => {
      const record = demoRecord(
        'dishonest-judgment-debtor',
        court,
        catalogue,
        subjects[0]!,
        `DEMO-${run}-SX-P${i}`,
        5 + i,
      );
      Object.assign(record.envelope.subject, {
        category: 'NATURAL_PERSON',
        codeType: 'RESIDENT_IDENTITY_CARD',
        code: makeResidentId({ division: '350102', birthDate: `198${i}-0${i + 3}-1${i}`, sequence: 101 + i }),
        name,
        lei: null,
        legalRepresentative: null,
        legacyCodes: null,
      });
      return { kind: 'dishonest-judgment-debtor' as const, record };
    });
    const sent = await reporter.reportMany([...debtors, ...persons]);
    await reporter.close();

    const tax = department(catalogue, 'tax');
    const file = writeTaxCsv(catalogue, tax.code, subjects, run);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'packages/cli/src/main.ts'),
        'push',
        file,
        '--kind',
        'administrative-penalty',
        '--gateway',
        options.gatewayUrl,
      ],
      { env: { ...process.env, CREDIT_API_KEY: await keyFor(tax.code) }, cwd: ROOT },
    ).catch((error: { stdout?: string; message: string }) => ({
      stdout: error.stdout ?? JSON.stringify({ error: error.message }),
    }));

    return {
      http: { department: market.code, accepted: answer.summary.accepted, rejected: answer.summary.rejected },
      sdk: {
        department: court.code,
        sent: sent.filter((r) => r.status === 'sent').length,
        rejected: sent.filter((r) => r.status === 'rejected').length,
      },
      csv: { department: tax.code, file, summary: JSON.parse(stdout.trim().split('\n').pop() ?? '{}') },
    };
  } finally {
    await pool.end();
  }
}

/** Every tenth penalty is a serious breach (严重失信) in a key field: the lists service proposes a watch entry. */
function marketPenalty(
  catalogue: Catalogue,
  market: ReturnType<typeof department>,
  subject: { code: string; name: string },
  id: string,
  i: number,
) {
  const record = demoRecord('administrative-penalty', market, catalogue, subject, id, 5 + (i % 20));
  if (i % 10 === 3) record.envelope.severity = 'SERIOUS_DISHONESTY';
  return record;
}

function department(catalogue: Catalogue, code: string) {
  const found = catalogue.department(code);
  if (!found) throw new Error(`demo department ${code} is not in the catalogue`);
  return found;
}

/** A tax bureau's 双公示 penalty export, Chinese headers as in the national template. */
function writeTaxCsv(
  catalogue: Catalogue,
  code: string,
  subjects: { code: string; name: string }[],
  run: string,
): string {
  const tax = department(catalogue, code);
  const item = catalogue.grants(code, 'administrative-penalty')[0]!;
  const header =
    '记录编号,行政相对人名称,行政相对人类别,统一社会信用代码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,公示截止期,处罚机关,处罚机关统一社会信用代码,数据来源单位统一社会信用代码,目录项编码,严重程度'.split(
      ',',
    );
  const rows = subjects.slice(0, 20).map((subject, i) => {
    const decided = new Date(Date.now() - (3 + i) * 86_400_000).toISOString().slice(0, 10);
    // 公示截止期: a general breach is public for a year (catalogue rule for penalties).
    const deadline = new Date(`${decided}T00:00:00Z`);
    deadline.setUTCFullYear(deadline.getUTCFullYear() + 1); // 29 February rolls over to 1 March
    const until = deadline.toISOString().slice(0, 10);
    return [
      `DEMO-${run}-SW-${i}`,
      subject.name,
      '法人及非法人组织',
      subject.code,
      `榕税稽罚〔2026〕${100 + i}号`,
      '未按规定期限办理纳税申报',
      `该单位未按照规定期限办理${2026 - (i % 3)}年度企业所得税纳税申报。`,
      '《中华人民共和国税收征收管理法》第六十二条',
      '罚款',
      `罚款人民币${(i + 1) * 500}元`,
      ((i + 1) * 0.05).toFixed(6),
      decided,
      until,
      tax.name,
      tax.uscc,
      tax.uscc,
      item.code,
      'GENERAL_DISHONESTY',
    ];
  });
  const dir = path.join(RUN_DIR, 'demo');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `tax-penalties-${run}.csv`);
  writeFileSync(file, `\uFEFF${stringify([header, ...rows])}`);
  return file;
}
