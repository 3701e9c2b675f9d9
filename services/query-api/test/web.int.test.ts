import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { makeResidentId, makeUscc } from '@credit/identifiers';
import {
  expectNoHorizontalOverflow,
  launchTestBrowser,
  type Page,
  TEST_FONT_FAMILY,
  type TestBrowser,
} from '@credit/testing/browser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type QueryHarness,
  seedEntry,
  seedRecord,
  seedSubject,
  startQueryHarness,
  TOKENS,
} from './harness.ts';

/** The public web page (public/) in a real headless Chromium against the query API on a test database. */

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

const COMPANY = '91350100M000100Y43';
const COMPANY_NAME = '福州闽江智联科技有限公司';
const FORMER_NAME = '福州闽江电子有限公司';
const LEGACY = '350100100012345';
const SIMILAR = makeUscc({
  authority: '9',
  entityType: '1',
  division: '350100',
  organisationBody: 'M0002000',
});
const SIMILAR_NAME = '福州闽江智联网络有限公司';
const UNKNOWN = makeUscc({
  authority: '9',
  entityType: '1',
  division: '350100',
  organisationBody: 'M0009999',
});
const PENALTY_NUMBER = '榕市监罚〔2026〕0001号';

let h: QueryHarness;
let baseUrl: string;
let browser: TestBrowser;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  h = await startQueryHarness();
  await seedSubject(h.pool, {
    code: COMPANY,
    name: COMPANY_NAME,
    formerNames: [FORMER_NAME],
    legacyCodes: [{ code: LEGACY, codeType: 'REGISTRATION_NUMBER' }],
  });
  await seedRecord(h.pool, {
    subjectCode: COMPANY,
    id: 'web-penalty',
    fields: { decisionDocumentNumber: PENALTY_NUMBER },
  });
  await seedRecord(h.pool, {
    subjectCode: COMPANY,
    id: 'web-licence',
    kind: 'administrative-licence',
    severity: 'BASIC',
    fields: { decisionDocumentNumber: '榕食许〔2026〕88号' },
  });
  await seedEntry(h.pool, {
    id: 'web-black-1',
    subjectCode: COMPANY,
    listType: 'dishonest-judgment-debtor',
    colour: 'black',
    explanation: '有履行能力而拒不履行生效法律文书确定的义务',
  });
  await seedSubject(h.pool, { code: SIMILAR, name: SIMILAR_NAME });

  baseUrl = await h.queryApi.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchTestBrowser({ viewport: { width: 375, height: 740 } });
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  pageErrors = [];
});

/** Types into the search box of the page at `hash` and submits. */
async function search(text: string, hash = '#/') {
  await page.goto(`${baseUrl}/${hash}`);
  const box = page.getByRole('searchbox', { name: '搜索企业名称或统一社会信用代码' });
  await box.fill(text);
  await box.press('Enter');
}

async function noHorizontalOverflow() {
  await expectNoHorizontalOverflow(page, 375);
}

