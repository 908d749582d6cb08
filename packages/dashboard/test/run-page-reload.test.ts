/**
 * A run page whose loads go wrong shows what it can, and never crashes. A run page loads its run, and loads it again as soon as its live stream is up (whatever
 * changed while it connected). When the stream comes up while the first answer's body is still
 * arriving, that load is aborted mid-body. The page must then show the run from the second
 * load, not take the aborted read for an empty answer: it used to render `undefined` as the
 * run and crash ("Cannot read properties of undefined (reading 'status')"), which made
 * run-notifications-live.test.ts fail now and then. The ordering is forced by a proxy that
 * sends half of the first answer and lets the live stream connect only after that.
 * A load refused with 401 (the session's key was revoked) sends the user to sign in, back to
 * the same page afterwards.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { launchBrowser, signIn, startDashboardHookline, WIDE } from './browser.js';
import { HoldingProxy } from './holding-proxy.js';

describe('run page in Chromium when a load goes wrong', () => {
  let h: Harness;
  let proxy: HoldingProxy | undefined;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    h = await startDashboardHookline('sqlite');
    expect((await h.call('POST', '/api/v1/crews', { id: 'cut', name: 'Cut' })).status).toBe(201);
    expect(
      (await h.call('POST', '/api/v1/agents', { id: 'reporter', crew_id: 'cut', name: 'reporter', runner: 'command', runner_config: { command: '/bin/true' } }))
        .status,
    ).toBe(201);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await proxy?.close();
    await h?.close();
  });

  it('its first load cut off by the reload: shows the run from the second load, not a crash', async () => {
    const reported = await h.call('POST', '/api/v1/runs/report', { agent_id: 'reporter', status: 'completed', output: 'ok' });
    expect(reported.status).toBe(201);
    const runPath = `/api/v1/runs/${reported.body.id as string}`;
    proxy = new HoldingProxy(h.url, (req) => req.method === 'GET' && req.url === runPath);
    await proxy.start();

    context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(String(err.stack ?? err)));
    await signIn(page, proxy.url, ADMIN_KEY, `/dashboard/runs/${reported.body.id as string}`);
    // The stream came up while the first answer was half read, and the page's reload aborted it.
    await proxy.abandoned;

    const shown = page.getByTestId('run-status').or(page.getByTestId('page-error'));
    await shown.first().waitFor();
    expect(await page.getByTestId('page-error').count(), (await page.locator('body').innerText()).slice(0, 400)).toBe(0);
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('completed');
    expect(pageErrors).toEqual([]);
  });

  it('a load refused with 401 sends the user to sign in, and back to the run afterwards', async () => {
    const reported = await h.call('POST', '/api/v1/runs/report', { agent_id: 'reporter', status: 'completed', output: 'ok' });
    const runHref = `/dashboard/runs/${reported.body.id as string}`;
    const key = (await h.call('POST', '/api/v1/keys', { name: 'short-lived', role: 'read' })).body as { id: string; key: string };
    const revokedContext = await browser.newContext({ viewport: WIDE });
    try {
      const page = await revokedContext.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(String(err.stack ?? err)));
      await signIn(page, h.url, key.key, runHref);
      await page.getByTestId('run-status').waitFor();
      expect((await h.call('DELETE', `/api/v1/keys/${key.id}`)).status).toBe(204);

      const refused = page.waitForResponse((r) => r.status() === 401 && new URL(r.url()).pathname !== '/api/v1/session');
      const signInShown = page.waitForURL((u) => u.pathname === '/dashboard/signin' && u.searchParams.get('next') === runHref);
      // The first load after the revocation is refused: the page's own reload when its stream
      // came up may be in flight still; otherwise this Refresh asks for one. Either must do.
      void page
        .getByTestId('run-notifications')
        .getByRole('button', { name: 'Refresh' })
        .click()
        .catch(() => undefined);
      await refused;
      await signInShown;
      await page.getByTestId('signin-key').fill(ADMIN_KEY);
      await page.getByTestId('signin-submit').click();
      await page.waitForURL((u) => u.pathname === runHref);
      expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('completed');
      expect(pageErrors).toEqual([]);
    } finally {
      await revokedContext.close();
    }
  });
});
