/**
 * The dashboard in real Chromium (Debian's, driven by playwright-core) against a real
 * Hookline with a local fake Slack: sign-in through the session cookie, the notifications
 * page with a failed Slack message retried and shown delivered, a read-only key that
 * cannot retry. Screenshots of each page go to test-artifacts/dashboard/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../server/test/helpers/fake-slack.js';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { createAgent, ScriptedRunner, settledNotifications, triggerAndWait } from '../../server/test/helpers/notify.js';
import { launchBrowser, NARROW, pageWidth, shot, signIn as signInAt, startDashboardHookline, WIDE } from './browser.js';

describe('dashboard in Chromium', () => {
  const runner = new ScriptedRunner();
  let slack: FakeSlack;
  let h: Harness;
  let browser: Browser;
  let readKey: string;
  let failedId: string;

  const signIn = (page: Page, key: string, next: string) => signInAt(page, h.url, key, next);

  beforeAll(async () => {
    slack = await startFakeSlack();
    h = await startDashboardHookline('sqlite', {
      runnerFor: () => runner,
      overrides: { notifications: { slack: { enabled: true, bot_token: slack.token, default_channel: '#general', api_base_url: slack.url } } },
    });
    const secret = await createAgent(h, 'reporter');
    // Slack refuses the first three messages for good (invalid_auth): failed notifications for
    // the admin to retry (by mouse and by keyboard), and one the read-only key sees but cannot retry.
    slack.failNext(3, { status: 200, body: '{"ok":false,"error":"invalid_auth"}' });
    for (const _ of [1, 2, 3]) {
      const run = await triggerAndWait(h, 'reporter', secret, { note: 'case-ok' });
      const [n] = await settledNotifications(h, run.id, 1);
      expect(n.status).toBe('failed');
      failedId = n.id;
    }
    readKey = (await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key;
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await slack?.close();
  });

  it('signs in with an API key kept only in an HTTP-only cookie; a wrong key shows the API message', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    await page.goto(`${h.url}/dashboard/`);
    await page.waitForURL(/\/dashboard\/signin/);
    await shot(page, 'signin');
    await page.getByTestId('signin-key').fill('hl_sk_wrong_key_000000000000');
    await page.getByTestId('signin-submit').click();
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toContain('invalid or revoked API key');
    await page.getByTestId('signin-key').fill(ADMIN_KEY);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('overview-runs').waitFor();
    await shot(page, 'overview');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'hl_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain('hl_sk_');
    await page.getByTestId('signout').click();
    await page.waitForURL(/\/dashboard\/signin/);
    await context.close();
  });

  it('notifications: a failed Slack message, Retry, and the row turns delivered with identical content', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    await signIn(page, ADMIN_KEY, '/dashboard/notifications?status=failed');
    const row = page.locator(`[data-testid="notification-row"][data-id="${failedId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('failed');
    expect(await row.textContent()).toContain('invalid_auth');
    await shot(page, 'notifications-failed');
    const before = slack.requests.length;
    await row.getByTestId('retry-button').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('delivered');
    await shot(page, 'notifications-retried');
    const sent = slack.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toBe(slack.requests[before - 1]!.body);
    await context.close();
  });

  it('works from the keyboard alone: sign in, move through the nav, retry a notification', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    /** Presses Tab until the focused element matches `selector`; fails if it never does. */
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    // Each wait is bounded below the test's own timeout, so a failure names the step that hung
    // (the whole test takes about 2.5 s; CI once saw it hang without saying where).
    const step = { timeout: 8_000 };
    await page.goto(`${h.url}/dashboard/signin`, step);
    await tabTo('[data-testid="signin-key"]');
    await page.keyboard.type(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByTestId('overview-runs').waitFor(step);
    await tabTo('nav a[href="/dashboard/notifications"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dashboard\/notifications$/, step);
    await tabTo('[data-testid="filter-status"]');
    await page.keyboard.type('failed'); // a focused select picks the option typed
    await page.waitForURL(/status=failed/, step);
    const row = page.locator('[data-testid="notification-row"][data-status="failed"]').first();
    await row.waitFor(step);
    const id = await row.getAttribute('data-id');
    await tabTo(`[data-testid="notification-row"][data-id="${id}"] [data-testid="retry-button"]`);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator(`[data-testid="notification-row"][data-id="${id}"]`).getAttribute('data-status'), {
        timeout: 10_000,
        message: `notification ${id} to turn delivered after Retry`,
      })
      .toBe('delivered');
    await context.close();
  });

  it('a read-only key sees the log but cannot retry (390 px wide)', async () => {
    const context = await browser.newContext({ viewport: NARROW });
    const page = await context.newPage();
    await signIn(page, readKey, '/dashboard/notifications?status=failed');
    const row = page.locator('[data-testid="notification-row"][data-status="failed"]').first();
    await row.waitFor();
    expect(await row.getByTestId('retry-button').isDisabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'notifications-read-only-390');
    await context.close();
  });
});
