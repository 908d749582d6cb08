/**
 * A run page's notification rows stay current even when a delivery changes while the page's
 * list is still loading. The ordering is forced, not hoped for: the run's callback is held at
 * the receiver, the page's list request is answered with what the server said while the
 * callback was in flight (pending), and only after the page has subscribed to the live stream
 * (proved by a probe delivery's message reaching the page) is the callback answered 410 and
 * its failure recorded. The row must then turn `failed`, with Retry, from the live message it
 * received before the list arrived.
 */
import type { ServerResponse } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { Receiver } from '../../server/test/helpers/receiver.js';
import { until } from '../../server/test/helpers/wait.js';
import { launchBrowser, signIn, startDashboardHookline, WIDE } from './browser.js';

describe('run notifications in Chromium, live while the list loads', () => {
  const receiver = new Receiver();
  const held: ServerResponse[] = [];
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    await receiver.start();
    // The callback is held; a probe endpoint's deliveries are answered at once.
    receiver.respond = (req, res) => void (req.path === '/callback' ? held.push(res) : res.writeHead(200).end('ok'));
    h = await startDashboardHookline('sqlite');
    expect((await h.call('POST', '/api/v1/crews', { id: 'live', name: 'Live' })).status).toBe(201);
    expect(
      (await h.call('POST', '/api/v1/agents', { id: 'caller', crew_id: 'live', name: 'caller', runner: 'command', runner_config: { command: '/bin/true' } }))
        .status,
    ).toBe(201);
    expect((await h.call('PUT', '/api/v1/agents/caller/callback', { url: `${receiver.url}/callback` })).status).toBe(200);
    expect((await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${receiver.url}/probe`, events: ['probe.*'] })).status).toBe(201);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const res of held) res.destroy();
    await context?.close();
    await browser?.close();
    await h?.close();
    await receiver.close();
  });

  const callbackStatus = async (runId: string) =>
    (await h.call('GET', `/api/v1/notifications?execution_id=${runId}&channel=callback`)).body.items[0]?.status as string | undefined;

  it('a callback that fails between the list query and its arrival shows as failed, with Retry', async () => {
    const run = (await h.call('POST', '/api/v1/agents/caller/runs', { prompt: 'go' })).body as { id: string };
    await receiver.waitFor(1); // the run ended and its callback is in flight, held here
    expect(await callbackStatus(run.id)).toBe('pending');

    context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(String(err.stack ?? err)));
    page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
    page.on(
      'response',
      (r) => r.status() === 401 && pageErrors.push(`401 ${r.request().method()} ${r.url()} ${r.request().headers()['cookie'] ? 'with cookie' : 'no cookie'}`),
    );
    // The page's delivery.* subscription is live on the server once a probe delivery's message
    // reaches the page: only then may the callback fail.
    let subscribed!: () => void;
    const subscribedToDeliveries = new Promise<void>((resolve) => (subscribed = resolve));
    let probing: Promise<unknown> | undefined;
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => {
        if (!probing && String(frame.payload).includes('"delivery.*"')) probing = h.call('POST', '/api/v1/events', { type: 'probe.sent', data: {} });
      });
      socket.on('framereceived', (frame) => String(frame.payload).includes('"delivery.succeeded"') && subscribed());
    });

    // Every list request made before the failure is recorded is answered with the server's
    // answer from before it (pending); the first one also sets the failure going.
    let staleAnswers = 0;
    /** How far the forced ordering got, for the failure message. */
    let stage = 'waiting for the list request';
    let failed: Promise<void> | undefined;
    await context.route(/\/api\/v1\/notifications\?.*execution_id=/, async (route) => {
      if (failed !== undefined) {
        await failed;
        return route.continue();
      }
      let recorded!: () => void;
      failed = new Promise<void>((resolve) => (recorded = resolve));
      const inFlight = await route.fetch();
      stage = 'list fetched, waiting for the probe message';
      await subscribedToDeliveries;
      held.shift()!.writeHead(410).end(); // now the callback fails for good
      stage = 'callback answered 410';
      await until('the callback recorded as failed', async () => ((await callbackStatus(run.id)) === 'failed' ? true : undefined), 20_000);
      stage = 'failure recorded, stale list answered';
      recorded();
      staleAnswers++;
      return route.fulfill({ response: inFlight });
    });

    await signIn(page, h.url, ADMIN_KEY, `/dashboard/runs/${run.id}`);
    const row = page.getByTestId('run-notifications').getByTestId('notification-row');
    // A generous bound: under a loaded CI machine the page, its socket and the probe take a while.
    await row
      .getByTestId('retry-button')
      .waitFor({ timeout: 20_000 })
      .catch(async (err: Error) => {
        const shown = (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 600);
        throw new Error(
          `no failed row with Retry (stage: ${stage}; stale answers ${staleAnswers}; callback held ${held.length}; the page shows: ${shown}; page errors: ${pageErrors.join(' | ').slice(0, 3000)}): ${err.message}`,
        );
      });
    expect(await row.getAttribute('data-status')).toBe('failed');
    // The list the page first got said pending: the row is failed only through the live update.
    expect(staleAnswers).toBe(1);
  });
});
