/**
 * The endpoints and settings pages in real Chromium against a real Hookline, with real
 * receivers and a fake Slack on 127.0.0.1: an endpoint's secret shown once and verified by
 * the receiver, deliveries appearing and settling live, a failing receiver's attempts, test
 * event, rotation, replay of a window picked in another time zone, API keys, the Slack test
 * message, and a read-only key that cannot change anything. Screenshots go to
 * test-artifacts/dashboard/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../server/src/crypto/index.js';
import { type FakeSlack, startFakeSlack } from '../../server/test/helpers/fake-slack.js';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { Receiver, type Received } from '../../server/test/helpers/receiver.js';
import { launchBrowser, NARROW, pageWidth, shot, signIn, startDashboardHookline, WIDE } from './browser.js';

const ZONE = 'America/New_York';

/** `2026-03-08T09:30:00` for a datetime-local input, as a clock in `zone` shows `ms`. */
function localInput(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = (t: string) => parts.find((x) => x.type === t)!.value;
  return `${p('year')}-${p('month')}-${p('day')}T${p('hour')}:${p('minute')}:${p('second')}`;
}

const signedWith = (secret: string, r: Received) =>
  verifySignature('standard', { headers: r.headers as Record<string, string>, body: r.body, secret, nowSec: Math.floor(Date.now() / 1000) });

