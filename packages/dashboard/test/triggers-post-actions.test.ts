/**
 * The Triggers and Post-actions pages in real Chromium against a real Hookline: a
 * post-action built in the builder with a live server-rendered preview and inline template
 * errors, a schedule created in the page and bound to it (fire on success, body override),
 * "Run now" delivering exactly the rendered override to a local receiver and the run history
 * showing it; a named webhook trigger whose once-shown secret really signs; enable, disable and
 * delete; and a read-only key at 390 px that sees everything and can change nothing.
 */
import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness } from '../../server/test/helpers/hookline.js';
import { createAgent, ScriptedRunner } from '../../server/test/helpers/notify.js';
import { Receiver } from '../../server/test/helpers/receiver.js';
import { launchBrowser, NARROW, pageWidth, shot, signedInPage, startDashboardHookline, WIDE } from './browser.js';

const TOKEN = 'bearer-token-never-shown';
const BODY = '{"text": "{{ trigger_name }} finished: {{ status }}", "run": "{{ run_id }}"}';
const BROKEN = '{"text": "ok",\n "run": "{{ run_id "}';
const OVERRIDE = '{"override": "{{ trigger_name }}/{{ status }}/{{ run_id }}"}';

describe('triggers and post-actions pages in Chromium', () => {
  const runner = new ScriptedRunner();
  const receiver = new Receiver();
  const contexts: BrowserContext[] = [];
  let h: Harness;
  let browser: Browser;
  let readKey: string;
  let postActionId = '';
  let scheduleId = '';
  let webhookId = '';
  let scheduledRunId = '';

  const open = async (path: string, key = ADMIN_KEY, viewport = WIDE): Promise<Page> => {
    const { context, page } = await signedInPage(browser, h.url, key, `/dashboard${path}`, viewport);
    contexts.push(context);
    return page;
  };
  const preview = async (body: Record<string, unknown>) => (await h.call('POST', '/api/v1/post-actions/preview', body)).body;
  const disabled = async (l: Locator) => {
    await l.first().waitFor();
    const all = await l.all();
    for (const one of all) expect(await one.isDisabled(), await one.evaluate((e) => e.outerHTML.slice(0, 120))).toBe(true);
    return all.length;
  };

  beforeAll(async () => {
    await receiver.start();
    h = await startDashboardHookline('sqlite', { runnerFor: () => runner });
    await createAgent(h, 'reporter');
    readKey = (await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key;
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await h?.close();
    await receiver.close();
  });

  it('builds a post-action: the preview renders the sample, a broken template shows its line and column inline, fixing it clears it', async () => {
    const page = await open('/post-actions');
    const empty = page.getByTestId('empty-state');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('A post-action is a reusable HTTP request');
    await shot(page, 'post-actions-empty');
    await empty.getByRole('link', { name: 'Build your first post-action' }).click();
    await page.waitForURL(/\/dashboard\/post-actions\/new$/);

    await page.getByTestId('pa-name').fill('Receiver: schedule results');
    await page.getByTestId('pa-url').fill(`${receiver.url}/hook/{{ run_id }}`);
    await page.getByTestId('header-add').click();
    await page.getByTestId('header-name').nth(1).fill('X-Run');
    await page.getByTestId('header-value').nth(1).fill('run={{ run_id }}');
    await page.getByTestId('pa-body').fill(BODY);
    await page.getByTestId('auth-type').selectOption('bearer');
    await page.getByTestId('auth-token').fill(TOKEN);
    await page.getByTestId('pa-timeout').fill('10');
    await page.getByTestId('pa-retry').fill('2');

    // What the server renders for the sample is what the panel must show, byte for byte.
    const sample = await preview({ url: `${receiver.url}/hook/{{ run_id }}`, body_template: BODY });
    expect(sample.errors).toEqual([]);
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toBe(sample.body);
    expect(sample.body).toContain(String(sample.variables.run_id));
    expect(await page.getByTestId('preview-url').textContent()).toBe(`POST ${sample.url}`);
    expect(await page.getByTestId('preview-headers').textContent()).toContain(`X-Run: run=${sample.variables.run_id}`);
    await page.getByTestId('preview-variables').locator('summary').click();
    expect(await page.getByTestId('preview-variables').textContent()).toContain('trigger_name');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'post-actions-builder-preview');

    // A template that never closes: the error sits under the body field with the API's line and column.
    const bad = await preview({ body_template: BROKEN });
    expect(bad.errors).toHaveLength(1);
    const { line, column } = bad.errors[0];
    expect(line).toBe(2);
    await page.getByTestId('pa-body').fill(BROKEN);
    const error = page.getByTestId('pa-body-error');
    await error.waitFor();
    expect(await error.getAttribute('data-line')).toBe(String(line));
    expect(await error.getAttribute('data-column')).toBe(String(column));
    expect(await error.textContent()).toContain(`Line ${line}, column ${column}:`);
    expect(await page.getByTestId('pa-body').getAttribute('aria-invalid')).toBe('true');
    // The other fields still render while the body is broken.
    expect(await page.getByTestId('preview-url').textContent()).toBe(`POST ${sample.url}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'post-actions-builder-error');
    await error.getByRole('button', { name: /Go to line/ }).click();
    const caret = await page.getByTestId('pa-body').evaluate((el) => (el as HTMLTextAreaElement).selectionStart);
    expect(caret).toBe(BROKEN.indexOf('\n') + 1 + column - 1);

    await page.getByTestId('pa-body').fill(BODY);
    await expect.poll(() => error.count()).toBe(0);
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toBe(sample.body);
    expect(await page.getByTestId('pa-body').getAttribute('aria-invalid')).toBe('false');

    await page.getByTestId('pa-save').click();
    await page.waitForURL(/\/dashboard\/post-actions\/pa_[^/]+$/);
    postActionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const saved = (await h.call('GET', `/api/v1/post-actions/${postActionId}`)).body;
    expect(saved).toMatchObject({
      name: 'Receiver: schedule results',
      method: 'POST',
      body_template: BODY,
      timeout_seconds: 10,
      retry_count: 2,
      enabled: true,
      auth: { type: 'bearer' },
    });
    expect(Object.keys(saved.headers)).toEqual(['Content-Type', 'X-Run']);
    await page.getByTestId('pa-config').waitFor();
    expect(await page.content()).not.toContain(TOKEN);
  });

  it("the builder at 390 px: the API's refusal shows at the top; stored header values must be retyped only when the header set changes", async () => {
    const page = await open(`/post-actions/${postActionId}/edit`, ADMIN_KEY, NARROW);
    await page.getByTestId('pa-body').waitFor();
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toContain('finished:');
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'post-actions-builder-390');
    await page.getByTestId('pa-timeout').fill('301');
    await page.getByTestId('pa-save').click();
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toContain('timeout_seconds must be 1–300 (default 30); got 301');
    expect((await h.call('GET', `/api/v1/post-actions/${postActionId}`)).body.timeout_seconds).toBe(10);

    // Adding a header replaces the whole set, so the two stored (hidden) values must be typed again.
    await page.getByTestId('pa-timeout').fill('10');
    await page.getByTestId('header-add').click();
    await page.getByTestId('header-name').nth(2).fill('X-Extra');
    await page.getByTestId('header-value').nth(2).fill('extra');
    await page.getByTestId('pa-save').click();
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toContain('type the value of "Content-Type", "X-Run" again');
    expect(await page.getByTestId('header-value').nth(0).getAttribute('aria-invalid')).toBe('true');
    expect(Object.keys((await h.call('GET', `/api/v1/post-actions/${postActionId}`)).body.headers)).toEqual(['Content-Type', 'X-Run']);
    await page.getByTestId('header-value').nth(0).fill('application/json');
    await page.getByTestId('header-value').nth(1).fill('run={{ run_id }}');
    await page.getByTestId('pa-save').click();
    await page.waitForURL(new RegExp(`/dashboard/post-actions/${postActionId}$`));
    expect(Object.keys((await h.call('GET', `/api/v1/post-actions/${postActionId}`)).body.headers)).toEqual(['Content-Type', 'X-Run', 'X-Extra']);

    // A change elsewhere leaves the blank header and token boxes out of the PATCH: the stored
    // values stay (the delivery below carries them).
    await page.getByTestId('pa-edit').click();
    await page.getByTestId('pa-retry').fill('1');
    await page.getByTestId('pa-save').click();
    await page.waitForURL(new RegExp(`/dashboard/post-actions/${postActionId}$`));
    expect((await h.call('GET', `/api/v1/post-actions/${postActionId}`)).body).toMatchObject({ retry_count: 1, auth: { type: 'bearer' } });
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
  });

  it('a schedule created in the page, bound on success with a body override; Run now delivers exactly the rendered override', async () => {
    const page = await open('/triggers');
    await page.getByTestId('schedule-new').click();
    await page.getByTestId('schedule-new-agent').selectOption('reporter');
    await page.getByTestId('schedule-new-name').fill('nightly');
    await page.getByTestId('schedule-new-cron').fill('every night');
    await page.getByTestId('schedule-new-prompt').fill('case-ok');
    await page.getByTestId('schedule-new-save').click();
    const invalid = await h.call('POST', '/api/v1/schedules', { agent_id: 'reporter', name: 'x', cron: 'every night' });
    expect(invalid.status).toBe(422);
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toBe(invalid.body.error.message);
    await page.getByTestId('schedule-new-cron').fill('0 3 * * *');
    await page.getByTestId('schedule-new-save').click();
    await page.waitForURL(/\/dashboard\/triggers\/schedules\/sch_/);
    scheduleId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByTestId('schedule-config').waitFor();

    const section = page.getByTestId('post-action-bindings');
    await section.getByTestId('empty-state').waitFor();
    await section.getByTestId('binding-add').click();
    await section.getByTestId('binding-post-action').selectOption(postActionId);
    await section.getByTestId('binding-fire-success').check();
    await section.getByTestId('binding-override-on').check();
    await section.getByTestId('binding-body').fill(OVERRIDE);
    const sample = await preview({ body_template: OVERRIDE });
    await expect.poll(() => section.getByTestId('binding-preview-body').textContent()).toBe(sample.body);
    await section.getByTestId('binding-save').click();
    const row = section.getByTestId('binding-row');
    await row.waitFor();
    expect(await row.getAttribute('data-fire-when')).toBe('success');
    expect(await row.getByTestId('binding-override').textContent()).toBe(OVERRIDE);
    const bindings = (await h.call('GET', `/api/v1/triggers/schedule/${scheduleId}/post-actions`)).body.items;
    expect(bindings).toHaveLength(1);
    expect(bindings[0]).toMatchObject({
      post_action_id: postActionId,
      trigger_type: 'schedule',
      trigger_id: scheduleId,
      fire_when: 'success',
      body_override: OVERRIDE,
      enabled: true,
    });

    await page.getByTestId('schedule-run-now').click();
    const started = page.getByTestId('schedule-started');
    await started.waitFor();
    const runId = (await started.getByRole('link').textContent())!;
    expect(runId).toMatch(/^run_/);
    await expect
      .poll(() => page.locator(`[data-testid="trigger-run-row"][data-id="${runId}"]`).getAttribute('data-status'), { timeout: 15_000 })
      .toBe('completed');
    await shot(page, 'triggers-schedule-detail');

    const history = await open(`/post-actions/${postActionId}`);
    const delivery = history.locator('[data-testid="pa-run-row"]').first();
    await expect.poll(() => delivery.getAttribute('data-status'), { timeout: 20_000 }).toBe('success');
    expect(await delivery.getAttribute('data-http')).toBe('200');
    expect(await delivery.textContent()).toContain(`POST ${receiver.url}/hook/${runId}`);
    expect(await delivery.getByRole('link', { name: runId }).count()).toBe(1);
    expect(await history.getByTestId('pa-binding-row').getByTestId('trigger-link').textContent()).toBe('nightly');
    expect(await history.content()).not.toContain(TOKEN);
    await shot(history, 'post-actions-detail');

    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.body).toBe(`{"override": "nightly/success/${runId}"}`);
    expect(got.path).toBe(`/hook/${runId}`);
    expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(got.headers['x-run']).toBe(`run=${runId}`);
    expect(got.headers['x-extra']).toBe('extra');
    scheduledRunId = runId;
  });

  it("edits, disables and removes a binding from the trigger's page", async () => {
    const page = await open(`/triggers/schedules/${scheduleId}`);
    const section = page.getByTestId('post-action-bindings');
    const row = section.getByTestId('binding-row');
    await row.waitFor();
    await row.getByTestId('binding-edit').click();
    await section.getByTestId('binding-fire-failure').check();
    await section.getByTestId('binding-override-on').uncheck();
    await section.getByTestId('binding-save').click();
    await expect.poll(() => row.getAttribute('data-fire-when')).toBe('failure');
    let b = (await h.call('GET', `/api/v1/triggers/schedule/${scheduleId}/post-actions`)).body.items[0];
    expect(b).toMatchObject({ fire_when: 'failure', body_override: null });

    await row.getByTestId('binding-toggle').click();
    await expect.poll(() => row.getAttribute('data-enabled')).toBe('false');
    b = (await h.call('GET', `/api/v1/triggers/schedule/${scheduleId}/post-actions`)).body.items[0];
    expect(b.enabled).toBe(false);
    await row.getByTestId('binding-toggle').click();
    await expect.poll(() => row.getAttribute('data-enabled')).toBe('true');

    await row.getByTestId('binding-remove').click();
    await row.getByTestId('binding-remove-yes').click();
    await section.getByTestId('empty-state').waitFor();
    expect((await h.call('GET', `/api/v1/triggers/schedule/${scheduleId}/post-actions`)).body.total).toBe(0);
    // Bound again for the screenshots and the read-only checks below.
    expect(
      (await h.call('POST', `/api/v1/post-actions/${postActionId}/bindings`, { trigger_type: 'schedule', trigger_id: scheduleId, fire_when: 'any' })).status,
    ).toBe(201);
  });

  it('a webhook trigger: its secret is shown once and really signs; rotating shows a new one', async () => {
    const page = await open('/triggers');
    await page.getByTestId('webhook-new').click();
    await page.getByTestId('webhook-new-agent').selectOption('reporter');
    await page.getByTestId('webhook-new-name').fill('Bad Name');
    await page.getByTestId('webhook-new-save').click();
    const refused = await h.call('POST', '/api/v1/agents/reporter/webhook-triggers', { name: 'Bad Name' });
    expect(refused.status).toBe(422);
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toBe(refused.body.error.message);
    await page.getByTestId('webhook-new-name').fill('github');
    await page.getByTestId('webhook-new-scheme').selectOption('github');
    await page.getByTestId('webhook-new-save').click();
    const secret = (await page.getByTestId('secret-value').textContent())!;
    expect(secret).toMatch(/^hltr_/);
    const row = page.locator('[data-testid="webhook-row"]').first();
    await row.waitFor();
    webhookId = (await row.getAttribute('data-id'))!;
    expect(JSON.stringify((await h.call('GET', `/api/v1/webhook-triggers/${webhookId}`)).body)).not.toContain(secret);

    const body = JSON.stringify({ note: 'case-ok' });
    const res = await fetch(`${h.url}/api/v1/webhooks/ops/reporter/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        'x-github-event': 'push',
      },
      body,
    });
    expect(res.status).toBe(202);
    const { run_id: runId } = (await res.json()) as { run_id: string };
    await page.getByTestId('secret-done').click();
    expect(await page.getByTestId('secret-once').count()).toBe(0);

    await row.getByTestId('webhook-link').click();
    await page.waitForURL(/\/dashboard\/triggers\/webhooks\/wht_/);
    await expect
      .poll(() => page.locator(`[data-testid="trigger-run-row"][data-id="${runId}"]`).getAttribute('data-status'), { timeout: 15_000 })
      .toBe('completed');
    expect(await page.getByTestId('webhook-url').textContent()).toBe(`POST ${h.url}/api/v1/webhooks/ops/reporter/github`);
    await page.getByTestId('webhook-rotate').click();
    await page.getByTestId('webhook-rotate-yes').click();
    const rotated = (await page.getByTestId('secret-value').textContent())!;
    expect(rotated).toMatch(/^hltr_/);
    expect(rotated).not.toBe(secret);
    const section = page.getByTestId('post-action-bindings');
    await section.getByTestId('binding-add').click();
    await section.getByTestId('binding-post-action').selectOption(postActionId);
    await section.getByTestId('binding-save').click();
    await section.getByTestId('binding-row').waitFor();
    expect((await h.call('GET', `/api/v1/triggers/webhook/${webhookId}/post-actions`)).body.items[0].fire_when).toBe('any');
    await page.getByTestId('secret-done').click();
    await shot(page, 'triggers-webhook-detail');
  });

  it('lists triggers with next and last fire; enable/disable from the lists; delete a post-action', async () => {
    const page = await open('/triggers');
    const schedule = page.locator(`[data-testid="schedule-row"][data-id="${scheduleId}"]`);
    await schedule.waitFor();
    expect(await schedule.textContent()).toContain('0 3 * * *');
    const webhook = page.locator(`[data-testid="webhook-row"][data-id="${webhookId}"]`);
    await expect.poll(() => webhook.getByRole('link', { name: /^run_/ }).count()).toBe(1);
    await shot(page, 'triggers-list');
    await schedule.getByTestId('schedule-toggle').click();
    await expect.poll(() => schedule.getAttribute('data-enabled')).toBe('false');
    expect((await h.call('GET', `/api/v1/schedules/${scheduleId}`)).body).toMatchObject({ enabled: false, next_run_at: null });
    await schedule.getByTestId('schedule-toggle').click();
    await expect.poll(() => schedule.getAttribute('data-enabled')).toBe('true');
    await webhook.getByTestId('webhook-toggle').click();
    await expect.poll(() => webhook.getAttribute('data-enabled')).toBe('false');
    expect((await h.call('GET', `/api/v1/webhook-triggers/${webhookId}`)).body.enabled).toBe(false);
    await webhook.getByTestId('webhook-toggle').click();
    await expect.poll(() => webhook.getAttribute('data-enabled')).toBe('true');

    const throwaway = (await h.call('POST', '/api/v1/post-actions', { name: 'Throwaway', method: 'GET', url: `${receiver.url}/x` })).body;
    const list = await open('/post-actions');
    const mine = list.locator(`[data-testid="post-action-row"][data-id="${postActionId}"]`);
    await mine.waitFor();
    await expect.poll(() => mine.textContent()).toContain('HTTP 200');
    await mine.getByTestId('post-action-toggle').click();
    await expect.poll(() => mine.getAttribute('data-enabled')).toBe('false');
    expect((await h.call('GET', `/api/v1/post-actions/${postActionId}`)).body.enabled).toBe(false);
    await mine.getByTestId('post-action-toggle').click();
    await expect.poll(() => mine.getAttribute('data-enabled')).toBe('true');
    await shot(list, 'post-actions-list');

    const gone = list.locator(`[data-testid="post-action-row"][data-id="${throwaway.id}"]`);
    await gone.getByTestId('post-action-delete').click();
    await gone.getByTestId('post-action-delete-yes').click();
    await expect.poll(() => gone.count()).toBe(0);
    expect((await h.call('GET', `/api/v1/post-actions/${throwaway.id}`)).status).toBe(404);
  });

  it('a read-only key sees every page at 390 px, and every control that changes something is disabled', async () => {
    const page = await open('/triggers', readKey, NARROW);
    await page.getByTestId('read-only-note').waitFor();
    await page.getByTestId('schedule-row').first().waitFor();
    await disabled(page.getByTestId('schedule-new'));
    await disabled(page.getByTestId('webhook-new'));
    await disabled(page.getByTestId('schedule-run-now'));
    await disabled(page.getByTestId('schedule-toggle'));
    await disabled(page.getByTestId('webhook-toggle'));
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'triggers-list-read-only-390');

    await page.goto(`${h.url}/dashboard/triggers/schedules/${scheduleId}`);
    await page.getByTestId('binding-row').waitFor();
    for (const id of [
      'schedule-run-now',
      'schedule-toggle',
      'schedule-edit',
      'schedule-delete',
      'binding-add',
      'binding-edit',
      'binding-toggle',
      'binding-remove',
    ])
      await disabled(page.getByTestId(id));
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'triggers-schedule-detail-read-only-390');

    await page.goto(`${h.url}/dashboard/triggers/webhooks/${webhookId}`);
    await page.getByTestId('binding-row').waitFor();
    for (const id of ['webhook-toggle', 'webhook-edit', 'webhook-rotate', 'webhook-delete', 'binding-add', 'binding-edit', 'binding-toggle', 'binding-remove'])
      await disabled(page.getByTestId(id));
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);

    await page.goto(`${h.url}/dashboard/post-actions`);
    await page.getByTestId('post-action-row').first().waitFor();
    for (const id of ['post-action-new', 'post-action-toggle', 'post-action-delete']) await disabled(page.getByTestId(id));
    await disabled(page.getByRole('button', { name: 'Edit' }));
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);

    await page.goto(`${h.url}/dashboard/post-actions/${postActionId}`);
    await page.locator('[data-testid="pa-run-row"][data-status="success"]').first().waitFor();
    for (const id of ['pa-edit', 'pa-toggle', 'pa-delete']) await disabled(page.getByTestId(id));
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'post-actions-detail-read-only-390');

    // The builder still previews (rendering changes nothing), but nothing in it can be saved.
    await page.goto(`${h.url}/dashboard/post-actions/${postActionId}/edit`);
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toContain('finished:');
    for (const id of ['pa-name', 'pa-url', 'pa-body', 'pa-save', 'header-add', 'auth-type']) await disabled(page.getByTestId(id));
    // Rendered with a real run's values: the same body the receiver got from that run's post-action.
    await page.getByTestId('preview-run').check();
    await page.getByTestId('preview-run-id').selectOption(scheduledRunId);
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toBe(`{"text": "nightly finished: success", "run": "${scheduledRunId}"}`);
    expect(await page.getByTestId('preview-url').textContent()).toBe(`POST ${receiver.url}/hook/${scheduledRunId}`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
    await shot(page, 'post-actions-builder-run-read-only-390');
  });
});
