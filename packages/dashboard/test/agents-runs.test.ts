/**
 * The Agents and Runs pages in real Chromium against a real Hookline: agents by crew, an
 * agent's page whose signed curl example is executed for real (202) and whose run then appears
 * live, a webhook-secret rotation shown once, callback and notification rules edited in the
 * page, a running agent's log tailed live (the test's runner prints, then waits to be released),
 * cancel from a run's page, the runs list's filters and pages, and a read-only key at 390 px.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, RunOptions, RunOutcome } from '../../server/src/agents/runner.js';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { Receiver } from '../../server/test/helpers/receiver.js';
import { until } from '../../server/test/helpers/wait.js';
import { launchBrowser, NARROW, pageWidth, shot, signedInPage, startDashboardHookline, WIDE } from './browser.js';

const run = promisify(execFile);
/** Long enough that its live message is cut for size (7,000 bytes), so the page fetches it whole. */
const LONG_LINE = `long:${'x'.repeat(7500)}:end`;

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Ends runs as their prompt says: case-tail prints, waits for `release`, prints more; case-hold runs until cancelled. */
class TestRunner implements Runner {
  tailStarted = gate();
  release = gate();
  async run(ctx: { prompt: string }, o: RunOptions): Promise<RunOutcome> {
    const cancelled = new Promise<RunOutcome>((resolve) =>
      o.signal.addEventListener('abort', () => resolve({ status: 'cancelled', output: '', error: 'cancelled', exitCode: null, usage: {} }), { once: true }),
    );
    if (ctx.prompt.includes('case-hold')) return cancelled;
    if (ctx.prompt.includes('case-failed')) return { status: 'failed', output: '', error: 'Tool call failed: HTTP 500 from API', exitCode: 1, usage: {} };
    if (ctx.prompt.includes('case-tail')) {
      o.onLog('stdout', 'tail line 1');
      o.onLog('stderr', 'tail warning 2');
      for (let i = 3; i <= 40; i++) o.onLog('stdout', `filler ${i}`);
      this.tailStarted.open();
      const early = await Promise.race([this.release.opened.then(() => null), cancelled]);
      if (early) return early;
      o.onLog('stdout', 'tail line 41');
      o.onLog('stdout', LONG_LINE);
      return { status: 'completed', output: 'tail done', error: null, exitCode: 0, usage: { tokens_used: 42 } };
    }
    return { status: 'completed', output: 'all good', error: null, exitCode: 0, usage: {} };
  }
}

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

