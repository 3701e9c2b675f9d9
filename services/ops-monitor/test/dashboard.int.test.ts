import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { testClock } from '@credit/testing';
import {
  expectNoHorizontalOverflow,
  launchTestBrowser,
  type Page,
  type TestBrowser,
} from '@credit/testing/browser';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpsMonitor } from '../src/app.ts';
import { type MonitorHarness, startMonitorHarness } from './monitor-harness.ts';

/** The built-in dashboard (public/) in a real headless Chromium against the ops monitor on real Kafka and PostgreSQL. */

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHARTS = ['chart-lag', 'chart-intake', 'chart-timeliness'] as const;

let h: MonitorHarness;
let monitor: OpsMonitor;
let baseUrl: string;
let browser: TestBrowser;
let page: Page;
let pageErrors: string[] = [];
/** The monitor's clock, and the page's: the seeded records are dated back from it. */
const clock = testClock();

/** A record first stored `daysAgo` days before the clock's now, decided `decidedDaysBefore` days before that. */
async function seedRecord(
  pool: pg.Pool,
  department: string,
  id: number,
  daysAgo: number,
  decidedDaysBefore: number,
) {
  await pool.query(
    `insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
       catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
       disclosure_from, disclosure_until, payload, source_topic, source_partition, source_offset, first_stored_at, stored_at)
     values ($1, $2, 1, '91350100M000100Y43', 'administrative-penalty', 1, 'item', 'GENERAL_DISHONESTY',
             'UPSERT', 'active', (($6::timestamptz - make_interval(days => $3::int + $4::int)) at time zone 'Asia/Shanghai')::date,
             $6::timestamptz - make_interval(days => $3::int), true,
             (($6::timestamptz - make_interval(days => $3::int)) at time zone 'Asia/Shanghai')::date, null, '{}', 'test', 0, $5,
             $6::timestamptz - make_interval(days => $3::int), $6::timestamptz - make_interval(days => $3::int))`,
    [department, `dash-${department}-${id}`, daysAgo, decidedDaysBefore, id, clock.now()],
  );
}

/** 市场监管: reports often, mostly on time; 税务: reported a while ago, late, then went quiet. */
async function seed(pool: pg.Pool): Promise<void> {
  let id = 0;
  for (const [daysAgo, late] of [
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 1],
    [3, 20],
    [5, 2],
  ] as const)
    await seedRecord(pool, 'market-regulation', ++id, daysAgo, late);
  for (const daysAgo of [24, 22, 20, 18]) await seedRecord(pool, 'tax', ++id, daysAgo, 15);
  await pool.query(
    `insert into aggregator.ingest_errors (source_topic, source_partition, source_offset, department, reason_code,
       reason, headers, received_at)
     values ('test', 0, 1, 'market-regulation', 'SCHEMA_INVALID', 'missing decisionDate', '{}', $1)`,
    [clock.now()],
  );
}

beforeAll(async () => {
  h = await startMonitorHarness('dashboard', seed, { now: clock.now });
  monitor = h.monitor;
  // Three samples ten seconds apart by the monitor's clock (its sample times), not by waiting.
  for (let i = 0; i < 3; i++) {
    if (i > 0) clock.advance(10_000);
    await monitor.sampleLag();
  }

  baseUrl = await monitor.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchTestBrowser({ viewport: { width: 1280, height: 900 } });
  page = await browser.context.newPage();
  // The page reads the date (its quarterly links) from the monitor's clock too.
  await page.clock.setFixedTime(clock.now());
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  pageErrors = [];
});

/** The size of a chart's canvas and how many points its first series has. */
async function chartState(id: string) {
  return page.evaluate<{ width: number; height: number; points: number } | null>(`(() => {
    const el = document.getElementById(${JSON.stringify(id)});
    const canvas = el && el.querySelector('canvas');
    const instance = el && window.echarts.getInstanceByDom(el);
    if (!canvas || !instance) return null;
    const series = instance.getOption().series;
    return { width: canvas.clientWidth, height: canvas.clientHeight, points: series[0].data.length };
  })()`);
}

