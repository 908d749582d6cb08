/**
 * Tenants in real Chromium against a real Hookline: the installation admin creates an org on
 * the Orgs page, adds an environment, saves portal origins and a brand colour (checked through
 * the API; a bad origin shows the server's own message), mints an environment key shown once,
 * and switches tenant, after which every API call names it (Hookline-Org/Hookline-Env, kept
 * across a reload) and the live stream's URL does too. The scoped key sees its tenant's name
 * and no switcher; an environment holding data, and an org, are deleted only after the id is
 * typed; the pages fit 390 px. Screenshots go to test-artifacts/dashboard/.
 */
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../../server/src/store/testing.js';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { launchBrowser, NARROW, pageWidth, shot, signedInPage, startDashboardHookline, WIDE } from './browser.js';

interface SeenRequest {
  path: string;
  org: string | undefined;
  env: string | undefined;
}

describe('orgs and the tenant switcher in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  // Made by the first test, used by the later ones.
  let orgId = '';
  let stagingId = '';
  let envKey = '';

  const open = async (key: string, next: string, viewport = WIDE): Promise<Page> => {
    const { context, page } = await signedInPage(browser, h.url, key, next, viewport);
    contexts.push(context);
    // Well under the test's own timeout, so a stuck step names itself.
    context.setDefaultTimeout(10_000);
    return page;
  };

  /** Every API request the page sends from now on, with the tenant headers it carried. */
  const recordRequests = (page: Page): SeenRequest[] => {
    const seen: SeenRequest[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!url.pathname.startsWith('/api/v1/') || url.pathname === '/api/v1/stream') return;
      const headers = r.headers();
      seen.push({ path: url.pathname, org: headers['hookline-org'], env: headers['hookline-env'] });
    });
    return seen;
  };

  /** The page is no wider than the 390 px viewport, and no table inside it scrolls sideways either. */
  const fitsNarrow = async (page: Page) => {
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    const wide = await page
      .locator('.table-wrap')
      .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.innerHTML.slice(0, 80)));
    expect(wide).toEqual([]);
  };

  beforeAll(async () => {
    h = await startDashboardHookline('sqlite');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await h?.close();
  });

  it('creates an org with an environment, saves its settings, mints an environment key, and switches to that tenant', async () => {
    const page = await open(ADMIN_KEY, '/dashboard/orgs');
    await page.getByTestId('org-table').waitFor();
    expect(await page.locator('nav a[href="/dashboard/orgs"]').getAttribute('aria-current')).toBe('page');
    await page.getByTestId('org-name').fill('Acme');
    await page.getByTestId('org-create').click();
    await page.waitForURL(/\/dashboard\/orgs\/org_/);
    orgId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect((await h.call('GET', `/api/v1/orgs/${orgId}`)).body.name).toBe('Acme');
    await page.locator('[data-testid="env-row"][data-name="production"]').waitFor();

    // A second environment.
    await page.getByTestId('env-name').fill('staging');
    await page.getByTestId('env-create').click();
    const stagingRow = page.locator('[data-testid="env-row"][data-name="staging"]');
    await stagingRow.waitFor();
    stagingId = (await stagingRow.getAttribute('data-id'))!;
    const envs = (await h.call('GET', `/api/v1/orgs/${orgId}/envs`)).body.items as { id: string; name: string }[];
    expect(envs.map((e) => e.name).sort()).toEqual(['production', 'staging']);
    expect(envs.find((e) => e.name === 'staging')!.id).toBe(stagingId);

    // Portal origin and brand colour, saved and read back through the API.
    await page.getByTestId('org-portal-origins').fill('https://app.acme.test\nhttps://admin.acme.test:8443');
    await page.getByTestId('org-brand-color').fill('#1f6feb');
    await page.getByTestId('org-quota-endpoints').fill('25');
    await page.getByTestId('org-settings-save').click();
    await page.getByTestId('org-settings-saved').waitFor();
    const saved = (await h.call('GET', `/api/v1/orgs/${orgId}`)).body.settings;
    expect(saved).toMatchObject({
      portal_origins: ['https://app.acme.test', 'https://admin.acme.test:8443'],
      brand: { color: '#1f6feb' },
      quotas: { endpoints: 25 },
    });

    // An origin with a path is refused; the banner shows the server's own message, and nothing changed.
    await page.getByTestId('org-portal-origins').fill('https://app.acme.test/embed');
    await page.getByTestId('org-settings-save').click();
    const banner = page.getByTestId('org-settings-form').getByTestId('error-banner');
    await banner.waitFor();
    const refused = await h.call('PATCH', `/api/v1/orgs/${orgId}`, {
      settings: { quotas: { endpoints: 25 }, portal_origins: ['https://app.acme.test/embed'], brand: { color: '#1f6feb' } },
    });
    expect(refused.status).toBe(422);
    expect((await banner.textContent())?.trim()).toBe(refused.body.error.message);
    expect((await h.call('GET', `/api/v1/orgs/${orgId}`)).body.settings.portal_origins).toEqual(saved.portal_origins);
    await shot(page, 'org-settings-invalid-origin');

    // An environment key, shown once.
    await page.getByTestId('org-key-name').fill('acme-staging');
    await page.getByTestId('org-key-env').selectOption(stagingId);
    await page.getByTestId('org-key-create').click();
    envKey = (await page.getByTestId('secret-value').textContent())!.trim();
    expect(envKey).toMatch(/^hl_sk_/);
    const keyRow = page.locator('[data-testid="org-key-row"][data-name="acme-staging"]');
    expect(await keyRow.getAttribute('data-env')).toBe(stagingId);
    expect(await keyRow.textContent()).toContain('staging');
    const minted = (await h.call('GET', '/api/v1/session', undefined, envKey)).body;
    expect(minted.key).toMatchObject({ name: 'acme-staging', org_id: orgId, env_id: stagingId });
    await page.getByTestId('secret-done').click();
    expect(await page.getByTestId('secret-once').count()).toBe(0);
    expect(await page.content()).not.toContain(envKey);
    await shot(page, 'org-detail');

    // Before a switch nothing names a tenant; after it, every call names Acme's staging.
    const seen = recordRequests(page);
    await page.getByTestId('org-envs').waitFor();
    const before = seen.length;
    expect(seen.every((r) => r.env === undefined && r.org === undefined)).toBe(true);
    await page.getByTestId('tenant-switcher').selectOption(`${orgId}/${stagingId}`);
    // The page loads its data again in the new tenant.
    await expect.poll(() => seen.slice(before).some((r) => r.path === `/api/v1/orgs/${orgId}`)).toBe(true);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.locator('nav a[href="/dashboard/"]').click();
    await page.getByTestId('overview-runs').waitFor();
    await expect.poll(() => seen.slice(before).some((r) => r.path.startsWith('/api/v1/runs'))).toBe(true);
    const after = seen.slice(before);
    expect(after.length).toBeGreaterThan(2);
    expect(after.filter((r) => r.env !== stagingId || r.org !== orgId)).toEqual([]);
    // The live stream cannot carry headers: the tenant is in its URL.
    await expect.poll(() => sockets.length).toBeGreaterThan(0);
    expect(new URL(sockets.at(-1)!).searchParams.get('env_id')).toBe(stagingId);

    // The choice outlives a reload: the session call names no tenant, every call after it does.
    const reloadFrom = seen.length;
    await page.reload();
    await page.getByTestId('overview-runs').waitFor();
    expect(await page.getByTestId('tenant-switcher').inputValue()).toBe(`${orgId}/${stagingId}`);
    const reloaded = seen.slice(reloadFrom);
    expect(reloaded[0]).toMatchObject({ path: '/api/v1/session', env: undefined });
    const named = reloaded.filter((r) => r.path !== '/api/v1/session' && !r.path.startsWith('/api/v1/orgs'));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((r) => r.env !== stagingId)).toEqual([]);
    await shot(page, 'tenant-switched');

    // Back to the default tenant: calls name none again.
    const resetFrom = seen.length;
    await page.getByTestId('tenant-switcher').selectOption('');
    await expect.poll(() => seen.slice(resetFrom).some((r) => r.path.startsWith('/api/v1/runs'))).toBe(true);
    expect(seen.slice(resetFrom).filter((r) => r.env !== undefined)).toEqual([]);
  });

  it("a scoped key shows its tenant's name, no switcher and no Orgs page; its key list is its own", async () => {
    expect(envKey).not.toBe('');
    const page = await open(envKey, '/dashboard/settings');
    const seen = recordRequests(page);
    await page.locator('[data-testid="key-row"]').first().waitFor();
    // The name comes with the org list, which may land after the key list.
    await expect.poll(async () => (await page.getByTestId('tenant-name').textContent())?.trim()).toBe('Acme / staging');
    expect(await page.getByTestId('tenant-switcher').count()).toBe(0);
    expect(await page.locator('nav a[href="/dashboard/orgs"]').count()).toBe(0);
    const names = await page.locator('[data-testid="key-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(names).toEqual(['acme-staging']);
    // The server's configuration is the installation's: the page says which key shows it.
    await expect.poll(async () => (await page.getByTestId('settings-error').textContent()) ?? '').toContain('installation key');
    // The installation key sees every key, so the list above is the scoped key's alone.
    expect(((await h.call('GET', '/api/v1/keys')).body.items as unknown[]).length).toBeGreaterThan(1);
    expect(seen.filter((r) => r.env !== undefined || r.org !== undefined)).toEqual([]);
  });

  it('an environment with data, then the org, are deleted only once their id is typed; the portal button opens the portal or shows why not (390 px)', async () => {
    // Data in staging: an inspector bin of its own, written as the server's tenant tests do
    // (the routes that will file new rows under the request's tenant are not all in yet).
    await sql`INSERT INTO inspector_bins (name, scheme, secret_enc, next_seq, created_at, env_id) VALUES ('acme-staging-bin', 'none', NULL, 0, 1, ${stagingId})`.execute(
      databaseOf(h.hl.store),
    );
    const page = await open(ADMIN_KEY, '/dashboard/orgs', NARROW);
    await page.locator(`[data-testid="org-row"][data-id="${orgId}"]`).waitFor();
    await fitsNarrow(page);
    await shot(page, 'orgs-390');
    await page.locator(`[data-testid="org-row"][data-id="${orgId}"] a`).click();
    const row = page.locator(`[data-testid="env-row"][data-id="${stagingId}"]`);
    await row.waitFor();
    await fitsNarrow(page);
    // Nothing is cut off inside its card either.
    for (const id of ['env-portal', 'env-delete']) {
      const box = (await row.getByTestId(id).boundingBox())!;
      expect(box.x + box.width, id).toBeLessThanOrEqual(NARROW.width);
    }
    await shot(page, 'org-detail-390');

    // Open the portal as staging: a new tab at the URL the API gives, or (while that route is
    // missing) the API's error in the banner.
    const direct = await h.call('POST', '/api/v1/portal/sessions', { org_id: orgId, env_id: stagingId });
    if (direct.status === 201 || direct.status === 200) {
      const [tab] = await Promise.all([page.context().waitForEvent('page'), row.getByTestId('env-portal').click()]);
      await tab.waitForURL((u) => u.origin === new URL(direct.body.url as string, h.url).origin);
    } else {
      await row.getByTestId('env-portal').click();
      const banner = page.getByTestId('org-envs').getByTestId('error-banner');
      await banner.waitFor();
      expect((await banner.textContent())?.trim()).toBe(direct.body.error.message);
      expect(page.context().pages()).toHaveLength(1);
    }

    await row.getByTestId('env-delete').click();
    await row.getByTestId('env-delete-yes').click();
    const typed = row.getByTestId('env-delete-typed');
    await typed.waitFor();
    expect(await row.getByTestId('env-delete-confirm').textContent()).toContain('holds data');
    expect(await row.getByTestId('env-delete-yes').isDisabled()).toBe(true);
    expect((await h.call('GET', `/api/v1/orgs/${orgId}/envs/${stagingId}`)).status).toBe(200);
    await fitsNarrow(page);
    await shot(page, 'env-delete-typed-390');
    await typed.fill('env_wrong');
    expect(await row.getByTestId('env-delete-yes').isDisabled()).toBe(true);
    await typed.fill(stagingId);
    await row.getByTestId('env-delete-yes').click();
    await row.waitFor({ state: 'detached' });
    expect((await h.call('GET', `/api/v1/orgs/${orgId}/envs/${stagingId}`)).status).toBe(404);
    await fitsNarrow(page);

    // The org goes only once its id is typed.
    await page.getByTestId('org-delete').click();
    expect(await page.getByTestId('org-delete-yes').isDisabled()).toBe(true);
    await page.getByTestId('org-delete-typed').fill(orgId);
    await page.getByTestId('org-delete-yes').click();
    await page.waitForURL((u) => u.pathname === '/dashboard/orgs');
    await page.getByTestId('org-table').waitFor();
    expect(await page.locator(`[data-testid="org-row"][data-id="${orgId}"]`).count()).toBe(0);
    expect((await h.call('GET', `/api/v1/orgs/${orgId}`)).status).toBe(404);
  });
});