describe('agents and runs pages in Chromium', () => {
  const runner = new TestRunner();
  const receiver = new Receiver();
  const secrets: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  let h: Harness;
  let browser: Browser;
  let readKey: string;
  let callbackStatus = 410;

  const open = async (path: string, key = ADMIN_KEY, viewport = WIDE): Promise<Page> => {
    const { context, page } = await signedInPage(browser, h.url, key, `/dashboard${path}`, viewport);
    contexts.push(context);
    return page;
  };
  const agent = async (id: string, crew: string, extra: Record<string, unknown> = {}) => {
    const a = await h.call('POST', '/api/v1/agents', {
      id,
      crew_id: crew,
      name: `${id} agent`,
      runner: 'command',
      runner_config: { command: '/bin/true', env: { TOKEN: 'env-secret-value' } },
      model: 'gpt-4.1',
      ...extra,
    });
    expect(a.status).toBe(201);
    secrets[id] = a.body.webhook_secret;
  };
  const startRun = async (agentId: string, prompt: string) => (await h.call('POST', `/api/v1/agents/${agentId}/runs`, { prompt })).body as { id: string };
  const runStatus = async (id: string) => (await h.call('GET', `/api/v1/runs/${id}`)).body.status as string;

  beforeAll(async () => {
    await receiver.start();
    receiver.respond = (_req, res) => void res.writeHead(callbackStatus).end();
    h = await startDashboardHookline('sqlite', { runnerFor: () => runner });
    await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Ops Team' });
    await h.call('POST', '/api/v1/crews', { id: 'research', name: 'Research' });
    await h.call('POST', '/api/v1/crews', { id: 'idle', name: 'Idle Crew' });
    await agent('reporter', 'ops');
    await agent('tailer', 'ops');
    await agent('holder', 'ops', { max_concurrent_runs: 5 });
    await agent('scout', 'research');
    expect((await h.call('PUT', '/api/v1/agents/tailer/callback', { url: `${receiver.url}/tailer` })).status).toBe(200);
    readKey = (await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key;
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    runner.release.open();
    for (const c of contexts) await c.close();
    await browser?.close();
    await h?.close();
    await receiver.close();
  });

  it('lists agents by crew, and explains how to add one when there are none', async () => {
    const empty = await startDashboardHookline('sqlite');
    try {
      const { context, page } = await signedInPage(browser, empty.url, ADMIN_KEY, '/dashboard/agents');
      const state = page.getByTestId('empty-state');
      await state.waitFor();
      expect(await state.textContent()).toMatch(/AGENT\.md.*docs\/agent-files\.md.*POST \/api\/v1\/agents/s);
      await context.close();
    } finally {
      await empty.close();
    }

    const page = await open('/agents');
    const ops = page.locator('[data-testid="crew-group"][data-crew="ops"]');
    await ops.waitFor();
    expect(await ops.locator('h2').textContent()).toContain('Ops Team');
    expect(await ops.getByTestId('agent-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(['holder', 'reporter', 'tailer']);
    const research = page.locator('[data-testid="crew-group"][data-crew="research"]');
    expect(await research.getByTestId('agent-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(['scout']);
    expect(await research.getByTestId('agent-runner').textContent()).toBe('command');
    await expect.poll(() => page.getByTestId('empty-crews').textContent()).toContain('Idle Crew');
    await shot(page, 'agents-list');
    await page.setViewportSize(NARROW);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await research.getByTestId('agent-link').click();
    await page.waitForURL(/\/dashboard\/agents\/scout$/);
    await page.getByTestId('agent-settings').waitFor();
  });

  it('agent page: its signed curl example runs as pasted (202) and the run appears live in Recent runs', async () => {
    const page = await open('/agents/reporter');
    const curl = (await page.getByTestId('curl-example').textContent())!;
    expect(curl).toContain(`'${h.url}/api/v1/webhooks/ops/reporter/trigger'`);
    expect(curl).not.toContain(secrets.reporter);
    // No secret material anywhere on the page, including runner env values.
    const html = await page.content();
    expect(html).not.toContain(secrets.reporter);
    expect(html).not.toContain('env-secret-value');
    expect(await page.getByTestId('agent-settings').textContent()).toContain('TOKEN=********');
    await page
      .getByTestId('agent-runs')
      .getByTestId('live-status')
      .filter({ hasText: /^live$/ })
      .waitFor();

    // Without the variable the example stops and says what to set.
    const unset = await run('bash', ['-c', curl], { env: { PATH: process.env.PATH } }).catch((e: { code: number; stderr: string }) => e);
    expect(unset.code).not.toBe(0);
    expect(unset.stderr).toContain('set HOOKLINE_WEBHOOK_SECRET');

    const { stdout } = await run('bash', ['-c', curl], { env: { PATH: process.env.PATH, HOOKLINE_WEBHOOK_SECRET: secrets.reporter } });
    expect(stdout.trim().split('\n').pop()).toBe('HTTP 202');
    const runId = JSON.parse(stdout.trim().split('\n')[0]!).run_id as string;
    const row = page.getByTestId('agent-runs').locator(`[data-testid="run-row"][data-id="${runId}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('completed');
    expect(await row.textContent()).toContain('inbound');
    await shot(page, 'agent-detail');
    await row.getByTestId('run-link').click();
    await page.waitForURL(new RegExp(`/dashboard/runs/${runId}$`));
    expect(await page.getByTestId('run-prompt').textContent()).toContain('hello from the dashboard example');
  });

  it('rotating the webhook secret shows the new one once; the old one then gets 401', async () => {
    const page = await open('/agents/scout');
    await page.getByTestId('rotate-webhook-secret').click();
    await page.getByTestId('rotate-webhook-secret-yes').click();
    const fresh = (await page.getByTestId('secret-value').textContent())!;
    expect(fresh).toMatch(/^hltr_/);
    expect(fresh).not.toBe(secrets.scout);
    await page.reload();
    await page.getByTestId('curl-example').waitFor();
    expect(await page.getByTestId('secret-once').count()).toBe(0);
    expect(await page.content()).not.toContain(fresh);

    const body = '{"event":"old.secret"}';
    const old = await fetch(`${h.url}/api/v1/webhooks/research/scout/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sign(secrets.scout!, body) },
      body,
    });
    expect(old.status).toBe(401);
    const curl = (await page.getByTestId('curl-example').textContent())!;
    const { stdout } = await run('bash', ['-c', curl], { env: { PATH: process.env.PATH, HOOKLINE_WEBHOOK_SECRET: fresh } });
    expect(stdout.trim().split('\n').pop()).toBe('HTTP 202');
    secrets.scout = fresh;
  });

  it('callback and notification rules are edited on the agent page; secrets shown once, headers masked, the API refusal shown', async () => {
    const page = await open('/agents/scout');
    const cb = page.getByTestId('agent-callback');
    await cb.getByTestId('callback-none').waitFor();
    await cb.getByTestId('callback-edit').click();
    await cb.getByTestId('callback-url-input').fill(`${receiver.url}/scout`);
    await cb.getByTestId('callback-headers-input').fill('Authorization: Bearer t0ken-value');
    await cb.getByTestId('callback-save').click();
    expect(await cb.getByTestId('secret-value').textContent()).toMatch(/^hlcb_/);
    expect(await cb.getByTestId('callback-headers').textContent()).toBe('authorization: ********');
    expect(await page.content()).not.toContain('t0ken-value');

    const rules = page.getByTestId('agent-rules');
    await rules.getByTestId('rules-defaults').waitFor();
    await rules.getByTestId('rules-edit').click();
    await rules.getByTestId('rules-json').fill('{"on_finish": []}');
    await rules.getByTestId('rules-save').click();
    await expect
      .poll(() => rules.getByTestId('error-banner').textContent())
      .toContain('body.notifications.on_finish: unknown field "on_finish"; the fields here are on_complete, on_error, on_timeout');
    await rules.getByTestId('rules-json').fill('{"on_error": [{"channel": "slack", "target": "#alerts"}]}');
    await rules.getByTestId('rules-save').click();
    await expect.poll(() => rules.getByTestId('rules-view').locator('[data-event="on_error"]').textContent()).toContain('slack → #alerts');
    expect((await h.call('GET', '/api/v1/agents/scout')).body.notifications).toEqual({ on_error: [{ channel: 'slack', target: '#alerts' }] });
    await rules.getByTestId('rules-restore').click();
    await rules.getByTestId('rules-restore-yes').click();
    await rules.getByTestId('rules-defaults').waitFor();
    expect((await h.call('GET', '/api/v1/agents/scout')).body.notifications).toBeNull();
  });

  it("tails a running agent's log live, then shows it completed with the notification it caused (Retry works)", async () => {
    callbackStatus = 410; // the callback fails for good at once, to be retried from the page
    const { id } = await startRun('tailer', 'case-tail');
    await runner.tailStarted.opened;
    await until('the first lines stored', async () => ((await h.call('GET', `/api/v1/runs/${id}/logs`)).body.items.length === 40 ? true : undefined));
    const page = await open(`/runs/${id}`);
    const lines = page.getByTestId('log-line');
    const log = page.getByTestId('run-log');
    const fromBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await expect.poll(() => lines.count()).toBe(40);
    expect((await lines.allTextContents()).slice(0, 3)).toEqual(['tail line 1', 'stderrtail warning 2', 'filler 3']);
    await expect.poll(fromBottom).toBeLessThanOrEqual(16); // follows the newest line
    const stderr = page.locator('[data-testid="log-line"][data-stream="stderr"]');
    expect(await stderr.getAttribute('class')).toContain('log-line-stderr');
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('running');
    await page
      .getByTestId('live-status')
      .filter({ hasText: /^live$/ })
      .waitFor();
    await shot(page, 'run-detail-running');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // Scrolled up to read: new lines must not pull the view down.
    await log.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => log.getAttribute('data-following')).toBe('false');

    runner.release.open();
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBe(42);
    expect(await lines.nth(40).textContent()).toBe('tail line 41');
    expect(await lines.nth(41).textContent()).toBe(LONG_LINE);
    expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
    await page.getByTestId('run-log-jump').click();
    await expect.poll(fromBottom).toBeLessThanOrEqual(16);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('run-output').textContent()).toBe('tail done');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    const notification = page.getByTestId('run-notifications').getByTestId('notification-row');
    await notification.getByTestId('retry-button').waitFor({ timeout: 10_000 });
    expect(await notification.getAttribute('data-status')).toBe('failed');
    expect(await notification.textContent()).toContain('callback');
    await shot(page, 'run-detail-log');
    callbackStatus = 200;
    await notification.getByTestId('retry-button').click();
    await expect.poll(() => notification.getAttribute('data-status'), { timeout: 15_000 }).toBe('delivered');
    expect(receiver.received.filter((r) => r.path === '/tailer' && r.body.includes(id))).toHaveLength(2);

    await page.setViewportSize(NARROW);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'run-detail-390');
  });

  it('cancels a held run from its page', async () => {
    const { id } = await startRun('holder', 'case-hold');
    await until('the held run to start', async () => ((await runStatus(id)) === 'running' ? true : undefined));
    const page = await open(`/runs/${id}`);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status')).toBe('running');
    await page.getByTestId('run-cancel').click();
    await page.getByTestId('run-cancel-cancel').click(); // asked first; keeping it changes nothing
    expect(await runStatus(id)).toBe('running');
    await page.getByTestId('run-cancel').click();
    await page.getByTestId('run-cancel-yes').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status')).toBe('cancelled');
    expect(await runStatus(id)).toBe('cancelled');
    expect(await page.getByTestId('run-cancel').count()).toBe(0);
  });

  it('runs list: status filter in the URL, pages, and new runs appearing live on the first page', async () => {
    const report = (status: string) =>
      h.call('POST', '/api/v1/runs/report', { agent_id: 'reporter', status, ...(status === 'failed' ? { error: 'boom' } : { output: 'ok' }) });
    for (let i = 0; i < 12; i++) expect((await report(i % 4 === 0 ? 'failed' : 'completed')).status).toBe(201);
    const total = (await h.call('GET', '/api/v1/runs?agent_id=reporter&limit=1')).body.total as number;
    const failed = (await h.call('GET', '/api/v1/runs?agent_id=reporter&status=failed&limit=1')).body.total as number;
    expect(total).toBeGreaterThan(10);
    expect(failed).toBe(3);

    const page = await open('/runs?agent_id=reporter&limit=10');
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBe(10);
    expect(await page.getByTestId('page-range').textContent()).toBe(`1–10 of ${total}`);
    const firstPage = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id')));
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.waitForURL(/offset=10/);
    await expect.poll(() => rows.count()).toBe(total - 10);
    const secondPage = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id')));
    expect(secondPage.some((id) => firstPage.includes(id))).toBe(false);

    await page.getByTestId('runs-filter-status').selectOption('failed');
    await page.waitForURL((u) => u.searchParams.get('status') === 'failed' && !u.searchParams.has('offset'));
    const statuses = () => rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')));
    await expect.poll(statuses).toEqual(Array(failed).fill('failed'));
    await page
      .getByTestId('live-status')
      .filter({ hasText: /^live$/ })
      .waitFor();
    const fresh = (await report('failed')).body.id as string;
    await page.locator(`[data-testid="run-row"][data-id="${fresh}"]`).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(failed + 1);
    await shot(page, 'runs-list');

    await page.goto(`${h.url}/dashboard/runs?since=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`);
    expect(await page.getByTestId('empty-state').textContent()).toContain('No runs match these filters');
    await page.setViewportSize(NARROW);
    await page.goto(`${h.url}/dashboard/runs`);
    await rows.first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
  });

  it('a read-only key sees everything but cannot rotate, save or cancel (390 px wide)', async () => {
    const page = await open('/agents/scout', readKey, NARROW);
    await page.getByTestId('read-only-note').waitFor();
    await page.getByTestId('curl-example').waitFor();
    expect(await page.getByTestId('rotate-webhook-secret').isDisabled()).toBe(true);
    expect(await page.getByTestId('callback-rotate').isDisabled()).toBe(true);
    expect(await page.getByTestId('callback-edit').isDisabled()).toBe(true);
    expect(await page.getByTestId('rules-edit').isDisabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'agent-detail-read-only-390');

    const { id } = await startRun('holder', 'case-hold');
    await until('the held run to start', async () => ((await runStatus(id)) === 'running' ? true : undefined));
    await page.goto(`${h.url}/dashboard/runs/${id}`);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status')).toBe('running');
    expect(await page.getByTestId('run-cancel').isDisabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    expect((await h.call('POST', `/api/v1/runs/${id}/cancel`)).status).toBe(200);
  });
});