describe('ops dashboard', () => {
  it('serves ECharts from the service, not a CDN', async () => {
    const script = await monitor.app.inject({ method: 'GET', url: '/vendor/echarts.min.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body.length).toBeGreaterThan(100_000);
    const html = (await monitor.app.inject({ method: 'GET', url: '/' })).body;
    expect(html).toContain('vendor/echarts.min.js');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('shows groups, lag, intake, timeliness, dead letters and silences in Chinese, with real charts', async () => {
    const response = await page.goto(`${baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.title()).toBe('信用数据运行监控');
    expect(await page.locator('h1').textContent()).toBe('信用数据运行监控');
    await page.locator('body[data-loaded="true"]').waitFor();

    const row = page.locator('#groups tr', { hasText: h.groupId });
    await row.waitFor();
    // Three samples with the group gone and its lag unchanged: whatever status the sampler gave, the badge says it.
    const lag = (await monitor.app.inject({ method: 'GET', url: '/v1/lag' })).json();
    const status: string = lag.groups.find((g: { groupId: string }) => g.groupId === h.groupId).status;
    const labels: Record<string, string> = {
      OK: '正常',
      WARN: '延迟增长',
      STALL: '停滞',
      STOP: '已停止',
      ERR: '异常',
    };
    const badge = row.locator('.badge');
    expect(await badge.textContent()).toBe(labels[status]);
    expect(await badge.getAttribute('class')).toContain(`badge-${status.toLowerCase()}`);
    expect(await row.textContent()).toContain('3');

    for (const id of CHARTS) {
      const state = await chartState(id);
      expect(state, id).not.toBeNull();
      expect(state?.width, id).toBeGreaterThan(0);
      expect(state?.height, id).toBeGreaterThan(0);
      expect(state?.points, id).toBeGreaterThan(0);
    }

    const departments = page.locator('#departments tr', { hasText: '福州市市场监督管理局' });
    expect(await departments.count()).toBe(1);
    expect(await departments.textContent()).toContain('6');
    expect(await page.locator('#departments').textContent()).toContain('国家税务总局福州市税务局');
    expect(await page.locator('#silence').textContent()).toContain('国家税务总局福州市税务局');

    // Dead letters: a chart when /v1/dlq/summary answers with counts, otherwise a plain notice.
    const dlq = await monitor.app.inject({ method: 'GET', url: '/v1/dlq/summary' });
    const byDepartment = dlq.statusCode === 200 ? (dlq.json().byDepartment as unknown[]) : [];
    if (byDepartment.length > 0) expect((await chartState('chart-dlq'))?.points).toBeGreaterThan(0);
    else expect(await page.locator('#dlq-empty').textContent()).not.toBe('');

    const today = clock.today();
    const quarter = `${today.slice(0, 4)}Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
    const report = page.locator(`#reports a[href="v1/reports/quarterly/${quarter}.html"]`);
    expect(await report.count()).toBe(1);
    const linked = await monitor.app.inject({ method: 'GET', url: `/v1/reports/quarterly/${quarter}.html` });
    expect(linked.statusCode).toBe(200);

    await page.evaluate('document.fonts.ready.then(() => true)');
    await mkdir(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}dashboard.png`;
    await page.screenshot({ path: file, fullPage: true });
    expect((await stat(file)).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('fits a 375 px phone without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${baseUrl}/`);
    await page.locator('body[data-loaded="true"]').waitFor();
    await expectNoHorizontalOverflow(page, 375);
    const state = await chartState('chart-lag');
    expect(state?.width).toBeGreaterThan(0);
    expect(state?.width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${ARTIFACTS}dashboard-375.png`, fullPage: true });
  }, 60_000);
});
