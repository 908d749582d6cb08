/**
 * The Inspector pages in real Chromium against a real Hookline: a bin created with an
 * endpoint's secret catches that endpoint's signed delivery live (headers, pretty JSON body,
 * "signature valid"); a tampered copy shows invalid with the reason; a binary body with a
 * query string; clear all; no sideways scroll at 390 px. Screenshots go to
 * test-artifacts/dashboard/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { launchBrowser, NARROW, pageWidth, shot, signIn, startDashboardHookline, WIDE } from './browser.js';

const BIN = 'hooks-in';

describe('inspector pages in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let secret = '';
  const contexts: BrowserContext[] = [];

  const open = async (next: string, viewport = WIDE): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await signIn(page, h.url, ADMIN_KEY, next);
    return page;
  };
  const rows = (page: Page) => page.getByTestId('request-row');

  beforeAll(async () => {
    h = await startDashboardHookline('sqlite');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await h?.close();
  });

  it("creates a bin with an endpoint's secret; the endpoint's signed delivery appears live as valid", async () => {
    // The endpoint sends to a sub-path of the bin; loopback is allowed by the harness's delivery.allow_networks.
    const ep = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${h.url}/inspect/${BIN}/orders`, events: ['order.*'] });
    expect(ep.status).toBe(201);
    secret = ep.body.secret;

    const page = await open('/dashboard/inspector');
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('bin-name').fill(BIN);
    await page.getByTestId('bin-secret').fill(secret);
    await page.getByTestId('bin-create').click();
    await page.waitForURL(new RegExp(`/dashboard/inspector/${BIN}$`));
    expect(await page.getByTestId('bin-url').textContent()).toBe(`${h.url}/inspect/${BIN}`);
    expect(await page.getByTestId('bin-curl').textContent()).toContain(`${h.url}/inspect/${BIN}/hello?x=1`);
    expect(await page.getByTestId('bin-check').textContent()).toBe('auto, with a secret');
    expect(await page.getByTestId('bin-loopback-hint').textContent()).toContain('delivery.allow_networks');
    // Write-only: the secret went to the API and is nowhere on the page.
    expect(await page.content()).not.toContain(secret);
    await expect.poll(() => page.getByTestId('live-status').first().getAttribute('data-status')).toBe('live');
    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));

    const published = await h.call('POST', '/api/v1/events', { type: 'order.created', data: { order: 7, items: ['book'] } });
    expect(published.status).toBe(202);
    await rows(page).first().waitFor({ timeout: 15_000 });
    const row = rows(page).first();
    expect(await row.textContent()).toContain(`POST /inspect/${BIN}/orders`);
    expect(await row.getByTestId('signature').getAttribute('data-valid')).toBe('true');
    await row.getByTestId('request-expand').click();
    const detail = page.getByTestId('request-detail');
    const headers = await detail.getByTestId('request-headers').textContent();
    expect(headers).toContain('webhook-signature');
    expect(headers).toContain('x-hookline-event-type');
    expect(headers).toContain('order.created');
    const body = (await detail.getByTestId('request-body').textContent())!;
    expect(body).toContain('"order": 7'); // pretty-printed
    expect(JSON.parse(body)).toMatchObject({ id: published.body.event.id, type: 'order.created', data: { order: 7, items: ['book'] } });
    expect(await detail.getByTestId('signature-detail').textContent()).toContain('✓ signature valid');
    expect(await detail.getByTestId('signature-reason').textContent()).toContain('standard');
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
  });

  it('a tampered copy shows invalid with the reason; a binary body with a query shows base64; clear all', async () => {
    const page = await open(`/dashboard/inspector/${BIN}`);
    await rows(page).first().waitFor();
    await expect.poll(() => page.getByTestId('live-status').first().getAttribute('data-status')).toBe('live');
    const captured = (await h.call('GET', `/api/v1/inspector/bins/${BIN}/requests`)).body.items[0];
    const signatureHeaders = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((k) => [k, captured.headers[k] as string]));

    // Same signature headers, one byte of the body changed.
    const tampered = await fetch(`${h.url}/inspect/${BIN}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signatureHeaders },
      body: (captured.body as string).replace('"order":7', '"order":8'),
    });
    expect(tampered.status).toBe(200);
    const tamperedId = (await tampered.json()).id as string;
    const bad = page.locator(`[data-testid="request-row"][data-id="${tamperedId}"]`);
    await bad.waitFor({ timeout: 15_000 });
    expect(await bad.getByTestId('signature').getAttribute('data-valid')).toBe('false');
    expect(await bad.textContent()).toContain('signature does not match');
    await bad.getByTestId('request-expand').click();
    const badDetail = page.locator(`[data-testid="request-detail"][data-id="${tamperedId}"]`);
    expect(await badDetail.getByTestId('signature-detail').textContent()).toContain('✗ signature invalid');
    expect(await badDetail.getByTestId('signature-reason').textContent()).toContain('signature does not match');

    const binary = await fetch(`${h.url}/inspect/${BIN}/upload?x=1&name=blob`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0xff, 0xfe, 0x00, 0x01]),
    });
    const binaryId = (await binary.json()).id as string;
    const bin = page.locator(`[data-testid="request-row"][data-id="${binaryId}"]`);
    await bin.waitFor({ timeout: 15_000 });
    await bin.getByTestId('request-expand').click();
    const binDetail = page.locator(`[data-testid="request-detail"][data-id="${binaryId}"]`);
    expect(await binDetail.getByTestId('body-binary').textContent()).toContain('base64');
    expect(await binDetail.getByTestId('request-body').textContent()).toBe(Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64'));
    const query = await binDetail.getByTestId('request-query').textContent();
    expect(query).toContain('name');
    expect(query).toContain('blob');
    expect(await rows(page).count()).toBe(3);
    await shot(page, 'inspector-bin');

    await page.getByRole('link', { name: 'All bins' }).click();
    const listed = page.locator(`[data-testid="bin-row"][data-name="${BIN}"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain('auto, with a secret');
    await shot(page, 'inspector-list');
    await listed.getByRole('link', { name: BIN }).click();
    await rows(page).first().waitFor();
    await page.getByTestId('bin-clear').click();
    await page.getByTestId('bin-clear-yes').click();
    await page.getByTestId('empty-state').waitFor();
    expect(await rows(page).count()).toBe(0);
    expect((await h.call('GET', `/api/v1/inspector/bins/${BIN}/requests`)).body.total).toBe(0);
  });

  it('the bin page fits 390 px', async () => {
    await fetch(`${h.url}/inspect/${BIN}/a/rather/long/sub/path/that/might/overflow?with=a&long=query-string-value-that-goes-on`, {
      method: 'POST',
      body: JSON.stringify({ long: 'x'.repeat(300) }),
    });
    const page = await open(`/dashboard/inspector/${BIN}`, NARROW);
    await rows(page).first().waitFor();
    await rows(page).first().getByTestId('request-expand').click();
    await page.getByTestId('request-detail').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'inspector-bin-390');
    await page.goto(`${h.url}/dashboard/inspector`);
    await page.getByTestId('bin-row').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
  });
});
