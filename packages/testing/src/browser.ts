import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export type { Browser, BrowserContext, Page } from 'playwright-core';

/** Debian's chromium package: the web page tests drive it through playwright-core (no downloaded browsers). */
export const CHROMIUM = '/usr/bin/chromium';

/** The family name the test font is registered under in the page. */
export const TEST_FONT_FAMILY = 'Test Noto Sans SC';

/**
 * This machine's Chromium has no CJK fonts (Chinese renders as boxes of the wrong width), so tests lend the page
 * Noto Sans SC at a test-only address: widths, canvas text and screenshots are then real.
 */
const TEST_FONT_URL = '/__test-fonts/NotoSansSC-Regular.ttf';
const TEST_FONT = createRequire(import.meta.url).resolve(
  '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
);

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with one context (zh-CN, the given viewport) whose pages get the test CJK font as the
 * root font family. Fails clearly when Chromium is not installed.
 */
export async function launchTestBrowser(options: {
  viewport: { width: number; height: number };
  timeoutMs?: number;
}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the web page test needs Debian's chromium package (apt-get install chromium)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: options.viewport, locale: 'zh-CN' });
    context.setDefaultTimeout(options.timeoutMs ?? 15_000);
    const font = await readFile(TEST_FONT);
    await context.route(`**${TEST_FONT_URL}`, (route) =>
      route.fulfill({ status: 200, contentType: 'font/ttf', body: font }),
    );
    // Page-side code is passed as text: this project's TypeScript has no DOM types.
    await context.addInitScript(`if (location.protocol === 'http:') {
      const font = new FontFace('${TEST_FONT_FAMILY}', 'url("${TEST_FONT_URL}")', { display: 'block' });
      document.fonts.add(font);
      font.load();
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(':root { font-family: "${TEST_FONT_FAMILY}", sans-serif; }');
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }`);
    return {
      browser,
      context,
      async close() {
        await context.close().catch(() => {});
        await browser.close().catch(() => {});
      },
    };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

/** Asserts the page, once its fonts have loaded, is no wider than its viewport (`width` px). */
export async function expectNoHorizontalOverflow(page: Page, width: number): Promise<void> {
  await page.evaluate('document.fonts.ready.then(() => true)');
  const widths = await page.evaluate<{ scroll: number; viewport: number }>(
    '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
  );
  expect(widths.viewport).toBe(width);
  expect(widths.scroll).toBeLessThanOrEqual(width);
}