describe('public web page', () => {
  it('serves a Chinese, mobile-ready page', async () => {
    const response = await page.goto(`${baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getAttribute('meta[name="viewport"]', 'content')).toContain('width=device-width');
    await expect.poll(() => page.locator('h1').textContent()).toBe('信用信息查询');
    await noHorizontalOverflow();
  }, 60_000);

  it('finds the company by part of its name and opens its profile', async () => {
    await search('智联');
    await page.waitForURL(/#\/search\?q=/);
    const results = page.locator('.result-name');
    await results.first().waitFor();
    const names = await results.allTextContents();
    expect(names).toContain(COMPANY_NAME);
    expect(names).toContain(SIMILAR_NAME);
    await noHorizontalOverflow();

    await page.getByRole('link', { name: COMPANY_NAME, exact: true }).click();
    await page.waitForURL(`**/#/subject/${COMPANY}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(COMPANY_NAME);
    const head = page.locator('.profile-head');
    expect(await head.textContent()).toContain(COMPANY);
    expect(await head.textContent()).toContain(FORMER_NAME);
    const badge = page.locator('.badge-black');
    expect(await badge.textContent()).toBe('失信被执行人名单');
    const titles = await page.locator('.record-title').allTextContents();
    expect(titles.some((title) => title.includes(PENALTY_NUMBER))).toBe(true);
    expect(await page.locator('h2').allTextContents()).toEqual(
      expect.arrayContaining([
        '名单信息',
        expect.stringContaining('行政许可'),
        expect.stringContaining('行政处罚'),
      ]),
    );

    // Details open on demand.
    const penalty = page.locator('.record details', { hasText: PENALTY_NUMBER });
    await penalty.locator('summary').click();
    expect(await penalty.getAttribute('open')).not.toBeNull();
    expect(await penalty.locator('dd').count()).toBeGreaterThan(0);

    await noHorizontalOverflow();
    expect(await page.evaluate(`document.fonts.check('16px "${TEST_FONT_FAMILY}"', '智联')`)).toBe(true);
    await mkdir(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}profile.png`;
    await page.screenshot({ path: file, fullPage: true });
    expect((await stat(file)).size).toBeGreaterThan(0);
  }, 60_000);

  it('finds the company by its former name, saying so', async () => {
    await search(FORMER_NAME);
    const result = page.locator('.result', { hasText: COMPANY_NAME });
    await result.waitFor();
    expect(await result.locator('.hint').textContent()).toBe(`曾用名：${FORMER_NAME}`);
  }, 60_000);

  it('takes an old registration number to the profile under the canonical code', async () => {
    await search(LEGACY);
    await expect.poll(() => page.locator('h1').textContent()).toBe(COMPANY_NAME);
    expect(await page.locator('.profile-head').textContent()).toContain(COMPANY);
    expect(page.url()).toContain(`#/subject/${COMPANY}`);
  }, 60_000);

  it('says in Chinese when a code is unknown or malformed', async () => {
    await search(UNKNOWN);
    const error = page.locator('.notice-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('未找到该主体');

    await page.goto(`${baseUrl}/#/subject/ABC`);
    await expect.poll(() => page.locator('.notice-error').textContent()).toContain('代码格式不正确');
  }, 60_000);

  it('explains that people are not looked up by identity number in public', async () => {
    const number = makeResidentId({ division: '350102', birthDate: '1985-06-15', sequence: 42 });
    await search(number);
    await expect.poll(() => page.locator('.notice-error').textContent()).toContain('为保护个人信息');
    expect(await page.content()).not.toContain(number.slice(6, 14));
  }, 60_000);

  it('asks to slow down when the API answers 429', async () => {
    await page.route('**/v1/public/search?**', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'QUERY_RATE_LIMITED', message: 'too many' } }),
      }),
    );
    try {
      await search('闽江');
      await expect.poll(() => page.locator('.notice-error').textContent()).toBe('查询过于频繁，请稍后再试。');
    } finally {
      await page.unrouteAll();
    }
  }, 60_000);

  it('browses the black lists', async () => {
    await page.goto(`${baseUrl}/#/lists?colour=black`);
    const entry = page.locator('.entries .entry', { hasText: COMPANY_NAME });
    await entry.waitFor();
    expect(await entry.locator('.badge').textContent()).toBe('失信被执行人名单');
    expect(await page.locator('select[name="colour"]').inputValue()).toBe('black');
    await noHorizontalOverflow();
  }, 60_000);

  it('verifies an issued credit report', async () => {
    const issued = await h.queryApi.app.inject({
      method: 'POST',
      url: `/v1/authorised/subjects/${COMPANY}/reports`,
      headers: {
        authorization: `Bearer ${TOKENS.everything}`,
        'x-credit-purpose': encodeURIComponent('政府采购 供应商资格审查 2026-118号'),
      },
    });
    expect(issued.statusCode).toBe(201);
    const report = issued.json() as { reportNumber: string; verificationCode: string };

    await page.goto(`${baseUrl}/#/verify`);
    await page.getByLabel('报告编号').fill(report.reportNumber);
    await page.getByLabel('核验码').fill(report.verificationCode);
    await page.getByRole('button', { name: '核验' }).click();
    const verdict = page.locator('.verdict');
    await expect.poll(() => verdict.locator('h2').textContent()).toBe('真实有效');
    const text = await verdict.textContent();
    expect(text).toContain(COMPANY_NAME);
    expect(text).toContain('失信被执行人名单');
    await noHorizontalOverflow();
  }, 60_000);

  it('reports an unknown credit report as not found', async () => {
    await page.goto(`${baseUrl}/#/verify?number=CR-2026-000001&code=ABCD-EF01-2345-6789`);
    await expect.poll(() => page.locator('.verdict h2').textContent()).toBe('未找到');
    await noHorizontalOverflow();
  }, 60_000);
});
