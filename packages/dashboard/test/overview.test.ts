/**
 * The Overview in real Chromium: the 24 h charts and totals come from real runs and deliveries,
 * a failing endpoint is listed first under "Needs attention", the queue shows a running run,
 * and a run that ends while the page is open updates the counts without a reload.
 */
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { createAgent, ScriptedRunner, triggerAndWait, until } from '../../server/test/helpers/notify.js';
import { Receiver } from '../../server/test/helpers/receiver.js';
import { launchBrowser, NARROW, pageWidth, shot, signedInPage, startDashboardHookline } from './browser.js';

describe('overview in Chromium', () => {
  const runner = new ScriptedRunner();
  let h: Harness;
  let browser: Browser;
  let ok: Receiver;
  let broken: Receiver;
  let secret: string;
  let failingEndpoint: string;

  const trigger = async (prompt: string) => {
    const body = JSON.stringify({ note: prompt });
    const sig = createHmac('sha256', secret).update(body).digest('hex');
    const res = await fetch(`${h.url}/api/v1/webhooks/ops/reporter/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sig },
      body,
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { run_id: string }).run_id;
  };

  beforeAll(async () => {
    ok = await new Receiver().start();
    broken = await new Receiver().start();
    broken.respond = (_req, res) => void res.writeHead(500).end('down for maintenance');
    h = await startDashboardHookline('sqlite', { runnerFor: () => runner });
    secret = await createAgent(h, 'reporter', { max_concurrent_runs: 2 });
    await triggerAndWait(h, 'reporter', secret, { note: 'case-ok' });
    await triggerAndWait(h, 'reporter', secret, { note: 'case-ok' });
    await triggerAndWait(h, 'reporter', secret, { note: 'case-failed' });

    expect((await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${ok.url}/hooks`, events: ['invoice.*'] })).status).toBe(201);
    const bad = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${broken.url}/hooks`, events: ['invoice.*'], retry_schedule: [] });
    expect(bad.status).toBe(201);
    failingEndpoint = bad.body.id;
    expect((await h.call('POST', '/api/v1/events', { type: 'invoice.paid', data: { amount: 42 } })).status).toBe(202);
    await until('one delivery each', async () => {
      const d = (await h.call('GET', '/api/v1/deliveries')).body.items as { status: string }[];
      return d.length === 2 && d.every((x) => x.status !== 'pending') ? d : undefined;
    });
    // One run that keeps running for the queue card.
    await trigger('case-hold');
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    const held = (await h?.call('GET', '/api/v1/runs?status=running'))?.body.items as { id: string }[] | undefined;
    for (const r of held ?? []) await h.call('POST', `/api/v1/runs/${r.id}/cancel`);
    await h?.close();
    await ok?.close();
    await broken?.close();
  });

  it('shows 24 h totals and charts, the failing endpoint first, the queue, and live updates', async () => {
    const { context, page } = await signedInPage(browser, h.url, ADMIN_KEY);
    const runs = page.getByTestId('overview-runs');
    await runs.waitFor();
    const count = (card: string, status: string) => page.locator(`[data-testid="${card}"] li[data-status="${status}"]`).getAttribute('data-count');
    expect(await count('overview-runs', 'completed')).toBe('2');
    expect(await count('overview-runs', 'failed')).toBe('1');
    expect(await count('overview-deliveries', 'failed')).toBe('1');
    expect(Number(await count('overview-deliveries', 'delivered'))).toBeGreaterThanOrEqual(1);
    // 24 hourly bars, each column with a title naming its counts.
    expect(await page.locator('[data-testid="chart-runs"] svg > g').count()).toBe(24);
    expect(await page.getByTestId('latency-percentiles').textContent()).toMatch(/p50 \d+ ms/);
    await expect.poll(() => page.getByTestId('queue-runs-running').textContent()).toBe('1');
    const first = page.getByTestId('attention-row').first();
    expect(await first.getAttribute('data-id')).toBe(failingEndpoint);
    expect(await first.textContent()).toContain(broken.url);
    await shot(page, 'overview-24h');

    // A run that ends while the page is open: the counts follow without a reload.
    await triggerAndWait(h, 'reporter', secret, { note: 'case-ok' });
    await expect.poll(() => count('overview-runs', 'completed'), { timeout: 15_000 }).toBe('3');

    // The attention row leads to the endpoint's page.
    await first.getByRole('link').click();
    await page.waitForURL(new RegExp(`/dashboard/endpoints/${failingEndpoint}$`));
    await context.close();
  });

  it('fits a 390 px screen', async () => {
    const { context, page } = await signedInPage(browser, h.url, ADMIN_KEY, '/dashboard/', NARROW);
    await page.getByTestId('overview-runs').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'overview-390');
    await context.close();
  });
});
