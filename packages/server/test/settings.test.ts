/**
 * Over both stores: GET /api/v1/settings (its shape, and that no configured secret appears
 * anywhere in it), the Slack test message against the local fake Slack (sent, refused,
 * unreachable, not configured, no channel, read-only keys), and the post-action template
 * preview (sample values, a real run's variables equal to what its post-action sent, inline
 * errors per field, hostile templates, read-only keys and the session's CSRF token).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST_ACTION_VARIABLES } from '../src/templates/index.js';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';
import { ADMIN_KEY, type Harness, STORES, startHookline, TEST_MASTER_KEY } from './helpers/hookline.js';
import { createAgent, ScriptedRunner, triggerAndWait } from './helpers/notify.js';
import { Receiver } from './helpers/receiver.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const CONFIG_TOKEN = 'xoxb-CONFIG-secret-token-4f1d9a';
const ENV_TOKEN = 'xoxb-ENV-secret-token-77ab02';
const WEBHOOK_SECRET = 'whsec-NAMED-hook-secret-9c3e';
const WEBHOOK_URL = 'https://hooks.example.com/agent-events/PATHSECRET123?token=QUERYSECRET456';
const read = async (h: Harness) => (await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key as string;

describe.each(STORES)('settings and the Slack test message (%s)', (kind) => {
  let slack: FakeSlack;
  let h: Harness;
  let viaEnv: Harness;
  let bare: Harness;
  let hookUrl: string;

  beforeAll(async () => {
    slack = await startFakeSlack({ token: CONFIG_TOKEN });
    hookUrl = slack.webhookUrl('alerts-hook');
    h = await startHookline(kind, {
      overrides: {
        notifications: {
          slack: { enabled: true, bot_token: CONFIG_TOKEN, default_channel: '#alerts', api_base_url: slack.url },
          webhooks: [{ name: 'ops', url: WEBHOOK_URL, secret: WEBHOOK_SECRET, events: ['on_error'] }],
        },
      },
    });
    // The token as HOOKLINE_SLACK_BOT_TOKEN gives it; the default channel an incoming-webhook URL; the API unreachable.
    process.env.HOOKLINE_SLACK_BOT_TOKEN = ENV_TOKEN;
    viaEnv = await startHookline(kind, {
      overrides: { notifications: { slack: { enabled: true, bot_token: ENV_TOKEN, default_channel: hookUrl, api_base_url: 'http://127.0.0.1:1/api' } } },
    });
    bare = await startHookline(kind);
  });
  afterAll(async () => {
    delete process.env.HOOKLINE_SLACK_BOT_TOKEN;
    await Promise.all([h?.close(), viaEnv?.close(), bare?.close()]);
    await slack.close();
  });

  const settingsOf = async (x: Harness, key?: string) => {
    const res = await fetch(`${x.url}/api/v1/settings`, { headers: { authorization: `Bearer ${key ?? ADMIN_KEY}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    return { text, body: JSON.parse(text) };
  };

  it('shows the running configuration to any key', async () => {
    const { body } = await settingsOf(h, await read(h));
    expect(body).toEqual({
      version: VERSION,
      store: kind,
      public_url: null,
      slack: { enabled: true, configured: true, token_source: 'config', default_channel: '#alerts', api_base_url: slack.url, templates_dir: null },
      named_webhooks: [{ name: 'ops', url: 'https://hooks.example.com', events: ['on_error'] }],
      delivery: {
        allow_networks: ['127.0.0.1/32'],
        blocked: expect.stringMatching(/loopback.*private.*metadata.*delivery\.allow_networks/),
        timeout_seconds: 30,
        retry_schedule: [30, 120, 600, 3600, 14400],
      },
      inspector: { enabled: true, max_requests_per_bin: 100, max_body_bytes: 65536 },
    });
    const none = await settingsOf(bare);
    expect(none.body.slack).toEqual({
      enabled: false,
      configured: false,
      token_source: null,
      default_channel: null,
      api_base_url: 'https://slack.com/api',
      templates_dir: null,
    });
    expect(none.body.named_webhooks).toEqual([]);
    expect((await bare.call('GET', '/api/v1/settings', undefined, null)).status).toBe(401);
  });

  it('never shows a secret: tokens, webhook secrets, incoming-webhook URLs, URL paths and queries, keys', async () => {
    const mine = await settingsOf(h);
    const env = await settingsOf(viaEnv);
    expect(env.body.slack).toMatchObject({ configured: true, token_source: 'env', default_channel: `${new URL(hookUrl).origin}/…` });
    for (const text of [mine.text, env.text]) {
      for (const secret of [
        CONFIG_TOKEN,
        ENV_TOKEN,
        WEBHOOK_SECRET,
        'PATHSECRET123',
        'QUERYSECRET456',
        'T0FAKE/B0FAKE',
        'alerts-hook',
        ADMIN_KEY,
        TEST_MASTER_KEY,
        'xoxb-',
      ]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('posts a test message with the configured token to the channel given or the default', async () => {
    const before = slack.requests.length;
    const r = await h.call('POST', '/api/v1/notifications/slack/test', { channel: 'reports', text: 'Hello <!channel> & team' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ ok: true, channel: '#reports', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const sent = slack.requests[before]!;
    expect(sent.path).toBe('/api/chat.postMessage');
    expect(sent.headers.authorization).toBe(`Bearer ${CONFIG_TOKEN}`);
    // Shown as written: no @channel ping.
    expect(sent.json).toMatchObject({ channel: '#reports', text: 'Hello &lt;!channel&gt; &amp; team' });
    expect(JSON.stringify(r.body)).not.toContain(CONFIG_TOKEN);

    const dflt = await h.call('POST', '/api/v1/notifications/slack/test', {});
    expect(dflt.status).toBe(200);
    expect(dflt.body.channel).toBe('#alerts');
    expect((slack.requests.at(-1)!.json as any).text).toMatch(/Hookline test message/);
    expect(slack.delivered()).toHaveLength(2);
    // Not a notification: the log stays empty.
    expect((await h.call('GET', '/api/v1/notifications')).body.total).toBe(0);
  });

  it("reports Slack's refusal with its error code, and an unreachable Slack, as 502 without retrying", async () => {
    const before = slack.requests.length;
    const missing = await h.call('POST', '/api/v1/notifications/slack/test', { channel: '#nope' });
    expect(missing.status).toBe(502);
    expect(missing.body.error).toEqual({ code: 'slack_error', message: 'Slack refused the message: channel_not_found' });
    slack.failNext(1, 'ratelimited');
    const limited = await h.call('POST', '/api/v1/notifications/slack/test', {});
    expect(limited.status).toBe(502);
    expect(limited.body.error.code).toBe('slack_error');
    expect(limited.body.error.message).toContain('ratelimited');
    slack.failNext(1, { status: 503, body: 'down for maintenance' });
    const down = await h.call('POST', '/api/v1/notifications/slack/test', {});
    expect(down.status).toBe(502);
    expect(down.body.error).toEqual({ code: 'slack_unreachable', message: expect.stringContaining('HTTP 503') });
    // One request each: never retried.
    expect(slack.requests.length - before).toBe(3);

    const unreachable = await viaEnv.call('POST', '/api/v1/notifications/slack/test', { channel: '#alerts' });
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error.code).toBe('slack_unreachable');
    expect(JSON.stringify(unreachable.body)).not.toContain(ENV_TOKEN);
    expect((await h.call('GET', '/api/v1/notifications')).body.total).toBe(0);
  });

  it('409 when Slack is not configured, 422 without a channel or with a bad one, 403 for read-only keys', async () => {
    const off = await bare.call('POST', '/api/v1/notifications/slack/test', { channel: '#alerts' });
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('slack_not_configured');
    expect(off.body.error.message).toMatch(/bot_token.*HOOKLINE_SLACK_BOT_TOKEN/);

    // The default is an incoming-webhook URL: the test needs a channel name.
    const hookOnly = await viaEnv.call('POST', '/api/v1/notifications/slack/test', {});
    expect(hookOnly.status).toBe(422);
    expect(hookOnly.body.error.code).toBe('no_channel');
    expect(hookOnly.body.error.message).not.toContain('alerts-hook');

    for (const [channel, code] of [
      ['https://evil.example/x', 'invalid_channel'],
      ['two channels', 'invalid_channel'],
    ] as const) {
      const bad = await h.call('POST', '/api/v1/notifications/slack/test', { channel });
      expect(bad.status, channel).toBe(422);
      expect(bad.body.error.code).toBe(code);
    }
    expect((await h.call('POST', '/api/v1/notifications/slack/test', { text: 'x'.repeat(3001) })).status).toBe(422);
    const longest = await h.call('POST', '/api/v1/notifications/slack/test', { text: 'x'.repeat(3000) });
    expect(longest.status, JSON.stringify(longest.body)).toBe(200);
    // Slack echoes the message, so this answer arrives cut at 4 KB: still read as accepted.
    expect(longest.body.ts).toMatch(/^\d+\.\d{6}$/);

    const viewer = await read(h);
    const denied = await h.call('POST', '/api/v1/notifications/slack/test', {}, viewer);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');

    // Without a default channel (changed at run time through the embedding API): 422, and the settings say so.
    h.hl.useSlackNotifications({ default_channel: undefined });
    const none = await h.call('POST', '/api/v1/notifications/slack/test', {});
    expect(none.status).toBe(422);
    expect(none.body.error).toEqual({ code: 'no_channel', message: expect.stringContaining('default_channel') });
    expect((await settingsOf(h)).body.slack.default_channel).toBeNull();
  });
});

describe.each(STORES)('post-action template preview (%s)', (kind) => {
  const runner = new ScriptedRunner();
  const recv = new Receiver();
  let h: Harness;
  let secret: string;
  const preview = (body: unknown, key?: string) => h.call('POST', '/api/v1/post-actions/preview', body, key);
  const ok = async (body: unknown, key?: string) => {
    const r = await preview(body, key);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    await recv.start();
    h = await startHookline(kind, { runnerFor: () => runner });
    secret = await createAgent(h, 'reviewer');
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  it('renders every field with fixed sample values for every post-action variable', async () => {
    const p = await ok({
      url: 'https://hooks.example.com/runs/{{run_id}}?status={{status}}&team={{team_name}}',
      headers: { 'X-Trigger': '{{trigger_type}}:{{trigger_name}}' },
      body_template: '{"text": "{{response}}", "started": "{{started_at}}", "prompt": "{{prompt}}"}',
    });
    expect(p.source).toBe('sample');
    for (const v of POST_ACTION_VARIABLES) expect(p.variables, v.name).toHaveProperty(v.name);
    expect(p.variables).toMatchObject({ status: 'success', trigger_type: 'webhook', team_name: 'Ops Team', started_at: '2026-01-15T09:30:01.000Z' });
    expect(p.url).toBe(`https://hooks.example.com/runs/${p.variables.run_id}?status=success&team=Ops%20Team`);
    expect(p.headers).toEqual({ 'X-Trigger': `webhook:${p.variables.trigger_name}` });
    expect(JSON.parse(p.body)).toEqual({ text: p.variables.response, started: p.variables.started_at, prompt: p.variables.prompt });
    expect(p.errors).toEqual([]);
    // The same every time; fields not given are null.
    expect((await ok({})).variables).toEqual(p.variables);
    expect(await ok({ body_template: 'only {{status}}' })).toMatchObject({ url: null, headers: null, body: 'only success', errors: [] });
  });

  it("with run_id, renders exactly what that run's post-action sent", async () => {
    const templates = {
      url: `${recv.url}/pa/{{run_id}}?s={{status}}&t={{trigger_name}}`,
      headers: { 'X-Run': '{{status}} {{finished_at}}' },
      body_template:
        '{"status": "{{status}}", "error": "{{error}}", "team": "{{team_name}}", "response": "{{response}}", "prompt": "{{prompt}}", "started_at": "{{started_at}}", "finished_at": "{{finished_at}}"}',
    };
    const pa = await h.call('POST', '/api/v1/post-actions', { name: 'mirror', method: 'POST', ...templates });
    expect(pa.status, JSON.stringify(pa.body)).toBe(201);
    expect((await h.call('POST', `/api/v1/post-actions/${pa.body.id}/bindings`, { trigger_type: 'webhook', trigger_id: 'reviewer' })).status).toBe(201);
    const run = await triggerAndWait(h, 'reviewer', secret, { note: 'case-failed' });
    await recv.waitFor(1);
    const sent = recv.received[0]!;

    const p = await ok({ ...templates, run_id: run.id });
    expect(p.source).toBe('run');
    expect(p.variables).toMatchObject({
      run_id: run.id,
      status: 'failed',
      error: 'Tool call failed: HTTP 500 from API',
      trigger_type: 'webhook',
      team_name: 'Ops Team',
      agent_name: 'reviewer',
    });
    expect(p.url).toBe(`${recv.url}${sent.path}`);
    expect(p.headers).toEqual({ 'X-Run': sent.headers['x-run'] });
    expect(p.body).toBe(sent.body);
    expect(p.errors).toEqual([]);

    const missing = await preview({ body_template: '{{status}}', run_id: 'run_does_not_exist' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('reports template mistakes inline, per field, with line and column; the other fields still render', async () => {
    const p = await ok({
      url: 'https://hooks.example.com/{{ run_id',
      headers: { 'X-Ok': '{{status}}', 'X-Bad': 'a {% if %}', 'Bad Name': 'v' },
      body_template: '{\n  "status": "{{ status | no_such_filter }}"\n}',
    });
    expect(p.url).toBeNull();
    expect(p.body).toBeNull();
    expect(p.headers).toEqual({ 'X-Ok': 'success' });
    const byField = Object.fromEntries(p.errors.map((e: any) => [e.field, e]));
    expect(Object.keys(byField).sort()).toEqual(['body_template', 'headers.Bad Name', 'headers.X-Bad', 'url']);
    expect(byField.body_template).toMatchObject({ line: 2, column: expect.any(Number), message: expect.stringContaining('no_such_filter') });
    expect(byField['headers.X-Bad']).toMatchObject({ line: 1, column: expect.any(Number) });
    expect(byField.url).toMatchObject({ line: 1 });
    for (const e of p.errors) expect(e.column).toBeGreaterThanOrEqual(1);

    const good = await ok({ url: 'https://ok.example/{{status}}', body_template: '{% for %}' });
    expect(good.url).toBe('https://ok.example/success');
    expect(good.errors).toEqual([expect.objectContaining({ field: 'body_template', line: 1 })]);
  });

  it('a template reads nothing but its variables, and its work is bounded', async () => {
    process.env.HOOKLINE_TEST_CANARY = 'canary-3b9f1e-not-for-templates';
    try {
      const r = await h.call('POST', '/api/v1/post-actions/preview', {
        body_template:
          '[{{constructor}}|{{__proto__}}|{{ run_id.constructor }}|{{ status.__proto__ }}|{{ toString }}|{{ process }}|{{ globalThis }}|{{ this }}|{{ require }}]',
        headers: { 'X-Call': '{{ constructor.constructor("return process.env")() }}' },
      });
      expect(r.status).toBe(200);
      expect(r.body.body).toBe('[||||||||]');
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'headers.X-Call', message: expect.stringMatching(/function calls are not supported/) })]);
      const text = JSON.stringify(r.body);
      for (const leak of ['canary-3b9f1e', 'native code', '[object', 'function (']) expect(text).not.toContain(leak);
    } finally {
      delete process.env.HOOKLINE_TEST_CANARY;
    }

    const loops = await ok({
      url: 'https://ok.example/{{status}}',
      body_template: '{% for a in prompt %}{% for b in prompt %}{% for c in prompt %}x{% endfor %}{% endfor %}{% endfor %}',
      headers: { 'X-Big': '{% for a in prompt %}{% for b in prompt %}{{ prompt }}{{ prompt }}{{ prompt }}{{ prompt }}{% endfor %}{% endfor %}' },
    });
    expect(loops.url).toBe('https://ok.example/success');
    expect(loops.body).toBeNull();
    const messages = Object.fromEntries(loops.errors.map((e: any) => [e.field, e.message]));
    expect(messages.body_template).toMatch(/stopped after \d+ steps/);
    expect(messages['headers.X-Big']).toMatch(/exceed \d+ bytes/);

    // Oversized input is refused before any work.
    expect((await preview({ body_template: 'x'.repeat(65_537) })).status).toBe(422);
    expect(await preview({ body_template: 'x', extra: 1 })).toMatchObject({ status: 400, body: { error: { code: 'unknown_field' } } });
  });

  it('sends nothing and stores nothing', async () => {
    const before = recv.received.length;
    const notifications = (await h.call('GET', '/api/v1/notifications')).body.total;
    const p = await ok({ url: `${recv.url}/preview-must-not-arrive/{{run_id}}`, body_template: '{{status}}' });
    expect(p.url).toContain('/preview-must-not-arrive/');
    // A real firing after the preview: once it has arrived, the preview's request would have too.
    const run = await triggerAndWait(h, 'reviewer', secret, { note: 'case-ok' });
    await recv.waitFor(before + 1);
    expect(recv.received.map((r) => r.path).filter((path) => path.includes('preview-must-not-arrive'))).toEqual([]);
    expect(recv.received.at(-1)!.path).toContain(run.id);
    expect((await h.call('GET', '/api/v1/notifications')).body.total).toBe(notifications + 1);
  });

  it('read-only keys may preview (and nothing else that posts); a session still needs its CSRF token', async () => {
    const viewer = await read(h);
    expect((await ok({ body_template: '{{status}}' }, viewer)).body).toBe('success');
    const create = await h.call('POST', '/api/v1/post-actions', { name: 'nope', method: 'POST', url: 'https://x.example' }, viewer);
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    expect((await h.call('POST', '/api/v1/crews', { name: 'Nope' }, viewer)).status).toBe(403);

    const signIn = await fetch(`${h.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: viewer }),
    });
    const { csrf_token: csrf } = (await signIn.json()) as { csrf_token: string };
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const viaCookie = (path: string, body: unknown, token?: string) =>
      fetch(`${h.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
        body: JSON.stringify(body),
      });
    const noToken = await viaCookie('/api/v1/post-actions/preview', { body_template: '{{status}}' });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as any).error.code).toBe('csrf_failed');
    const withToken = await viaCookie('/api/v1/post-actions/preview', { body_template: '{{status}}' }, csrf);
    expect(withToken.status).toBe(200);
    expect(((await withToken.json()) as any).body).toBe('success');
    const other = await viaCookie('/api/v1/crews', { name: 'Nope' }, csrf);
    expect(other.status).toBe(403);
    expect(((await other.json()) as any).error.code).toBe('forbidden');
  });
});
