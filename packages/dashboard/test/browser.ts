/**
 * What every dashboard browser test needs: Debian's Chromium through playwright-core with the
 * flags this machine needs, a signed-in page, and full-page screenshots written as test
 * artifacts to test-artifacts/dashboard/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Harness, type HarnessOptions, startHookline, type StoreKind } from '../../server/test/helpers/hookline.js';

export const ARTIFACTS = join(import.meta.dirname, '../../../test-artifacts/dashboard');
/** No sandbox as root, and no background calls to Google's hosts (the network is closed). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A full-page screenshot named `name`.png in the artifacts folder. */
export function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Signs in with `key` through the sign-in form and waits for `next` (a /dashboard/ path) to show. */
export async function signIn(page: Page, baseUrl: string, key: string, next = '/dashboard/'): Promise<void> {
  await page.goto(`${baseUrl}/dashboard/signin?next=${encodeURIComponent(next)}`);
  await page.getByTestId('signin-key').fill(key);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL((u) => u.pathname + u.search === next);
}

/** A fresh browser context (own cookies) with one signed-in page. Close the context when done. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  key: string,
  next = '/dashboard/',
  viewport = WIDE,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  // Clipboard access for the copy buttons, and the viewer's zone for dates.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  await signIn(page, baseUrl, key, next);
  return { context, page };
}

/** The document is no wider than the viewport: nothing makes the page scroll sideways. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/**
 * A Hookline for browser tests, serving the dashboard build from HOOKLINE_TEST_DASHBOARD_DIR
 * when set (so parallel work can test its own build), else from packages/dashboard/dist.
 */
export function startDashboardHookline(kind: StoreKind, o: HarnessOptions = {}): Promise<Harness> {
  const dir = process.env.HOOKLINE_TEST_DASHBOARD_DIR;
  return startHookline(kind, { ...(dir ? { dashboardDir: dir } : {}), ...o });
}
