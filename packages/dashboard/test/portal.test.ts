/**
 * The customer portal in real Chromium (docs/portal.md): a product's page on another origin
 * frames a tenant's portal link; inside the frame the customer adds an endpoint, sees its
 * secret once, sends a test event and sees the delivery with its attempt. A page on an origin
 * the org did not list cannot frame it, the token reaches no other tenant's endpoint, and the
 * portal fits a 390 px wide screen. Screenshots go to test-artifacts/dashboard/.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../server/test/helpers/hookline.js';
import { Receiver } from '../../server/test/helpers/receiver.js';
import { launchBrowser, NARROW, pageWidth, shot, startDashboardHookline, WIDE } from './browser.js';

/** A product's own page on 127.0.0.1, addressed as http://localhost:<port>: another origin than Hookline's http://127.0.0.1:<port>. */
async function hostPage(): Promise<{ origin: string; frame(url: string): string; close(): Promise<void> }> {
  let framed = '';
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><style>body{margin:0}iframe{width:100%;height:1400px;border:0}</style>
<h1 style="font:16px sans-serif;margin:8px">Our product</h1><iframe id="portal" src="${framed.replace(/"/g, '&quot;')}"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    frame: (url) => {
      framed = url;
      return `${origin}/`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('customer portal in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let receiver: Receiver;
  let allowed: Awaited<ReturnType<typeof hostPage>>;
  let stranger: Awaited<ReturnType<typeof hostPage>>;
  let org = '';
  let env = '';
  let otherEndpoint = '';
  const contexts: BrowserContext[] = [];

  const link = async () => {
    const r = await h.call('POST', '/api/v1/portal/sessions', { org_id: org, env_id: env, event_types: ['run.*', 'order.*'] });
    expect(r.status).toBe(201);
    return r.body as { url: string; token: string };
  };
  const newPage = async (viewport = WIDE): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    return context.newPage();
  };
  /** The portal's frame in `page` once its page has loaded. */
  const portalFrame = async (page: Page): Promise<Frame> => {
    await page.waitForFunction(() => document.getElementById('portal') !== null);
    const handle = await page.$('iframe#portal');
    const frame = await handle!.contentFrame();
    await frame!.waitForSelector('[data-testid=portal]');
    return frame!;
  };

  beforeAll(async () => {
    receiver = await new Receiver().start();
    allowed = await hostPage();
    stranger = await hostPage();
    h = await startDashboardHookline('sqlite');
    const created = await h.call('POST', '/api/v1/orgs', {
      name: 'Acme Shop',
      settings: { portal_origins: [allowed.origin], brand: { color: '#b3261e' } },
    });
    expect(created.status).toBe(201);
    org = created.body.id;
    env = created.body.envs[0].id;
    const other = await h.call('POST', '/api/v1/orgs', { name: 'Other' });
    const otherKey = await h.call('POST', '/api/v1/keys', { name: 'other', org_id: other.body.id });
    const theirs = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${receiver.url}/other`, events: ['run.*'] }, otherKey.body.key);
    expect(theirs.status).toBe(201);
    otherEndpoint = theirs.body.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await h?.close();
    await allowed?.close();
    await stranger?.close();
    await receiver?.close();
  });

  it('framed by an allowed origin: add an endpoint, see its secret once, send a test event and see the delivery with its attempt', async () => {
    const { url } = await link();
    const page = await newPage();
    await page.goto(allowed.frame(url));
    const frame = await portalFrame(page);
    expect(await frame.textContent('[data-testid=portal-org]')).toBe('Acme Shop');
    // The token left the address bar as soon as the page read it.
    expect(await frame.evaluate(() => window.location.hash)).toBe('');
    // The org's accent colour.
    expect(await frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim())).toBe('#b3261e');

    await frame.click('[data-testid=portal-add]');
    await frame.fill('[data-testid=portal-url]', `${receiver.url}/hook`);
    await frame.fill('[data-testid=portal-description]', 'Our order system');
    // The catalog lists the link's types only, each with an example.
    const types = await frame.$$eval('[data-testid^=portal-type-]', (els) => els.map((e) => e.getAttribute('data-testid')));
    expect(types).toEqual(['portal-type-run.started', 'portal-type-run.completed', 'portal-type-run.failed', 'portal-type-run.timeout']);
    await frame.check('[data-testid="portal-type-run.completed"]');
    await frame.click('[data-testid=portal-save]');
    const secret = (await frame.textContent('[data-testid=secret-value]'))!.trim();
    expect(secret).toMatch(/^whsec_/);
    await shot(page, 'portal-secret');
    await frame.click('[data-testid=secret-done]');
    expect(await frame.$('[data-testid=secret-value]')).toBeNull();

    await frame.click('[data-testid=portal-send-test]');
    await frame.waitForSelector('[data-testid=portal-delivery][data-status=delivered]', { timeout: 15_000 });
    await frame.click('[data-testid=portal-delivery-open]');
    await frame.waitForSelector('[data-testid=attempt][data-status-code="200"]');
    expect(receiver.received.some((r) => r.path === '/hook' && JSON.parse(r.body).type === 'webhook.test')).toBe(true);
    await shot(page, 'portal-delivery');

    await frame.click('[data-testid=portal-back]');
    await frame.waitForSelector('[data-testid=portal-endpoint-row]');
    expect(await frame.textContent('[data-testid=portal-endpoints]')).toContain(`${receiver.url}/hook`);
  });

  it("the token, used from inside the frame, reaches no other tenant's endpoint", async () => {
    const { url, token } = await link();
    const page = await newPage();
    await page.goto(allowed.frame(url));
    const frame = await portalFrame(page);
    const status = (path: string) =>
      frame.evaluate(async ([p, t]) => (await fetch(p!, { headers: { authorization: `Bearer ${t}` } })).status, [path, token] as const);
    expect(await status('/api/v1/portal/context')).toBe(200);
    expect(await status('/api/v1/keys')).toBe(404);
    expect(await status(`/api/v1/webhooks/endpoints/${otherEndpoint}`)).toBe(404);
  });

  it('a page on an origin the org did not list cannot frame the portal', async () => {
    const { url } = await link();
    const page = await newPage();
    const refused = page.waitForEvent('console', (m) => m.text().includes('frame-ancestors'));
    await page.goto(stranger.frame(url));
    await refused;
    const frame = await (await page.$('iframe#portal'))!.contentFrame();
    // Chromium shows its own error page in the frame, never the portal.
    expect(frame!.url()).not.toContain('/portal/');
    expect(await frame!.$('[data-testid=portal]').catch(() => null)).toBeNull();
  });

  it('fits a 390 px wide screen, framed and opened directly, with no sideways scrolling', async () => {
    const framed = await newPage(NARROW);
    await framed.goto(allowed.frame((await link()).url));
    const frame = await portalFrame(framed);
    await frame.click('[data-testid=portal-endpoint-row]');
    await frame.waitForSelector('[data-testid=portal-endpoint]');
    expect(await pageWidth(framed)).toBeLessThanOrEqual(NARROW.width);
    expect(await frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await shot(framed, 'portal-narrow-framed');

    const direct = await newPage(NARROW);
    await direct.goto((await link()).url);
    await direct.waitForSelector('[data-testid=portal-endpoint-row]');
    await direct.click('[data-testid=portal-add]');
    await direct.waitForSelector('[data-testid=portal-editor]');
    expect(await pageWidth(direct)).toBeLessThanOrEqual(NARROW.width);
    await shot(direct, 'portal-narrow-editor');
  });
});
