/**
 * Every notification channel end to end over both stores, against local receivers and a
 * local fake Slack: the agent's callback (payload and signature), Slack messages and named
 * webhooks (defaults, per-agent rules, PagerDuty template, agentgateway signing), Slack's
 * failure answers, and the notification log's filters, pagination and Retry.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/crypto/index.js';
import { ManualClock } from '../src/util/clock.js';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { createAgent, ScriptedRunner, settledNotifications, triggerAndWait, until } from './helpers/notify.js';
import { Receiver } from './helpers/receiver.js';
import { PAGERDUTY_EXAMPLE } from './helpers/documented-examples.js';
import { databaseOf } from '../src/store/testing.js';

const lower = (h: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));

describe.each(STORES)('notification channels (%s)', (kind) => {
  const runner = new ScriptedRunner();
  const recv = new Receiver();
  let slack: FakeSlack;
  let h: Harness;
  const secrets: Record<string, string> = {};

  const run = (agent: string, c = 'ok') => triggerAndWait(h, agent, secrets[agent]!, { note: `case-${c}` });
  const paths = (prefix: string) => recv.received.filter((r) => r.path.startsWith(prefix));

  beforeAll(async () => {
    await recv.start();
    slack = await startFakeSlack();
    h = await startHookline(kind, {
      runnerFor: () => runner,
      overrides: {
        notifications: {
          slack: { enabled: true, bot_token: slack.token, default_channel: '#alerts', api_base_url: slack.url },
          webhooks: [
            { name: 'default', url: `${recv.url}/agw`, secret: 's3cret', events: ['on_complete', 'on_error'] },
            { name: 'pagerduty', url: `${recv.url}/pd`, secret: 'pd-secret', events: ['on_error'], payload_template: PAGERDUTY_EXAMPLE },
          ],
        },
      },
    });
    for (const id of ['defaults', 'ruled', 'callbacks', 'broken']) secrets[id] = await createAgent(h, id);
  });
  afterAll(async () => {
    await h?.close();
    await slack?.close();
    await recv.close();
  });

  it('without rules: Slack default channel as Block Kit, and every webhook subscribed to the event, signed', async () => {
    const r = await run('defaults');
    const items = await settledNotifications(h, r.id, 2);
    expect(items.map((i) => `${i.channel}:${i.target}:${i.status}:${i.event_type}`).sort()).toEqual([
      'slack:#alerts:delivered:on_complete',
      'webhook:default:delivered:on_complete',
    ]);
    const msg = slack.delivered().find((m) => JSON.stringify(m.json).includes(r.id))!;
    expect(msg.path).toBe('/api/chat.postMessage');
    expect(msg.headers.authorization).toBe(`Bearer ${slack.token}`);
    const sent = msg.json as { channel: string; text: string; blocks: unknown[] };
    expect(sent.channel).toBe('#alerts');
    expect(Array.isArray(sent.blocks)).toBe(true);
    expect(JSON.stringify(sent.blocks)).toContain('defaults');
    expect(JSON.stringify(sent.blocks)).toContain('all good');

    const hook = paths('/agw').find((x) => x.body.includes(r.id))!;
    expect(JSON.parse(hook.body)).toEqual({
      event: 'on_complete',
      agent_name: 'defaults',
      execution_id: r.id,
      session_id: null,
      output: 'all good',
      error: null,
      timestamp: r.finished_at,
    });
    const headers = lower(hook.headers);
    const nowSec = Math.floor(Date.now() / 1000);
    expect(verifySignature('agentgateway', { headers, body: hook.body, secret: 's3cret', nowSec })).toBe(true);
    expect(verifySignature('agentgateway', { headers, body: hook.body, secret: 'wrong', nowSec })).toBe(false);
    expect(paths('/pd').some((x) => x.body.includes(r.id))).toBe(false);
  });

  it('on error: also the documented PagerDuty payload_template, rendered as valid JSON', async () => {
    const before = paths('/pd').length;
    const r = await run('defaults', 'failed');
    const items = await settledNotifications(h, r.id, 3);
    expect(items.map((i) => i.target).sort()).toEqual(['#alerts', 'default', 'pagerduty']);
    const pd = paths('/pd').slice(before)[0]!;
    expect(JSON.parse(pd.body)).toEqual({
      routing_key: 'your-routing-key',
      event_action: 'trigger',
      payload: { summary: 'defaults failed: Tool call failed: HTTP 500 from API', severity: 'error', source: 'agent-gateway' },
    });
    expect(verifySignature('agentgateway', { headers: lower(pd.headers), body: pd.body, secret: 'pd-secret', nowSec: Math.floor(Date.now() / 1000) })).toBe(
      true,
    );
  });

  it('per-agent rules replace the defaults, through the API, with 422 naming the spot', async () => {
    const bad = await h.call('PATCH', '/api/v1/agents/ruled', { notifications: { on_completed: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'unknown_field',
      message: expect.stringContaining('did you mean "on_complete"?'),
      details: { field: 'body.notifications.on_completed', suggestion: 'on_complete' },
    });
    const unknown = await h.call('PATCH', '/api/v1/agents/ruled', { notifications: { on_error: [{ channel: 'webhook', target: 'nope' }] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.field).toBe('notifications.on_error[0].target');
    const ok = await h.call('PATCH', '/api/v1/agents/ruled', {
      notifications: { on_complete: [{ channel: 'slack', target: 'reports' }], on_timeout: [{ channel: 'webhook', target: 'pagerduty' }] },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.notifications).toEqual({
      on_complete: [{ channel: 'slack', target: 'reports' }],
      on_timeout: [{ channel: 'webhook', target: 'pagerduty' }],
    });

    const done = await run('ruled');
    expect((await settledNotifications(h, done.id, 1)).map((i) => i.target)).toEqual(['reports']);
    expect(slack.delivered().some((m) => (m.json as any).channel === '#reports' && JSON.stringify(m.json).includes(done.id))).toBe(true);
    // on_error has no rule: nothing at all, not even the defaults. The run's notifications are
    // written in the transaction that ends it, so once it has ended there is nothing to wait for.
    const failed = await run('ruled', 'failed');
    expect((await h.call('GET', `/api/v1/notifications?execution_id=${failed.id}`)).body.total).toBe(0);
    const timedOut = await run('ruled', 'timeout');
    const [pd] = await settledNotifications(h, timedOut.id, 1);
    expect(pd).toMatchObject({ channel: 'webhook', target: 'pagerduty', event_type: 'on_timeout', status: 'delivered' });
    // null restores the defaults.
    expect((await h.call('PATCH', '/api/v1/agents/ruled', { notifications: null })).body.notifications).toBeNull();
  });

  it("Slack's HTTP 200 {ok:false} is a failure with Slack's error; Retry sends identical bytes and delivers", async () => {
    await h.call('PATCH', '/api/v1/agents/broken', {
      notifications: {
        on_complete: [
          { channel: 'slack', target: '#nowhere' },
          { channel: 'slack', target: '#general' },
        ],
      },
    });
    slack.failNext(0, 'internal_error');
    const r = await run('broken');
    const items = await settledNotifications(h, r.id, 2);
    const missing = items.find((i) => i.target === '#nowhere');
    expect(missing).toMatchObject({ status: 'failed', attempts: 1, last_error: 'channel_not_found' });

    // A non-retryable answer once (invalid_auth), then Retry from the log: delivered, same bytes.
    await h.call('PATCH', '/api/v1/agents/broken', { notifications: { on_complete: [{ channel: 'slack', target: '#general' }] } });
    slack.failNext(1, { status: 200, body: '{"ok":false,"error":"invalid_auth"}' });
    const r2 = await run('broken');
    const [n] = await settledNotifications(h, r2.id, 1);
    expect(n).toMatchObject({ status: 'failed', last_error: 'invalid_auth', attempts: 1 });
    const first = slack.requests.filter((q) => q.body.includes(r2.id));
    expect(first).toHaveLength(1);
    const retried = await h.call('POST', `/api/v1/notifications/${n.id}/retry`);
    expect(retried.status).toBe(202);
    const again = await until('the retried message', async () => {
      const got = slack.requests.filter((q) => q.body.includes(r2.id));
      return got.length === 2 ? got[1] : undefined;
    });
    expect(again.body).toBe(first[0]!.body);
    expect(
      (
        await until('delivered', async () => {
          const x = (await h.call('GET', `/api/v1/notifications/${n.id}`)).body;
          return x.status === 'delivered' ? x : undefined;
        })
      ).attempts,
    ).toBe(2);
  });

  it("Slack's ratelimited (429 + Retry-After) is retried after Retry-After; incoming-webhook URLs work as targets", async () => {
    await h.call('PATCH', '/api/v1/agents/broken', { notifications: { on_complete: [{ channel: 'slack', target: slack.webhookUrl('ops') }] } });
    slack.failNext(1, 'ratelimited');
    const r = await run('broken');
    const n = await until(
      'the ratelimited message to be delivered',
      async () => {
        const [x] = (await h.call('GET', `/api/v1/notifications?execution_id=${r.id}`)).body.items;
        return x?.status === 'delivered' ? x : undefined;
      },
      15_000,
    );
    expect(n.attempts).toBe(2);
    const sent = slack.requests.filter((q) => q.body.includes(r.id));
    expect(sent.map((q) => q.path)).toEqual([new URL(slack.webhookUrl('ops')).pathname, new URL(slack.webhookUrl('ops')).pathname]);
    expect(sent[0]!.headers.authorization).toBeUndefined();
    expect(Object.keys(sent[0]!.json as object).sort()).toEqual(['blocks', 'text']);
    // The URL is a credential: views show its origin only, and it is not stored in the clear.
    const origin = new URL(slack.webhookUrl('ops')).origin;
    expect(n.target).toBe(`${origin}/…`);
    expect((await h.call('GET', '/api/v1/agents/broken')).body.notifications).toEqual({ on_complete: [{ channel: 'slack', target: `${origin}/…` }] });
    const secretPath = new URL(slack.webhookUrl('ops')).pathname;
    const stored =
      JSON.stringify(await databaseOf(h.hl.store).selectFrom('agents').selectAll().where('id', '=', 'broken').execute()) +
      JSON.stringify(await databaseOf(h.hl.store).selectFrom('deliveries').select(['target', 'last_error']).where('run_id', '=', r.id).execute());
    expect(stored).not.toContain(secretPath);
    await h.call('PATCH', '/api/v1/agents/broken', { notifications: null });
  });

  it("the agent's callback: set with headers, secret once, the payload exactly, signed X-Signature sha256= with X-Timestamp", async () => {
    const put = await h.call('PUT', '/api/v1/agents/callbacks/callback', { url: `${recv.url}/agent-results`, headers: { Authorization: 'Bearer YOUR_TOKEN' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const secret = put.body.secret as string;
    expect(secret).toMatch(/^hlcb_/);
    const got = (await h.call('GET', '/api/v1/agents/callbacks/callback')).body;
    expect(got).toEqual({
      url: `${recv.url}/agent-results`,
      headers: { authorization: '********' },
      signature: { header: 'X-Signature', timestamp_header: 'X-Timestamp', algorithm: 'hmac-sha256' },
    });
    expect(JSON.stringify(got)).not.toContain('YOUR_TOKEN');
    expect((await h.call('PUT', '/api/v1/agents/callbacks/callback', { url: `${recv.url}/agent-results`, headers: { 'X-Signature': 'x' } })).status).toBe(422);
    expect((await h.call('PUT', '/api/v1/agents/callbacks/callback', { url: 'ftp://x' })).status).toBe(422);
    // A second PUT keeps the secret (not shown again).
    expect(
      (await h.call('PUT', '/api/v1/agents/callbacks/callback', { url: `${recv.url}/agent-results`, headers: { Authorization: 'Bearer YOUR_TOKEN' } })).body
        .secret,
    ).toBeUndefined();

    const r = await run('callbacks');
    const items = await settledNotifications(h, r.id, 3);
    expect(items.find((i) => i.channel === 'callback')).toMatchObject({ status: 'delivered', target: `${recv.url}/agent-results`, agent_id: 'callbacks' });
    const cb = paths('/agent-results').find((x) => x.body.includes(r.id))!;
    expect(cb.method).toBe('POST');
    expect(cb.headers.authorization).toBe('Bearer YOUR_TOKEN');
    const body = JSON.parse(cb.body);
    expect(Object.keys(body)).toEqual(['agent_loop_id', 'agent_loop_name', 'execution_id', 'status', 'result', 'metadata', 'error']);
    expect(body).toEqual({
      agent_loop_id: 'callbacks',
      agent_loop_name: 'callbacks',
      execution_id: r.id,
      status: 'completed',
      result: { output: 'all good', iterations_used: 5, tool_calls: 3 },
      metadata: { started_at: r.started_at, completed_at: r.finished_at, duration_seconds: Math.round(r.duration_seconds), model: 'gpt-4', tokens_used: 1250 },
      error: null,
    });
    const headers = lower(cb.headers);
    expect(headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('callback', { headers, body: cb.body, secret, nowSec: Math.floor(Date.now() / 1000) })).toBe(true);
    expect(verifySignature('callback', { headers, body: cb.body + ' ', secret, nowSec: Math.floor(Date.now() / 1000) })).toBe(false);

    const failed = await run('callbacks', 'failed');
    await settledNotifications(h, failed.id, 4);
    const fb = JSON.parse(paths('/agent-results').find((x) => x.body.includes(failed.id))!.body);
    expect(fb).toMatchObject({ status: 'failed', result: null, error: 'Tool call failed: HTTP 500 from API' });
    const timedOut = await run('callbacks', 'timeout');
    await until('timeout callback', async () => paths('/agent-results').find((x) => x.body.includes(timedOut.id)));
    const tb = JSON.parse(paths('/agent-results').find((x) => x.body.includes(timedOut.id))!.body);
    expect(tb).toMatchObject({ status: 'timeout', result: { output: 'Partial result...' }, error: 'Execution timeout after 300 seconds' });

    // Rotation: the next callback verifies with the new secret only.
    const rotated = (await h.call('POST', '/api/v1/agents/callbacks/callback/rotate-secret')).body.secret as string;
    const r2 = await run('callbacks');
    await until('callback after rotation', async () => paths('/agent-results').find((x) => x.body.includes(r2.id)));
    const cb2 = paths('/agent-results').find((x) => x.body.includes(r2.id))!;
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature('callback', { headers: lower(cb2.headers), body: cb2.body, secret: rotated, nowSec: now })).toBe(true);
    expect(verifySignature('callback', { headers: lower(cb2.headers), body: cb2.body, secret, nowSec: now })).toBe(false);
    expect((await h.call('DELETE', '/api/v1/agents/callbacks/callback')).status).toBe(204);
    expect((await h.call('GET', '/api/v1/agents/callbacks/callback')).status).toBe(404);
  });

  it('the notification log: the documented shape exactly, every filter, pagination, both paths; endpoints appear too', async () => {
    const ep = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${recv.url}/endpoint`, events: ['run.*'] });
    expect(ep.status).toBe(201);
    const r = await run('defaults');
    const items = await settledNotifications(h, r.id, 3);
    expect(items.map((i) => i.channel).sort()).toEqual(['endpoint', 'slack', 'webhook']);
    for (const i of items)
      expect(Object.keys(i)).toEqual([
        'id',
        'execution_id',
        'agent_id',
        'event_type',
        'channel',
        'target',
        'status',
        'attempts',
        'last_error',
        'created_at',
        'delivered_at',
      ]);
    const page = (q: string) => h.call('GET', `/v1/notifications${q}`).then((x) => x.body);
    const all = await page('');
    expect(Object.keys(all)).toEqual(['items', 'total', 'limit', 'offset']);
    expect(all).toMatchObject({ limit: 50, offset: 0 });
    expect((await page('?agent_id=defaults')).total).toBe((await page(`?agent_id=defaults&limit=1`)).total);
    const two = await page('?limit=2&offset=1');
    expect(two.items.map((i: any) => i.id)).toEqual(all.items.slice(1, 3).map((i: any) => i.id));
    expect((await page(`?execution_id=${r.id}&channel=slack`)).items.map((i: any) => i.target)).toEqual(['#alerts']);
    const failed = await page('?status=failed');
    expect(failed.total).toBeGreaterThan(0);
    expect(failed.items.every((i: any) => i.status === 'failed')).toBe(true);
    expect((await page('?agent_id=no-such-agent')).total).toBe(0);
    expect((await h.call('GET', '/v1/notifications?channel=email')).status).toBe(422);
    expect((await h.call('GET', '/v1/notifications', undefined, null)).status).toBe(401);
    expect((await h.call('GET', '/api/v1/notifications/dlv_nope')).status).toBe(404);
    // The endpoint delivery log lists endpoint deliveries only; a notification retried there is retried like in the log.
    const deliveries = (await h.call('GET', '/api/v1/deliveries?limit=1000')).body.items as any[];
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((x) => x.endpoint_id === ep.body.id)).toBe(true);
    const slackOne = items.find((i) => i.channel === 'slack')!;
    expect((await h.call('POST', `/api/v1/deliveries/${slackOne.id}/retry`)).status).toBe(202);
    await until('the re-sent Slack message', async () => (slack.requests.filter((q) => q.body.includes(r.id)).length === 2 ? true : undefined));
    await h.call('DELETE', `/api/v1/webhooks/endpoints/${ep.body.id}`);
  });

  it('slack.enabled: false silences Slack for every agent; a run cancelled in the queue still notifies', async () => {
    h.hl.notificationSettings.slack.enabled = false;
    try {
      const r = await run('defaults');
      expect((await settledNotifications(h, r.id, 1)).map((i) => i.channel)).toEqual(['webhook']);
    } finally {
      h.hl.notificationSettings.slack.enabled = true;
    }
    const secret = secrets.defaults!;
    const body = (c: string) => JSON.stringify({ note: `case-${c}` });
    const post = (c: string) =>
      fetch(`${h.url}/api/v1/webhooks/ops/defaults/trigger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', secret).update(body(c)).digest('hex') },
        body: body(c),
      }).then((x) => x.json() as Promise<{ run_id: string }>);
    const held = await post('hold');
    await until('the held run to start', async () => ((await h.call('GET', `/api/v1/runs/${held.run_id}`)).body.status === 'running' ? true : undefined));
    const queued = await post('ok');
    expect((await h.call('GET', `/api/v1/runs/${queued.run_id}`)).body.status).toBe('queued');
    expect((await h.call('POST', `/api/v1/runs/${queued.run_id}/cancel`)).body.status).toBe('cancelled');
    const items = await settledNotifications(h, queued.run_id, 3);
    expect(items.every((i) => i.event_type === 'on_error')).toBe(true);
    expect((await h.call('POST', `/api/v1/runs/${held.run_id}/cancel`)).body.status).toBe('cancelled');
    expect((await settledNotifications(h, held.run_id, 3)).map((i) => i.target).sort()).toEqual(['#alerts', 'default', 'pagerduty']);
  });

  it('never stores or shows the Slack token or webhook secrets', async () => {
    const rows = await databaseOf(h.hl.store)
      .selectFrom('deliveries')
      .select(['request_enc', 'last_error', 'target'])
      .where('channel', 'in', ['slack', 'webhook'])
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(JSON.stringify(row)).not.toMatch(new RegExp(`${slack.token}|s3cret|pd-secret`));
    const listing = JSON.stringify((await h.call('GET', '/api/v1/notifications?limit=1000')).body);
    expect(listing).not.toMatch(new RegExp(`${slack.token}|s3cret|pd-secret`));
  });
});

describe.each(STORES)('callback retries (%s)', (kind) => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const runner = new ScriptedRunner();
  const recv = new Receiver();
  let h: Harness;

  beforeAll(async () => {
    await recv.start();
    h = await startHookline(kind, { clock, random: () => 0, runnerFor: () => runner });
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  it('retries a failed callback like an endpoint (30 s, 2 m, …), 4xx included', async () => {
    const secret = await createAgent(h, 'cb');
    await h.call('PUT', '/api/v1/agents/cb/callback', { url: `${recv.url}/cb` });
    let status = 400;
    recv.respond = (_q, res) => void res.writeHead(status).end();
    const r = await triggerAndWait(h, 'cb', secret, {});
    await h.hl.dispatcher!.drain();
    expect(recv.received).toHaveLength(1);
    clock.advance(29_999);
    await h.hl.dispatcher!.drain();
    expect(recv.received).toHaveLength(1);
    status = 200;
    clock.advance(1);
    await h.hl.dispatcher!.drain();
    expect(recv.received).toHaveLength(2);
    expect(recv.received[1]!.body).toBe(recv.received[0]!.body);
    const [n] = (await h.call('GET', `/api/v1/notifications?execution_id=${r.id}`)).body.items;
    expect(n).toMatchObject({ channel: 'callback', status: 'delivered', attempts: 2 });
  });
});