describe('endpoints and settings pages in Chromium', () => {
  let slack: FakeSlack;
  let ok: Receiver;
  let failing: Receiver;
  let h: Harness;
  let browser: Browser;
  let readKey: string;
  let endpointId = '';
  let secret = '';
  let orderEvents = 0;
  const contexts: BrowserContext[] = [];

  const open = async (key: string, next: string, o: { viewport?: typeof WIDE; timezoneId?: string } = {}): Promise<Page> => {
    const context = await browser.newContext({ viewport: o.viewport ?? WIDE, ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}) });
    contexts.push(context);
    // Well under the test's own timeout, so a stuck step names itself.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await signIn(page, h.url, key, next);
    return page;
  };
  const publish = async (type: string, data: unknown) => {
    const r = await h.call('POST', '/api/v1/events', { type, data });
    expect(r.status).toBe(202);
    if (type.startsWith('order.')) orderEvents++;
    return r.body.event.id as string;
  };

  beforeAll(async () => {
    slack = await startFakeSlack();
    ok = await new Receiver().start();
    failing = await new Receiver().start();
    failing.respond = (_req, res) => void res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream broke: database is down');
    h = await startDashboardHookline('sqlite', {
      overrides: { notifications: { slack: { enabled: true, bot_token: slack.token, default_channel: '#general', api_base_url: slack.url } } },
    });
    readKey = (await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key;
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await h?.close();
    await Promise.all([ok?.close(), failing?.close(), slack?.close()]);
  });

  it('creates an endpoint and shows its secret once, then goes to its page', async () => {
    const page = await open(ADMIN_KEY, '/dashboard/endpoints');
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toContain('Svix');
    await page.getByTestId('endpoint-new').click();
    await page.getByTestId('ep-url').fill(`${ok.url}/hooks/orders`);
    await page.getByTestId('ep-events').fill('order.*');
    await page.getByTestId('ep-description').fill('orders receiver');
    await page.getByTestId('ep-create').click();
    await page.getByTestId('secret-once').waitFor();
    secret = (await page.getByTestId('secret-value').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    // Nothing has published an order.* event yet: saved, with a notice saying so.
    expect(await page.getByTestId('save-warning').textContent()).toBe(
      'events[0]: "order.*" selects no known event type (none built in, none published so far); it will match only events published later whose type starts with "order."',
    );
    await shot(page, 'endpoints-create-secret');
    await page.getByTestId('secret-done').click();
    await page.waitForURL(/\/dashboard\/endpoints\/ep_/);
    endpointId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByTestId('endpoint-config').waitFor();
    expect(await page.getByTestId('endpoint-config').textContent()).toContain(`${ok.url}/hooks/orders`);
    expect(await page.content()).not.toContain(secret);

    // Published while the page is open: the delivery shows up and turns delivered, no reload.
    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
    await page.getByTestId('deliveries').getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('delivery-row').count()).toBe(0);
    await expect.poll(() => page.getByTestId('live-status').first().getAttribute('data-status')).toBe('live');
    await publish('order.created', { order: 1 });
    await page.locator('[data-testid="delivery-row"][data-status="delivered"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('delivery-row').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);

    // The secret that was shown is the one the receiver's signatures verify with.
    await ok.waitFor(1);
    expect(JSON.parse(ok.received[0]!.body)).toMatchObject({ type: 'order.created', data: { order: 1 } });
    expect(signedWith(secret, ok.received[0]!)).toBe(true);
    expect(signedWith('whsec_' + Buffer.alloc(24, 7).toString('base64'), ok.received[0]!)).toBe(false);
    await shot(page, 'endpoints-detail');

    // Away and back: the secret is gone from the page for good.
    await page.getByRole('link', { name: 'All endpoints' }).click();
    await page.getByTestId('endpoint-row').waitFor();
    await page.locator(`[data-testid="endpoint-row"][data-id="${endpointId}"] a`).click();
    await page.getByTestId('endpoint-config').waitFor();
    expect(await page.getByTestId('secret-once').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
  });

  it('shows the warnings of a save: an event type nothing publishes, with what was meant', async () => {
    const page = await open(ADMIN_KEY, '/dashboard/endpoints/new');
    await page.getByTestId('ep-url').fill(`${ok.url}/hooks/typo`);
    // order.created was published above, so "order.*" is known and "ordr.created" looks like a typo.
    await page.getByTestId('ep-events').fill('order.*, ordr.created');
    await page.getByTestId('ep-create').click();
    await page.getByTestId('secret-once').waitFor();
    const warnings = page.getByTestId('save-warning');
    expect(await warnings.allTextContents()).toEqual([
      'events[1]: "ordr.created" is not a known event type (not built in, never published); did you mean "order.created"?',
    ]);
    expect(await page.getByTestId('save-warnings').isVisible()).toBe(true);
    await shot(page, 'endpoints-create-warning');
    const id = (await page.getByTestId('endpoint-created').locator('.mono').first().textContent())!;
    // Saved as given; removed again so later order events reach only the first endpoint.
    expect((await h.call('GET', `/api/v1/webhooks/endpoints/${id}`)).body.events).toEqual(['order.*', 'ordr.created']);
    expect((await h.call('DELETE', `/api/v1/webhooks/endpoints/${id}`)).status).toBe(204);
  });

  it('lists endpoints with their health', async () => {
    const page = await open(ADMIN_KEY, '/dashboard/endpoints');
    const r = page.locator(`[data-testid="endpoint-row"][data-id="${endpointId}"]`);
    await r.waitFor();
    expect(await r.textContent()).toContain('enabled');
    expect(await r.getByTestId('endpoint-failures').textContent()).toBe('0');
    // One delivered, none failed in the last 24 h (from GET /api/v1/stats/overview).
    await expect.poll(() => r.getByTestId('endpoint-success').textContent()).toBe('100 %');
    await shot(page, 'endpoints-list');
  });

  it('a failing receiver: the delivery shows retrying with the 500 and its body, then failed after Retry', async () => {
    const created = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${failing.url}/broken`, events: ['invoice.*'], retry_schedule: ['1h'] });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const page = await open(ADMIN_KEY, `/dashboard/endpoints/${id}`);
    await page.getByTestId('empty-state').waitFor();
    await expect.poll(() => page.getByTestId('live-status').first().getAttribute('data-status')).toBe('live');
    await publish('invoice.paid', { invoice: 42 });
    const first = page.getByTestId('delivery-row').first();
    await expect.poll(() => first.getAttribute('data-status'), { timeout: 15_000 }).toBe('pending');
    await expect.poll(() => first.getByTestId('delivery-last').textContent(), { timeout: 15_000 }).toContain('HTTP 500');
    expect(await first.textContent()).toContain('retrying');
    await first.getByTestId('delivery-expand').click();
    const attempts = page.getByTestId('delivery-attempts');
    await attempts.getByTestId('attempt').first().waitFor();
    expect(await attempts.getByTestId('attempt-code').first().textContent()).toBe('HTTP 500');
    expect(await attempts.getByTestId('attempt-response').first().textContent()).toBe('upstream broke: database is down');

    await first.getByTestId('delivery-open').click();
    await page.getByTestId('delivery-view').waitFor();
    await page.getByTestId('delivery-view-retry').click();
    // The retry fails too, and the schedule (one retry) is used up: failed, two attempts.
    // Polled without waiting for the element, so a failure names where the page is and what it shows.
    const view = page.getByTestId('delivery-view');
    const viewStatus = async () =>
      (await view.count()) ? view.getAttribute('data-status') : `no delivery view at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 300)}`;
    await expect.poll(viewStatus, { timeout: 15_000 }).toBe('failed');
    await expect.poll(() => page.getByTestId('attempt').count()).toBe(2);
    expect(await page.getByTestId('delivery-event').textContent()).toContain('"invoice": 42');
    expect(failing.received).toHaveLength(2);
    await expect.poll(() => page.getByTestId('delivery-view-retry').isDisabled()).toBe(false);
    await shot(page, 'endpoints-delivery-attempts');
  });

  it('sends a test event and rotates the secret (shown once, and it signs)', async () => {
    const page = await open(ADMIN_KEY, `/dashboard/endpoints/${endpointId}`);
    await page.getByTestId('delivery-row').first().waitFor();
    await expect.poll(() => page.getByTestId('live-status').first().getAttribute('data-status')).toBe('live');
    const before = ok.received.length;
    await page.getByTestId('endpoint-test').click();
    await expect.poll(() => page.getByTestId('endpoint-note').textContent()).toContain('Test event evt_');
    const testRow = page.locator('[data-testid="delivery-row"]', { hasText: 'webhook.test' });
    await expect.poll(() => testRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('delivered');
    await ok.waitFor(before + 1);
    expect(JSON.parse(ok.received[before]!.body)).toMatchObject({ type: 'webhook.test', data: { endpoint_id: endpointId } });

    await page.getByTestId('endpoint-rotate').click();
    await page.getByTestId('rotate-grace').fill('3600');
    await page.getByTestId('endpoint-rotate-yes').click();
    await page.getByTestId('secret-once').waitFor();
    const rotated = (await page.getByTestId('secret-value').textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await page.getByTestId('endpoint-config').textContent()).toContain('Old secret signs until');
    await page.getByTestId('secret-done').click();
    expect(await page.getByTestId('secret-once').count()).toBe(0);
    expect(await page.content()).not.toContain(rotated);

    await publish('order.shipped', { order: 1 });
    await ok.waitFor(before + 2);
    const signed = ok.received[before + 1]!;
    expect(signedWith(rotated, signed)).toBe(true);
    expect(signedWith(secret, signed)).toBe(true); // the grace period: both sign
    secret = rotated;
  });

  it("replays a window picked in the viewer's time zone and says how many deliveries it queued", async () => {
    const page = await open(ADMIN_KEY, `/dashboard/endpoints/${endpointId}`, { timezoneId: ZONE });
    await page.getByTestId('delivery-row').first().waitFor();
    const rowsBefore = await page.getByTestId('delivery-row').count();
    const now = Date.now();
    // An hour either side of now, as a New York clock shows it: read as UTC it would miss every event.
    await page.getByTestId('replay-since').fill(localInput(now - 3_600_000, ZONE));
    await page.getByTestId('replay-until').fill(localInput(now + 3_600_000, ZONE));
    await page.getByTestId('replay-submit').click();
    await expect.poll(() => page.getByTestId('replay-result').textContent()).toBe(`${orderEvents} deliveries enqueued`);
    expect(orderEvents).toBe(2);
    await expect.poll(() => page.getByTestId('delivery-row').count(), { timeout: 15_000 }).toBe(rowsBefore + orderEvents);

    // A window that ended two hours ago holds nothing.
    await page.getByTestId('replay-since').fill(localInput(now - 3 * 3_600_000, ZONE));
    await page.getByTestId('replay-until').fill(localInput(now - 2 * 3_600_000, ZONE));
    await page.getByTestId('replay-submit').click();
    await expect.poll(() => page.getByTestId('replay-result').textContent()).toBe('0 deliveries enqueued');
  });

  it('settings: creates a read key shown once, revokes it (then the API answers 401), cannot revoke its own key', async () => {
    const page = await open(ADMIN_KEY, '/dashboard/settings');
    await page.getByTestId('key-row').first().waitFor();
    const own = page.locator('[data-testid="key-row"]', { hasText: 'signed in with this key' });
    expect(await own.getByTestId('key-revoke').isDisabled()).toBe(true);
    expect(await own.getByTestId('key-revoke').getAttribute('title')).toContain('You are signed in with this key');

    await page.getByTestId('key-name').fill('temp-reader');
    await page.getByTestId('key-role').selectOption('read');
    await page.getByTestId('key-create').click();
    await page.getByTestId('secret-once').waitFor();
    const key = (await page.getByTestId('secret-value').textContent())!.trim();
    expect(key).toMatch(/^hl_sk_/);
    expect((await h.call('GET', '/api/v1/webhooks/endpoints', undefined, key)).status).toBe(200);
    expect((await h.call('POST', '/api/v1/events', { type: 'order.x' }, key)).status).toBe(403);
    const created = page.locator('[data-testid="key-row"][data-name="temp-reader"]');
    expect(await created.textContent()).toContain('read-only');
    await shot(page, 'settings-key-created');
    await page.getByTestId('secret-done').click();
    expect(await page.content()).not.toContain(key);

    await created.getByTestId('key-revoke').click();
    await created.getByTestId('key-revoke-yes').click();
    await expect.poll(() => created.getAttribute('data-revoked')).toBe('true');
    expect((await h.call('GET', '/api/v1/webhooks/endpoints', undefined, key)).status).toBe(401);
  });

  it("settings: the Slack test message reaches Slack, and Slack's refusal is shown", async () => {
    const page = await open(ADMIN_KEY, '/dashboard/settings');
    await page.getByTestId('settings-slack').waitFor();
    const slackInfo = await page.getByTestId('settings-slack').textContent();
    expect(slackInfo).toContain('#general');
    expect(slackInfo).not.toContain(slack.token);
    expect(await page.getByTestId('allow-networks').textContent()).toContain('127.0.0.1/32');
    expect((await page.getByTestId('ssrf-blocked').textContent())!.length).toBeGreaterThan(10);

    const before = slack.delivered().length;
    await page.getByTestId('slack-channel').fill('#alerts');
    await page.getByTestId('slack-text').fill('hello from the settings page');
    await page.getByTestId('slack-send').click();
    await expect.poll(() => page.getByTestId('slack-sent').textContent()).toContain('Sent to');
    const sent = slack.delivered().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.json).toMatchObject({ channel: '#alerts', text: 'hello from the settings page' });

    await page.getByTestId('slack-channel').fill('#no-such-channel');
    await page.getByTestId('slack-send').click();
    await expect.poll(() => page.getByTestId('settings-slack').getByTestId('error-banner').textContent()).toContain('channel_not_found');
    expect(await page.getByTestId('slack-sent').count()).toBe(0);
    await shot(page, 'settings');
  });

  it('a read-only key cannot change anything, and a forced call shows the 403 (390 px)', async () => {
    const page = await open(readKey, '/dashboard/endpoints', { viewport: NARROW });
    await page.locator(`[data-testid="endpoint-row"][data-id="${endpointId}"]`).waitFor();
    expect(await page.getByTestId('read-only-note').count()).toBe(1);
    expect(await page.getByTestId('endpoint-new').isDisabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'endpoints-list-390');

    await page.locator(`[data-testid="endpoint-row"][data-id="${endpointId}"] a`).click();
    await page.getByTestId('delivery-row').first().waitFor();
    for (const id of ['endpoint-test', 'endpoint-disable', 'endpoint-rotate', 'endpoint-delete', 'replay-submit']) {
      expect(await page.getByTestId(id).isDisabled(), id).toBe(true);
    }
    expect(await page.getByTestId('delivery-retry').first().isDisabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'endpoints-detail-390');

    // Forced past the disabled button (the form submitted from script), the server refuses
    // with 403 and the page shows its message.
    await page.getByTestId('replay-since').fill(localInput(Date.now() - 60_000, 'UTC'));
    await page.getByTestId('replay-form').evaluate((f) => (f as HTMLFormElement).requestSubmit());
    await expect.poll(() => page.getByTestId('error-banner').first().textContent()).toBe('this API key is read-only');

    await page.goto(`${h.url}/dashboard/settings`);
    await page.getByTestId('key-row').first().waitFor();
    await page.getByTestId('settings-slack').waitFor();
    expect(await page.getByTestId('key-create').isDisabled()).toBe(true);
    expect(await page.getByTestId('slack-send').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="key-row"][data-revoked="false"]').getByTestId('key-revoke').first().isDisabled()).toBe(true);
    await page.getByTestId('key-name').fill('sneaky');
    await page.getByTestId('key-form').evaluate((f) => (f as HTMLFormElement).requestSubmit());
    await expect.poll(() => page.getByTestId('settings-keys').getByTestId('error-banner').textContent()).toBe('this API key is read-only');
    expect((await h.call('GET', '/api/v1/keys')).body.items.some((k: { name: string }) => k.name === 'sneaky')).toBe(false);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'settings-390');
  });
});
