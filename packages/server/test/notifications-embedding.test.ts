/**
 * The fluent notification setup for embedding (`createHookline(...).useSlackNotifications(...)
 * .useWebhookNotifications(...)`), per-agent rules from an AGENT.md file, and Slack's
 * templates_dir resolution order, end to end against a local fake Slack, on both stores.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookline, type Hookline } from '../src/index.js';
import { verifySignature } from '../src/crypto/index.js';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.js';
import { ADMIN_KEY, startedIn, STORES, TEST_MASTER_KEY } from './helpers/hookline.js';
import { trackLive } from './helpers/live-hooklines.js';
import { ScriptedRunner } from './helpers/notify.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { Receiver } from './helpers/receiver.js';
import { NOTIFICATION_RULES_EXAMPLE, ON_COMPLETE_EXAMPLE } from './helpers/documented-examples.js';
import { until } from './helpers/wait.js';

const FILER_SECRET = 'filer-secret-0123456789';
const AGENT_MD = `---
name: filer
crew: docs
runner: command
runner_config: {command: node}
webhook_secret: ${FILER_SECRET}
${NOTIFICATION_RULES_EXAMPLE}---
File the reports.
`;

describe.each(STORES)('fluent notifications API and AGENT.md rules (%s)', (kind) => {
  const runner = new ScriptedRunner();
  const recv = new Receiver();
  const dir = mkdtempSync(join(tmpdir(), 'hookline-embed-'));
  let slack: FakeSlack;
  let hl: Hookline;
  let url: string;
  let pg: Awaited<ReturnType<typeof createTestSchema>> | undefined;
  let untrack: (() => void) | undefined;

  const trigger = async (agent: string, c: string) => {
    const body = JSON.stringify({ note: `case-${c}` });
    const res = await fetch(`${url}/api/v1/webhooks/docs/${agent}/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', FILER_SECRET).update(body).digest('hex') },
      body,
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { run_id: string }).run_id;
  };
  /** Messages delivered after the first `seen` (the example template does not name the run). */
  const messagesAfter = (seen: number, n: number) =>
    until(`${n} more Slack messages`, async () => {
      const got = slack.delivered().slice(seen);
      return got.length >= n ? got : undefined;
    });

  beforeAll(async () => {
    await recv.start();
    slack = await startFakeSlack();
    mkdirSync(join(dir, 'agents', 'filer'), { recursive: true });
    writeFileSync(join(dir, 'agents', 'filer', 'AGENT.md'), AGENT_MD);
    mkdirSync(join(dir, 'slack', 'filer'), { recursive: true });
    writeFileSync(join(dir, 'slack', 'filer', 'on_complete.json.j2'), ON_COMPLETE_EXAMPLE);
    writeFileSync(
      join(dir, 'slack', 'on_error.json.j2'),
      '[{"type": "section", "text": {"type": "mrkdwn", "text": "{{ agent_name }} broke: {{ error | upper }}"}}]',
    );
    pg = kind === 'postgres' ? await createTestSchema() : undefined;
    const created = await createHookline({
      config: {
        data_dir: join(dir, 'data'),
        server: { port: 0 },
        agents: { dir: join(dir, 'agents') },
        security: { admin_key: ADMIN_KEY, master_key: TEST_MASTER_KEY },
        delivery: { allow_networks: ['127.0.0.1/32'] },
        log: { level: 'silent' },
        ...(pg ? { database: { url: TEST_DATABASE_URL, pool_size: 4 } } : {}),
      },
      ...(pg ? { schema: pg.schema, applicationName: pg.applicationName } : {}),
      runnerFor: () => runner,
    });
    hl = created;
    untrack = trackLive(`a ${kind} Hookline started in "${startedIn()}"`, async () => {
      await created.stop();
      await pg?.drop();
    });
    // Bad settings are refused before anything changes.
    expect(() => hl.useSlackNotifications({ default_channel: '#alerts' })).toThrow(/needs bot_token/);
    expect(() => hl.useWebhookNotifications({ url: 'ftp://hooks.example.com', secret: 'x' })).toThrow(/http or https/);
    expect(() => hl.useWebhookNotifications({ url: `${recv.url}/x`, secret: 'x', payload_template: '{"a": "{{ x | nope }}"}' })).toThrow(
      /payload_template": line 1, column \d+ of the template/,
    );
    expect(hl.notificationSettings.webhooks).toEqual([]);

    hl.useSlackNotifications({
      bot_token: slack.token,
      default_channel: '#general',
      templates_dir: join(dir, 'slack'),
      api_base_url: slack.url,
    }).useWebhookNotifications({ url: `${recv.url}/events`, secret: 's3cret' });
    await hl.bootstrapAdminKey();
    url = (await hl.start())!;
  });
  afterAll(async () => {
    untrack?.();
    await hl?.stop();
    await pg?.drop();
    await slack?.close();
    await recv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the file's rules pick channels per event; templates resolve agent-specific → event → built-in", async () => {
    let seen = slack.delivered().length;
    const done = await trigger('filer', 'ok');
    const [msg] = await messagesAfter(seen, 1);
    const sent = msg!.json as { channel: string; blocks: { text: { text: string } }[] };
    expect(sent.channel).toBe('#reports');
    // filer/on_complete.json.j2: the documented example, verbatim.
    expect(sent.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: expect.stringMatching(/^\*filer\* finished at \d{4}-.+\nall good$/) } }]);
    // No webhook rule on on_complete: the configured webhook is not called for this agent.
    expect(recv.received.some((r) => r.body.includes(done))).toBe(false);

    seen = slack.delivered().length;
    const failed = await trigger('filer', 'failed');
    const [err] = await messagesAfter(seen, 1);
    expect((err!.json as { channel: string }).channel).toBe('#alerts');
    expect((err!.json as { blocks: unknown[] }).blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'filer broke: TOOL CALL FAILED: HTTP 500 FROM API' } },
    ]);
    await recv.waitFor(1);
    const hook = recv.received.find((r) => r.body.includes(failed))!;
    const headers = Object.fromEntries(Object.entries(hook.headers).map(([k, v]) => [k, String(v)]));
    expect(verifySignature('agentgateway', { headers, body: hook.body, secret: 's3cret', nowSec: Math.floor(Date.now() / 1000) })).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({
      event: 'on_error',
      agent_name: 'filer',
      execution_id: failed,
      error: 'Tool call failed: HTTP 500 from API',
      output: null,
    });
  });

  it('an agent without rules gets the defaults: the default channel with the built-in message, and every webhook', async () => {
    const call = (method: string, path: string, body?: unknown) =>
      fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const a = await call('POST', '/api/v1/agents', { id: 'plain', crew_id: 'docs', name: 'plain', runner: 'command', runner_config: { command: 'node' } });
    expect(a.status).toBe(201);
    const run = await call('POST', '/api/v1/agents/plain/runs', { prompt: 'case-ok' });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    const msg = await until('the default-channel message', async () => slack.delivered().find((m) => m.body.includes(run.body.id)));
    expect((msg.json as { channel: string }).channel).toBe('#general');
    expect(JSON.stringify(msg.json)).toContain('plain');
    await until('the default webhook', async () => recv.received.find((r) => r.body.includes(run.body.id)));
  });
});
