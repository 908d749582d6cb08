import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, STORES, startHookline } from '../../server/test/helpers/hookline.js';
import { Receiver } from '../../server/test/helpers/receiver.js';
import { until } from '../../server/test/helpers/wait.js';
import { Hookline, type Run } from '../src/index.js';
import { apiError } from './api-error.js';

const node = process.execPath;
/** A real command agent: reads the prompt, answers with its length. */
const ECHO = { command: node, args: ['-e', "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write('read '+s.length+' chars'))"] };
/** Runs until it is cancelled. */
const HOLD = { command: node, args: ['-e', 'process.stdin.resume();setTimeout(()=>{},600000)'] };

describe.each(STORES)('every resource against a real Hookline (%s)', (kind) => {
  let h: Harness;
  let client: Hookline;
  const recv = new Receiver();

  beforeAll(async () => {
    await recv.start();
    h = await startHookline(kind);
    client = new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url });
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  it("the README's example as written: create an endpoint, secret shown once", async () => {
    const endpoint = await client.webhookEndpoints.create({
      url: `${recv.url}/webhooks/agentpost`,
      events: ['message.received', 'message.bounced'],
      description: 'Production webhook receiver',
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({
      url: `${recv.url}/webhooks/agentpost`,
      events: ['message.received', 'message.bounced'],
      description: 'Production webhook receiver',
      signing_scheme: 'standard',
      enabled: true,
    });
    const again = await client.webhookEndpoints.get(endpoint.id);
    expect(again).not.toHaveProperty('secret');
    expect(again.id).toBe(endpoint.id);
  });

  it('endpoints, events and deliveries: the whole lifecycle', async () => {
    const ep = await client.webhookEndpoints.create({ url: `${recv.url}/life`, events: ['order.*'], headers: { Authorization: 'Bearer t0ken' } });
    expect((await client.webhookEndpoints.update(ep.id, { description: 'orders', timeout_seconds: 5 })).description).toBe('orders');
    expect((await client.webhookEndpoints.list({ limit: 1000 })).items.map((e) => e.id)).toContain(ep.id);

    const published = await client.events.publish({ type: 'order.created', data: { n: 1 }, id: `order-${kind}-1` });
    expect(published).toMatchObject({ duplicate: false, deliveries: 1, event: { id: `order-${kind}-1`, type: 'order.created', data: { n: 1 } } });
    const dup = await client.events.publish({ type: 'order.created', data: { n: 2 }, id: `order-${kind}-1` });
    expect(dup).toMatchObject({ duplicate: true, deliveries: 0, event: { data: { n: 1 } } });
    expect(await client.events.get(`order-${kind}-1`)).toMatchObject({ id: `order-${kind}-1`, type: 'order.created', data: { n: 1 } });

    const delivered = await until('the delivery', async () => {
      const page = await client.deliveries.list({ endpoint_id: ep.id, status: 'delivered' });
      return page.items[0];
    });
    expect(delivered).toMatchObject({ endpoint_id: ep.id, event_type: 'order.created', attempts: 1 });
    const detail = await client.deliveries.get(delivered.id);
    expect(detail.event).toMatchObject({ id: `order-${kind}-1` });
    expect(detail.history[0]).toMatchObject({ attempt: 1, status_code: 200 });
    const retried = await client.deliveries.retry(delivered.id);
    expect(retried.status).toBe('pending');
    await until('the retried delivery', async () => ((await client.deliveries.get(delivered.id)).attempts === 2 ? true : undefined));

    const test = await client.webhookEndpoints.sendTest(ep.id);
    expect(test.event_id).toMatch(/^evt_/);
    await until('the test event', async () => recv.received.find((r) => r.body.includes(test.event_id)));

    expect((await client.webhookEndpoints.disable(ep.id)).enabled).toBe(false);
    expect((await apiError(client.webhookEndpoints.sendTest(ep.id))).code).toBe('endpoint_disabled');
    expect((await client.webhookEndpoints.enable(ep.id)).enabled).toBe(true);
    const rotated = await client.webhookEndpoints.rotateSecret(ep.id, { grace_period_seconds: 60 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret_rotation_ends_at).not.toBeNull();
    expect((await client.webhookEndpoints.rotateSecret(ep.id)).secret).not.toBe(rotated.secret);
    const replay = await client.webhookEndpoints.replay(ep.id, { since: new Date(Date.now() - 3_600_000) });
    expect(replay.enqueued).toBe(1);

    await client.webhookEndpoints.delete(ep.id);
    expect((await apiError(client.webhookEndpoints.get(ep.id))).status).toBe(404);
  });

  it('iterate() and listAll() walk every page', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await client.webhookEndpoints.create({ url: `${recv.url}/page/${i}`, events: ['page.*'] })).id);
    const seen: string[] = [];
    for await (const ep of client.webhookEndpoints.iterate({ limit: 2 })) seen.push(ep.id);
    expect(seen).toEqual(expect.arrayContaining(made));
    expect(new Set(seen).size).toBe(seen.length);
    const total = (await client.webhookEndpoints.list({ limit: 1 })).total;
    expect(total).toBeGreaterThan(2);
    expect(seen.length).toBe(total);
    expect((await client.webhookEndpoints.listAll({ limit: 3 })).map((e) => e.id).sort()).toEqual([...seen].sort());
    // Starting from an offset walks the rest only.
    const rest: string[] = [];
    for await (const ep of client.webhookEndpoints.iterate({ limit: 2, offset: 3 })) rest.push(ep.id);
    expect(rest).toEqual(seen.slice(3));
  });

  it('crews, agents, runs, callbacks, schedules and named webhook triggers', async () => {
    const crew = await client.crews.create({ id: 'sdk', name: 'SDK crew' });
    expect(crew).toMatchObject({ id: 'sdk', name: 'SDK crew' });
    expect(await client.crews.get('sdk')).toMatchObject({ id: 'sdk' });
    const crews = await client.crews.list();
    expect(crews).toMatchObject({ total: crews.items.length, offset: 0 });
    expect(crews.items.map((c) => c.id)).toContain('sdk');
    expect((await client.crews.listAll()).map((c) => c.id)).toContain('sdk');

    const agent = await client.agents.create({
      id: 'echo',
      crew_id: 'sdk',
      name: 'Echo',
      runner: 'command',
      runner_config: ECHO,
      prompt_template: 'Be brief.',
    });
    expect(agent.webhook_secret).toMatch(/^hltr_/);
    expect(agent.trigger_url).toBe('/api/v1/webhooks/sdk/echo/trigger');
    expect((await client.agents.update('echo', { description: 'echoes', notifications: { on_error: [] } })).description).toBe('echoes');
    expect((await client.agents.get('echo')).notifications).toEqual({ on_error: [] });
    expect((await client.agents.list({ crew_id: 'sdk' })).items.map((a) => a.id)).toEqual(['echo']);
    const rotated = await client.agents.rotateWebhookSecret('echo');
    expect(rotated.webhook_secret).not.toBe(agent.webhook_secret);

    const cb = await client.callbacks.set('echo', { url: `${recv.url}/callback`, headers: { 'X-Team': 'sdk' } });
    expect(cb.secret).toMatch(/^hlcb_/);
    expect(cb.headers).toEqual({ 'x-team': '********' });
    expect(await client.callbacks.get('echo')).not.toHaveProperty('secret');
    const newCbSecret = await client.callbacks.rotateSecret('echo');
    expect(newCbSecret.secret).not.toBe(cb.secret);

    const run = await client.runs.create('echo', { prompt: 'hello', wait: true, wait_seconds: 30 });
    expect(run).toMatchObject({ agent_id: 'echo', trigger_type: 'manual', status: 'completed' });
    expect(run.output).toMatch(/^read \d+ chars$/);
    expect(await client.runs.get(run.id)).toMatchObject({ id: run.id, status: 'completed' });
    expect((await client.runs.list({ agent_id: 'echo' })).items.map((r) => r.id)).toContain(run.id);
    expect((await client.agents.runs('echo')).items.map((r) => r.id)).toContain(run.id);
    const logs = await client.runs.logs(run.id);
    expect(logs.run_status).toBe('completed');
    expect(logs.items.map((l) => l.line).join('\n')).toContain('read ');
    expect((await client.runs.logs(run.id, { after_seq: logs.items.at(-1)!.seq })).items).toEqual([]);
    expect((await client.agents.logs('echo', { limit: 5 })).items[0]).toMatchObject({ run_id: run.id });

    // The generated types (from the routes' response schemas) list exactly the fields the server sends.
    expect(Object.keys(await client.crews.get('sdk')).sort()).toEqual(['created_at', 'id', 'name', 'updated_at']);
    expect(Object.keys(agent).sort()).toEqual([
      'callback_url',
      'created_at',
      'crew_id',
      'description',
      'id',
      'max_concurrent_runs',
      'model',
      'name',
      'notifications',
      'prompt_template',
      'rate_limit_per_minute',
      'runner',
      'runner_config',
      'source',
      'source_path',
      'timeout_seconds',
      'trigger_url',
      'updated_at',
      'webhook_secret',
    ]);
    expect(Object.keys(run).sort()).toEqual([
      'agent_id',
      'created_at',
      'crew_id',
      'duration_seconds',
      'error',
      'exit_code',
      'finished_at',
      'id',
      'output',
      'prompt',
      'started_at',
      'status',
      'trigger_id',
      'trigger_name',
      'trigger_type',
      'usage',
    ]);
    expect(Object.keys(run.usage).sort()).toEqual(['iterations_used', 'tokens_used', 'tool_calls']);
    expect(Object.keys(logs.items[0]!).sort()).toEqual(['at', 'line', 'run_id', 'seq', 'stream']);
    expect(Object.keys(agent.runner_config).sort()).toEqual(['args', 'command', 'cwd', 'env']);

    // The callback of that run arrives, and its delivery is in the notification log.
    await until('the callback', async () => recv.received.find((r) => r.path === '/callback' && r.body.includes(run.id)));
    const note = await until(
      'the callback notification',
      async () => (await client.notifications.list({ execution_id: run.id, channel: 'callback', status: 'delivered' })).items[0],
    );
    expect(await client.notifications.get(note.id)).toMatchObject({ id: note.id, channel: 'callback', agent_id: 'echo' });
    expect((await client.notifications.retry(note.id)).id).toBe(note.id);

    const reported = await client.runs.report({ agent_id: 'echo', status: 'completed', output: 'done elsewhere', external_id: `ext-${kind}` });
    expect(reported).toMatchObject({ status: 'completed', output: 'done elsewhere', duplicate: false });
    expect((await client.runs.report({ agent_id: 'echo', status: 'completed', external_id: `ext-${kind}` })).duplicate).toBe(true);

    await client.agents.create({ id: 'hold', crew_id: 'sdk', name: 'Hold', runner: 'command', runner_config: HOLD });
    const held: Run = await client.runs.create('hold', { prompt: 'wait' });
    await until('the held run to start', async () => ((await client.runs.get(held.id)).status === 'running' ? true : undefined));
    await client.runs.cancel(held.id);
    expect(
      await until('the cancel', async () => {
        const r = await client.runs.get(held.id);
        return r.status === 'cancelled' ? r : undefined;
      }),
    ).toMatchObject({ status: 'cancelled' });

    const sched = await client.schedules.create({ agent_id: 'echo', name: 'nightly', cron: '0 3 * * *', prompt: 'nightly run' });
    expect(sched).toMatchObject({ agent_id: 'echo', name: 'nightly', enabled: true, timezone: 'UTC' });
    expect(sched.next_runs).toHaveLength(3);
    expect((await client.schedules.update(sched.id, { timezone: 'Europe/Berlin' })).timezone).toBe('Europe/Berlin');
    expect(await client.schedules.get(sched.id)).toMatchObject({ id: sched.id });
    expect((await client.schedules.list({ agent_id: 'echo' })).items.map((s) => s.id)).toEqual([sched.id]);
    const fired = await client.schedules.run(sched.id);
    expect(fired).toMatchObject({ agent_id: 'echo', trigger_type: 'schedule', trigger_id: sched.id });

    const trig = await client.webhookTriggers.create('echo', { name: 'github', scheme: 'github', prompt_template: 'Review.' });
    expect(trig).toMatchObject({ name: 'github', scheme: 'github', url: '/api/v1/webhooks/sdk/echo/github' });
    expect(trig.secret).toMatch(/^hltr_/);
    expect(Object.keys(trig).sort()).toEqual([
      'agent_id',
      'created_at',
      'crew_id',
      'enabled',
      'id',
      'name',
      'prompt_template',
      'scheme',
      'secret',
      'updated_at',
      'url',
    ]);
    expect(await client.webhookTriggers.get(trig.id)).not.toHaveProperty('secret');
    expect((await client.webhookTriggers.list({ agent_id: 'echo' })).items.map((t) => t.id)).toEqual([trig.id]);
    expect((await client.webhookTriggers.update(trig.id, { enabled: false })).enabled).toBe(false);
    expect((await client.webhookTriggers.rotateSecret(trig.id)).secret).not.toBe(trig.secret);
    expect((await client.webhookTriggers.rotateSecret(trig.id, { secret: 'my-own-secret-0123456789' })).secret).toBe('my-own-secret-0123456789');

    const report = await client.agents.reload();
    expect(report).toMatchObject({ loaded: [], removed: [], errors: [] });
    expect(Object.keys(report).sort()).toEqual(['dir', 'errors', 'loaded', 'removed']);

    await client.webhookTriggers.delete(trig.id);
    await client.schedules.delete(sched.id);
    await client.callbacks.delete('echo');
    expect((await apiError(client.callbacks.get('echo'))).code).toBe('not_found');
    expect((await apiError(client.crews.delete('sdk'))).code).toBe('crew_not_empty');
    await client.agents.delete('hold');
    await client.agents.delete('echo');
    await client.crews.delete('sdk');
    expect((await apiError(client.crews.get('sdk'))).status).toBe(404);
  });

  it('post-actions, bindings, preview and run history', async () => {
    await client.crews.create({ id: 'pa', name: 'PA' });
    await client.agents.create({ id: 'pa-echo', crew_id: 'pa', name: 'PA Echo', runner: 'command', runner_config: ECHO });
    const trig = await client.webhookTriggers.create('pa-echo', { name: 'hook' });
    const pa = await client.postActions.create({
      name: 'notify',
      method: 'POST',
      url: `${recv.url}/post-action`,
      body_template: '{"run":"{{run_id}}"}',
      auth: { type: 'bearer', token: 'secret-token' },
    });
    expect(pa).toMatchObject({ name: 'notify', method: 'POST', auth: { type: 'bearer' } });
    expect(JSON.stringify(pa)).not.toContain('secret-token');
    expect((await client.postActions.update(pa.id, { retry_count: 0 })).retry_count).toBe(0);
    expect(await client.postActions.get(pa.id)).toMatchObject({ id: pa.id });
    expect((await client.postActions.list()).items.map((p) => p.id)).toContain(pa.id);
    const preview = await client.postActions.preview({ body_template: '{"x":"{{ run_id }}"}' });
    expect(preview.source).toBe('sample');
    expect(preview.errors).toEqual([]);
    expect(JSON.parse(preview.body!)).toHaveProperty('x');

    const binding = await client.bindings.create(pa.id, { trigger_type: 'webhook', trigger_id: 'pa-echo', fire_when: 'success' });
    expect(binding).toMatchObject({ post_action_id: pa.id, trigger_type: 'webhook', trigger_id: 'pa-echo', fire_when: 'success' });
    const second = await client.bindings.create(pa.id, { trigger_type: 'webhook', trigger_id: trig.id });
    expect(await client.bindings.get(pa.id, binding.id)).toMatchObject({ id: binding.id });
    expect((await client.bindings.update(pa.id, binding.id, { fire_when: 'any' })).fire_when).toBe('any');
    expect((await client.bindings.list(pa.id)).items.map((b) => b.id).sort()).toEqual([binding.id, second.id].sort());
    expect((await client.bindings.listAll(pa.id, { limit: 1 })).length).toBe(2);
    const forTrigger = await client.bindings.forTrigger('webhook', trig.id);
    expect(forTrigger.items).toHaveLength(1);
    expect(forTrigger.items[0]).toMatchObject({ id: second.id, post_action: { id: pa.id } });

    // Fire it: a run from the agent's own URL, signed as docs/agents-and-triggers.md says.
    const body = JSON.stringify({ event: 'sdk.test' });
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode((await client.agents.rotateWebhookSecret('pa-echo')).webhook_secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const sig = [...new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const res = await fetch(`${h.url}/api/v1/webhooks/pa/pa-echo/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sig },
      body,
    });
    expect(res.status).toBe(202);
    const history = await until('the post-action run', async () => (await client.postActions.runs(pa.id)).items.find((r) => r.status === 'success'));
    expect(history).toMatchObject({ http_status_code: 200, binding_id: binding.id });

    await client.bindings.delete(pa.id, second.id);
    expect((await apiError(client.bindings.get(pa.id, second.id))).status).toBe(404);
    await client.postActions.delete(pa.id);
    expect((await apiError(client.postActions.get(pa.id))).code).toBe('not_found');
  });

  it('keys: create, list, a read-only key is refused changes, revoke', async () => {
    const created = await client.keys.create({ name: 'sdk-read', role: 'read' });
    expect(created.key).toMatch(/^hl_sk_/);
    const listed = await client.keys.list();
    expect(listed.total).toBe(listed.items.length);
    expect(listed.items.find((k) => k.id === created.id)).toMatchObject({ name: 'sdk-read', role: 'read' });
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const reader = new Hookline({ apiKey: created.key, baseUrl: h.url });
    expect((await reader.settings.get()).store).toBe(kind);
    const forbidden = await apiError(reader.webhookEndpoints.create({ url: `${recv.url}/x`, events: ['*'] }));
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden' });
    await client.keys.revoke(created.id);
    expect(await apiError(reader.settings.get())).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await apiError(client.keys.revoke(created.id))).status).toBe(404);
  });

  it('inspector bins and their captured requests', async () => {
    const bin = await client.inspector.bins.create({ name: `sdk-${kind}`, secret: 'bin-secret-value', scheme: 'x-signature' });
    expect(bin).toMatchObject({ name: `sdk-${kind}`, has_secret: true, scheme: 'x-signature', request_count: 0 });
    expect((await client.inspector.bins.list()).items.map((b) => b.name)).toContain(bin.name);
    expect((await client.inspector.bins.update(bin.name, { secret: null })).has_secret).toBe(false);
    const sent = await fetch(bin.url + '/sub?x=1', { method: 'PUT', body: 'hello bin' });
    expect(sent.status).toBe(200);
    const captured = await until('the capture', async () => (await client.inspector.requests.list(bin.name)).items[0]);
    expect(captured).toMatchObject({ method: 'PUT', body: 'hello bin', query: { x: '1' } });
    expect(await client.inspector.requests.get(bin.name, captured.id)).toMatchObject({ id: captured.id });
    expect(await client.inspector.bins.get(bin.name)).toMatchObject({ request_count: 1 });
    await client.inspector.requests.clear(bin.name);
    expect((await client.inspector.requests.list(bin.name)).total).toBe(0);
    await client.inspector.bins.delete(bin.name);
    expect((await apiError(client.inspector.bins.get(bin.name))).status).toBe(404);
  });

  it('stats and settings', async () => {
    const stats = await client.stats.overview({ hours: 2 });
    expect(stats.bucket_seconds).toBe(300);
    expect(stats.runs.buckets.length).toBeGreaterThan(0);
    expect(stats.deliveries.totals.delivered).toBeGreaterThan(0);
    const settings = await client.settings.get();
    expect(settings).toMatchObject({ store: kind, delivery: { allow_networks: ['127.0.0.1/32'] } });
  });

  it("maps the server's errors: status, code, message and details", async () => {
    const missing = await apiError(client.webhookEndpoints.get('ep_nope'));
    expect(missing).toMatchObject({ status: 404, code: 'not_found', method: 'GET', path: '/api/v1/webhooks/endpoints/ep_nope' });
    expect(missing.message).toContain('ep_nope');
    const invalid = await apiError(client.webhookEndpoints.create({ url: `${recv.url}/x` } as never));
    expect(invalid).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(invalid.message).toContain('events');
    expect(invalid.details).toEqual([expect.stringContaining('events')]);
    expect(await apiError(client.webhookEndpoints.create({ url: 'ftp://example.com/', events: ['*'] }))).toMatchObject({ status: 422, code: 'invalid_url' });
    expect(await apiError(client.events.publish({ type: 'run.completed' }))).toMatchObject({ status: 422, code: 'invalid_event_type' });
    expect(await apiError(client.stats.overview({ hours: 999 }))).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(await apiError(new Hookline({ apiKey: 'hl_sk_wrong', baseUrl: h.url }).settings.get())).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
