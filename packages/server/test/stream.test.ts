/**
 * The live stream, WebSocket /api/v1/stream, against real Hookline instances on both stores:
 * authentication and its refusals, run.* / agent.log / delivery.* / event.published as they
 * happen, protocol errors, limits, and (PostgreSQL) several processes sharing one stream.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, STORES, startHookline } from './helpers/hookline.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { Receiver } from './helpers/receiver.js';
import { StreamClient } from './helpers/stream-client.js';
import { until } from './helpers/wait.js';

const node = process.execPath;
const CHATTY = `console.log('one');console.error('two');console.log('three')`;
// Prints its lines once the file named by its first argument exists, so a test can subscribe first.
const GATED = `const fs=require('fs');const t=setInterval(()=>{if(fs.existsSync(process.argv[1])){clearInterval(t);console.log('one');console.error('two');console.log('three')}},10)`;
const STREAM_LIMITS = { max_connections: 12, max_subscriptions: 3, send_buffer_bytes: 16_384, ping_interval: '300ms', auth_timeout: '500ms' };

const runTopics = (c: StreamClient, sub: string, runId: string) =>
  c
    .messages(sub)
    .filter((m) => m.data.id === runId)
    .map((m) => m.topic);

describe.each(STORES)('live stream /api/v1/stream (%s)', (kind) => {
  let h: Harness;
  let rx: Receiver;
  let dir: string;
  const clients: StreamClient[] = [];
  const open = async (o: Parameters<typeof StreamClient.open>[1] = {}) => {
    const c = await StreamClient.open(h.url, o);
    clients.push(c);
    return c;
  };
  const ready = async (key = ADMIN_KEY) => {
    const c = await StreamClient.ready(h.url, key);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-stream-'));
    rx = await new Receiver().start();
    h = await startHookline(kind, { overrides: { stream: STREAM_LIMITS } });
    expect((await h.call('POST', '/api/v1/crews', { id: 'acme', name: 'Acme' })).status).toBe(201);
    expect((await h.call('POST', '/api/v1/crews', { id: 'other', name: 'Other' })).status).toBe(201);
    expect(
      (
        await h.call('POST', '/api/v1/agents', {
          id: 'chatty',
          crew_id: 'acme',
          name: 'Chatty',
          runner: 'command',
          runner_config: { command: node, args: ['-e', CHATTY] },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await h.call('POST', '/api/v1/agents', {
          id: 'gated',
          crew_id: 'acme',
          name: 'Gated',
          runner: 'command',
          max_concurrent_runs: 4,
          runner_config: { command: node, args: ['-e', GATED, join(dir, 'gate')] },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await h.call('POST', '/api/v1/agents', {
          id: 'outsider',
          crew_id: 'other',
          name: 'Outsider',
          runner: 'command',
          runner_config: { command: node, args: ['-e', CHATTY] },
        })
      ).status,
    ).toBe(201);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await h.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('authentication', () => {
    it('accepts an API key in the Authorization header of the upgrade', async () => {
      const c = await open({ key: ADMIN_KEY });
      expect((await c.next((f) => f.type !== undefined)).type).toBe('ready');
    });

    it('accepts an auth first message (browsers cannot set headers)', async () => {
      const c = await open();
      c.send({ type: 'auth', api_key: ADMIN_KEY });
      await c.next((f) => f.type === 'ready');
      await c.subscribe('s1', ['run.*']);
    });

    it('lets a read-only key subscribe', async () => {
      const key = (await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key;
      const c = await ready(key);
      await c.subscribe('s1', ['*']);
    });

    it('closes with 4401 when the first message is not auth, without waiting for the timeout', async () => {
      const c = await open();
      c.send({ type: 'subscribe', id: 's1', topics: ['run.*'] });
      expect((await c.closed()).code).toBe(4401);
      expect(c.frames).toContainEqual(expect.objectContaining({ type: 'error', code: 'unauthorized' }));
      expect(c.frames.some((f) => f.type === 'ready' || f.type === 'subscribed')).toBe(false);
    });

    it('closes with 4401 when no key arrives within auth_timeout', async () => {
      const c = await open();
      expect(await c.closed()).toMatchObject({ code: 4401, reason: expect.stringMatching(/no API key/) });
    });

    it('refuses a wrong key, by header or by message', async () => {
      const byHeader = await open({ key: 'hl_sk_wrong_0123456789abcdef0123' });
      expect((await byHeader.closed()).code).toBe(4401);
      const byMessage = await open();
      byMessage.send({ type: 'auth', api_key: 'hl_sk_wrong_0123456789abcdef0123' });
      expect((await byMessage.closed()).code).toBe(4401);
      expect(byMessage.frames.some((f) => f.type === 'ready')).toBe(false);
    });

    it('refuses a revoked key, and closes a connection whose key is revoked while it is open', async () => {
      const k = (await h.call('POST', '/api/v1/keys', { name: 'temp' })).body;
      const live = await ready(k.key);
      expect((await h.call('DELETE', `/api/v1/keys/${k.id}`)).status).toBe(204);
      const again = await open({ key: k.key });
      expect((await again.closed()).code).toBe(4401);
      // The next heartbeat re-checks the key.
      expect(await live.closed()).toMatchObject({ code: 4401, reason: expect.stringMatching(/revoked/) });
    });

    it('never takes a key from the query string, even a valid one', async () => {
      for (const path of [`/api/v1/stream?api_key=${ADMIN_KEY}`, `/api/v1/stream?token=${ADMIN_KEY}`, `/api/v1/stream?x=${ADMIN_KEY}`]) {
        const c = await open({ path });
        expect((await c.closed()).code, path).toBe(4401);
        expect(c.frames.some((f) => f.type === 'ready')).toBe(false);
      }
    });
  });

  describe('topics', () => {
    it('shows a manual run queued → started → completed, in order, each with the run view', async () => {
      const c = await ready();
      await c.subscribe('runs', ['run.*'], { agent_id: 'chatty' });
      const run = (await h.call('POST', '/api/v1/agents/chatty/runs', { prompt: 'hello' })).body;
      await c.next((f) => f.type === 'message' && f.topic === 'run.completed' && f.data.id === run.id);
      expect(runTopics(c, 'runs', run.id)).toEqual(['run.queued', 'run.started', 'run.completed']);
      const [queued, started, completed] = c.messages('runs').filter((m) => m.data.id === run.id);
      expect(queued!.data).toMatchObject({ id: run.id, agent_id: 'chatty', crew_id: 'acme', status: 'queued', prompt: 'hello', started_at: null });
      expect(started!.data).toMatchObject({ status: 'running', started_at: expect.any(String) });
      expect(completed!.data).toMatchObject({ status: 'completed', exit_code: 0, output: expect.stringContaining('one'), finished_at: expect.any(String) });
      expect(completed!.data).toEqual((await h.call('GET', `/api/v1/runs/${run.id}`)).body);
      expect(new Date(completed!.at).toISOString()).toBe(completed!.at);
    });

    it('shows failed and cancelled runs under their own topics', async () => {
      await h.call('POST', '/api/v1/agents', {
        id: 'broken',
        crew_id: 'acme',
        name: 'Broken',
        runner: 'command',
        runner_config: { command: node, args: ['-e', 'process.exit(3)'] },
      });
      // Waits for a file that never appears: runs until cancelled; one at a time, so the second stays queued.
      await h.call('POST', '/api/v1/agents', {
        id: 'held',
        crew_id: 'acme',
        name: 'Held',
        runner: 'command',
        runner_config: { command: node, args: ['-e', GATED, join(dir, 'never')] },
      });
      const c = await ready();
      await c.subscribe('ended', ['run.completed', 'run.failed', 'run.timeout', 'run.cancelled']);
      const failed = (await h.call('POST', '/api/v1/agents/broken/runs', {})).body;
      expect((await c.next((f) => f.data?.id === failed.id)).topic).toBe('run.failed');
      const first = (await h.call('POST', '/api/v1/agents/held/runs', {})).body;
      const second = (await h.call('POST', '/api/v1/agents/held/runs', {})).body;
      expect((await h.call('POST', `/api/v1/runs/${second.id}/cancel`)).body.status).toBe('cancelled');
      const m = await c.next((f) => f.data?.id === second.id);
      expect(m).toMatchObject({ topic: 'run.cancelled', data: { status: 'cancelled', error: 'cancelled before it started' } });
      for (let i = 0; i < 200 && (await h.call('GET', `/api/v1/runs/${first.id}`)).body.status !== 'running'; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await h.call('POST', `/api/v1/runs/${first.id}/cancel`)).body.status).toBe('cancelled');
      expect((await c.next((f) => f.data?.id === first.id)).topic).toBe('run.cancelled');
    });

    it('streams agent.log lines of one run only, in order, before its run.completed', async () => {
      rmSync(join(dir, 'gate'), { force: true });
      const a = (await h.call('POST', '/api/v1/agents/gated/runs', {})).body;
      const b = (await h.call('POST', '/api/v1/agents/gated/runs', {})).body;
      const c = await ready();
      await c.subscribe('logs', ['agent.log'], { run_id: a.id });
      await c.subscribe('done', ['run.completed'], { agent_id: 'gated' });
      writeFileSync(join(dir, 'gate'), '');
      await c.next((f) => f.subscription === 'done' && f.data.id === a.id);
      await c.next((f) => f.subscription === 'done' && f.data.id === b.id);
      const lines = c.messages('logs').map((m) => m.data);
      // stdout and stderr are separate pipes: their lines interleave as they arrive.
      expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
      expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual(['one', 'three']);
      expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['two']);
      expect(lines.every((l) => l.run_id === a.id && l.agent_id === 'gated' && typeof l.at === 'string')).toBe(true);
      // Everything a run logged arrives before its run.completed.
      const doneAt = c.frames.findIndex((f) => f.subscription === 'done' && f.data.id === a.id);
      expect(c.frames.findLastIndex((f) => f.subscription === 'logs')).toBeLessThan(doneAt);
      // The same lines the API stores.
      const stored = (await h.call('GET', `/api/v1/runs/${a.id}/logs`)).body.items.map((l: any) => [l.seq, l.line]);
      expect(lines.map((l) => [l.seq, l.line])).toEqual(stored);
    });

    it('workspace:{crew_id} (a crew channel) carries run.* and agent.log of that crew only', async () => {
      const c = await ready();
      await c.subscribe('ws', ['workspace:acme']);
      const mine = (await h.call('POST', '/api/v1/agents/chatty/runs', {})).body;
      const theirs = (await h.call('POST', '/api/v1/agents/outsider/runs', {})).body;
      await c.next((f) => f.subscription === 'ws' && f.topic === 'run.completed' && f.data.id === mine.id);
      // Wait for the other crew's run to end too, so its messages would have arrived.
      for (;;) {
        const r = (await h.call('GET', `/api/v1/runs/${theirs.id}`)).body;
        if (r.status !== 'queued' && r.status !== 'running') break;
        await new Promise((res) => setTimeout(res, 20));
      }
      const got = c.messages('ws');
      expect(new Set(got.map((m) => m.topic))).toEqual(new Set(['run.queued', 'run.started', 'agent.log', 'run.completed']));
      expect(got.every((m) => (m.topic === 'agent.log' ? m.data.run_id : m.data.id) === mine.id)).toBe(true);
    });

    it('shows event.published and delivery.succeeded for an event delivered to a real receiver', async () => {
      const ep = (await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['custom.*'] })).body;
      const c = await ready();
      await c.subscribe('events', ['event.published'], { event_types: ['custom.*'] });
      await c.subscribe('deliveries', ['delivery.*'], { endpoint_id: ep.id });
      const before = rx.received.length;
      const published = (await h.call('POST', '/api/v1/events', { type: 'custom.order_paid', data: { order: 42 } })).body;
      await h.call('POST', '/api/v1/events', { type: 'other.thing', data: {} });
      const d = await c.next((f) => f.subscription === 'deliveries' && f.topic === 'delivery.succeeded');
      expect(d.data).toMatchObject({
        delivery_id: expect.stringMatching(/^dlv_/),
        event_id: published.event.id,
        event_type: 'custom.order_paid',
        endpoint_id: ep.id,
        attempt: 1,
        status_code: 200,
        duration_ms: expect.any(Number),
        next_attempt_at: null,
      });
      expect(rx.received.length).toBeGreaterThan(before);
      const e = await c.next((f) => f.subscription === 'events');
      expect(e.topic).toBe('event.published');
      expect(e.data).toEqual(published.event);
      expect(e.data).toEqual((await h.call('GET', `/api/v1/events/${published.event.id}`)).body);
      expect(c.messages('events').map((m) => m.data.type)).toEqual(['custom.order_paid']);
    });

    it('shows delivery.retrying with the next attempt time when the receiver fails', async () => {
      const failing = await new Receiver().start();
      failing.respond = (_req, res) => void res.writeHead(503).end('down');
      try {
        const ep = (await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${failing.url}/hook`, events: ['flaky.*'] })).body;
        const c = await ready();
        await c.subscribe('d', ['delivery.*'], { endpoint_id: ep.id });
        await h.call('POST', '/api/v1/events', { type: 'flaky.thing', data: {} });
        const d = await c.next((f) => f.subscription === 'd');
        expect(d).toMatchObject({
          topic: 'delivery.retrying',
          data: { endpoint_id: ep.id, attempt: 1, status_code: 503, next_attempt_at: expect.any(String), error: 'HTTP 503' },
        });
        await h.call('DELETE', `/api/v1/webhooks/endpoints/${ep.id}`);
      } finally {
        await failing.close();
      }
    });

    it('cuts a huge event to fit, flags it truncated, and the full one is fetchable by id', async () => {
      const c = await ready();
      await c.subscribe('big', ['event.published'], { event_types: ['big.*'] });
      const published = (await h.call('POST', '/api/v1/events', { type: 'big.blob', data: { text: 'z'.repeat(100_000) } })).body;
      const m = await c.next((f) => f.subscription === 'big');
      expect(m.data).toMatchObject({ id: published.event.id, type: 'big.blob', truncated: true });
      expect(m.data.data.text.endsWith('…[truncated]')).toBe(true);
      expect(JSON.stringify(m.data).length).toBeLessThan(8000);
      expect((await h.call('GET', `/api/v1/events/${published.event.id}`)).body.data.text).toHaveLength(100_000);
    });
  });

  describe('protocol', () => {
    it('answers bad messages with error frames and keeps the connection', async () => {
      const c = await ready();
      c.send('{not json');
      c.send(JSON.stringify([1, 2]));
      c.send({ type: 'dance' });
      c.send({ type: 'subscribe', id: 'x', topics: ['runs.*'] });
      c.send({ type: 'subscribe', id: 'y', topics: [] });
      c.send({ type: 'subscribe', id: 'z', topics: ['run.*'], agentId: 'typo' });
      c.send({ type: 'subscribe', topics: ['run.*'] });
      c.send({ type: 'unsubscribe', id: 'never' });
      c.send({ type: 'auth', api_key: ADMIN_KEY });
      c.ws.send(Buffer.from([1, 2, 3]));
      c.send({ type: 'ping' });
      await c.next((f) => f.type === 'pong');
      expect(c.frames.filter((f) => f.type === 'error').map((f) => f.code)).toEqual([
        'invalid_json',
        'invalid_json',
        'unknown_type',
        'unknown_topic',
        'invalid_subscription',
        'invalid_subscription',
        'invalid_subscription',
        'unknown_subscription',
        'already_authenticated',
        'invalid_message',
      ]);
      expect(c.frames.find((f) => f.code === 'unknown_topic')).toMatchObject({ id: 'x', message: expect.stringMatching(/unknown topic "runs\.\*"/) });
      expect(c.closeInfo).toBeUndefined();
      await c.subscribe('ok', ['run.*']);
    });

    it('unsubscribes, and replaces a subscription subscribed again under the same id', async () => {
      const c = await ready();
      await c.subscribe('s', ['run.*'], { agent_id: 'outsider' });
      await c.subscribe('s', ['run.*'], { agent_id: 'chatty' });
      c.send({ type: 'unsubscribe', id: 's' });
      await c.next((f) => f.type === 'unsubscribed' && f.id === 's');
      await c.subscribe('t', ['run.queued'], { agent_id: 'chatty' });
      const run = (await h.call('POST', '/api/v1/agents/chatty/runs', {})).body;
      await c.next((f) => f.subscription === 't' && f.data.id === run.id);
      expect(c.messages('s')).toEqual([]);
    });

    it('caps subscriptions per connection', async () => {
      const c = await ready();
      for (const id of ['a', 'b', 'c']) await c.subscribe(id, ['run.*']);
      c.send({ type: 'subscribe', id: 'd', topics: ['run.*'] });
      expect(await c.next((f) => f.type === 'error')).toMatchObject({ code: 'too_many_subscriptions', id: 'd' });
    });

    it('closes a client that stops answering pings', async () => {
      const c = await open({ key: ADMIN_KEY, autoPong: false });
      await c.next((f) => f.type === 'ready');
      expect((await c.closed()).code).toBe(1006);
    });

    it('refuses connections past max_connections with 1013', async () => {
      const opened: StreamClient[] = [];
      let refused: { code: number; reason: string } | undefined;
      for (let i = 0; i <= STREAM_LIMITS.max_connections && !refused; i++) {
        const c = await open({ key: ADMIN_KEY });
        opened.push(c);
        const f = await c.until(() => c.closeInfo ?? c.frames.find((x) => x.type === 'ready'), 5000, 'ready or close');
        if ('code' in f) refused = f as { code: number; reason: string };
      }
      expect(refused).toMatchObject({ code: 1013, reason: expect.stringMatching(/try again later/) });
      expect(opened.length).toBeLessThanOrEqual(STREAM_LIMITS.max_connections + 1);
      expect(await h.call('GET', '/metrics').then((r) => r.body)).toMatch(/hookline_stream_connections \d+/);
      for (const c of opened) c.close();
      // Closed connections free their slots.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const c = await open({ key: ADMIN_KEY });
        const f = await c.until(() => c.closeInfo ?? c.frames.find((x) => x.type === 'ready'), 5000, 'ready or close');
        if (!('code' in f)) break;
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
});

// The send-buffer bound is per socket in the API process, whatever the store; one store suffices.
describe('live stream: a client that does not read', () => {
  let h: Harness;
  const clients: StreamClient[] = [];
  const ready = async (key = ADMIN_KEY) => {
    const c = await StreamClient.ready(h.url, key);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    // This client stops reading on purpose, so it cannot answer pings: with the 300 ms heartbeat
    // of the other tests, a slow machine would see it terminated as dead mid-test.
    h = await startHookline('sqlite', { overrides: { stream: { ...STREAM_LIMITS, ping_interval: '60s' } } });
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.close();
    await h.close();
  });

  it('drops messages for a client that does not read, counts them, and says how many when it catches up', async () => {
    const c = await ready();
    await c.subscribe('logs', ['agent.log'], { run_id: 'run_flood' });
    c.ws.pause();
    const line = 'x'.repeat(6000);
    const dropped = async () => Number(/hookline_stream_dropped_total\{reason="slow_client"\} (\d+)/.exec((await h.call('GET', '/metrics')).body)?.[1] ?? 0);
    const start = await dropped();
    // Enough to fill the kernel's socket buffers and then the 16 KiB send buffer.
    for (let i = 0; i < 20_000 && (await dropped()) === start; i += 500) {
      for (let j = 0; j < 500; j++) h.hl.stream.emit('agent.log', { run_id: 'run_flood', seq: i + j, line }, { env_id: 'env_default', run_id: 'run_flood' });
      await new Promise((r) => setImmediate(r));
    }
    const lost = (await dropped()) - start;
    expect(lost).toBeGreaterThan(0);
    c.ws.resume();
    const notice = await c.next((f) => f.type === 'dropped', 20_000);
    expect(notice.count).toBeGreaterThan(0);
    expect(notice.count).toBeLessThanOrEqual(lost);
    // And the stream goes on.
    h.hl.stream.emit('agent.log', { run_id: 'run_flood', seq: -1, line: 'after' }, { env_id: 'env_default', run_id: 'run_flood' });
    await c.next((f) => f.subscription === 'logs' && f.data.seq === -1);
  });
});

describe.runIf(STORES.includes('postgres'))('live stream across processes (postgres)', () => {
  it('an API process streams what a worker process on the same schema runs and delivers, each message once', async () => {
    const pg = await createTestSchema();
    const shared = { schema: pg.schema, applicationName: pg.applicationName };
    const rx = await new Receiver().start();
    const api = await startHookline('postgres', { ...shared, overrides: { server: { role: 'api' } } });
    const worker = await startHookline('postgres', { ...shared, overrides: { server: { role: 'worker' } } });
    const c = await StreamClient.ready(api.url, ADMIN_KEY);
    try {
      await api.call('POST', '/api/v1/crews', { id: 'acme', name: 'Acme' });
      await api.call('POST', '/api/v1/agents', {
        id: 'chatty',
        crew_id: 'acme',
        name: 'Chatty',
        runner: 'command',
        runner_config: { command: node, args: ['-e', CHATTY] },
      });
      const ep = (await api.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['run.completed'] })).body;
      await c.subscribe('runs', ['run.*', 'agent.log'], { agent_id: 'chatty' });
      await c.subscribe('deliveries', ['delivery.*'], { endpoint_id: ep.id });
      await c.subscribe('events', ['event.published'], { event_types: ['run.completed'] });
      const run = (await api.call('POST', '/api/v1/agents/chatty/runs', {})).body;
      const d = await c.next((f) => f.subscription === 'deliveries' && f.topic === 'delivery.succeeded');
      expect(d.data).toMatchObject({ endpoint_id: ep.id, event_type: 'run.completed', event_id: `evt_${run.id}`, status_code: 200 });
      // run.queued came from the API process itself (its own NOTIFY echo is ignored); the rest from the worker.
      const mine = c.messages('runs').filter((m) => (m.topic === 'agent.log' ? m.data.run_id : m.data.id) === run.id);
      expect(mine.map((m) => m.topic)).toEqual(['run.queued', 'run.started', 'agent.log', 'agent.log', 'agent.log', 'run.completed']);
      expect(mine.filter((m) => m.topic === 'agent.log').map((m) => m.data.seq)).toEqual([1, 2, 3]);
      expect(
        mine
          .filter((m) => m.topic === 'agent.log')
          .map((m) => m.data.line)
          .sort(),
      ).toEqual(['one', 'three', 'two']);
      expect(
        c
          .messages('events')
          .filter((m) => m.data.type === 'run.completed')
          .map((m) => m.data.id),
      ).toEqual([`evt_${run.id}`]);
    } finally {
      c.close();
      await worker.close();
      await api.close();
      await rx.close();
      await pg.drop();
    }
  });

  it('sends the stream to other processes only while one has a client, and a new client misses nothing published after ready', async () => {
    const schema = await createTestSchema();
    const shared = { schema: schema.schema, applicationName: schema.applicationName };
    const api = await startHookline('postgres', { ...shared, overrides: { server: { role: 'api' } } });
    const pub = await startHookline('postgres', { ...shared, overrides: { server: { role: 'api' } } });
    // A bare listener on the stream's channel: it sees every NOTIFY but announces no subscriber.
    const raw = new pg.Client({ connectionString: TEST_DATABASE_URL, application_name: schema.applicationName });
    const payloads: string[] = [];
    raw.on('notification', (n) => payloads.push(n.payload ?? ''));
    await raw.connect();
    await raw.query(`LISTEN hookline_stream_${schema.schema}`);
    let c: StreamClient | undefined;
    try {
      // No process has a client: publishing sends no stream NOTIFY (and the publisher has just asked).
      for (let i = 0; i < 5; i++) expect((await pub.call('POST', '/api/v1/events', { type: 'quiet.x', data: { i } })).status).toBe(202);
      expect(await pub.hl.store.streamHasListeners()).toBe(false);
      c = await StreamClient.ready(api.url, ADMIN_KEY);
      // The client's process counts for the others, not for itself.
      expect(await pub.hl.store.streamHasListeners()).toBe(true);
      expect(await api.hl.store.streamHasListeners()).toBe(false);
      await c.subscribe('loud', ['event.published'], { event_types: ['loud.*'] });
      expect((await pub.call('POST', '/api/v1/events', { type: 'loud.x', data: {} })).status).toBe(202);
      await c.next((f) => f.subscription === 'loud' && f.data.type === 'loud.x');
      // A channel's notifications arrive in commit order: once loud.x is here, any quiet.x would be too.
      await until('the loud.x notification', async () => payloads.some((p) => p.includes('loud.x')) || undefined);
      expect(payloads.filter((p) => p.includes('quiet.x'))).toEqual([]);
      c.close();
      await until("the client's process to withdraw", async () => !(await pub.hl.store.streamHasListeners()) || undefined);
    } finally {
      c?.close();
      await raw.end();
      await pub.close();
      await api.close();
      await schema.drop();
    }
  });

  it('two `all` processes: a subscriber on either sees every run exactly once, whoever ran it', async () => {
    const pg = await createTestSchema();
    const shared = { schema: pg.schema, applicationName: pg.applicationName };
    const a = await startHookline('postgres', shared);
    const b = await startHookline('postgres', shared);
    const ca = await StreamClient.ready(a.url, ADMIN_KEY);
    const cb = await StreamClient.ready(b.url, ADMIN_KEY);
    try {
      await a.call('POST', '/api/v1/crews', { id: 'acme', name: 'Acme' });
      await a.call('POST', '/api/v1/agents', {
        id: 'chatty',
        crew_id: 'acme',
        name: 'Chatty',
        runner: 'command',
        max_concurrent_runs: 10,
        runner_config: { command: node, args: ['-e', CHATTY] },
      });
      for (const c of [ca, cb]) {
        await c.subscribe('runs', ['run.*']);
        await c.subscribe('markers', ['event.published'], { event_types: ['marker.*'] });
      }
      const runs = [];
      for (let i = 0; i < 6; i++) runs.push((await (i % 2 ? b : a).call('POST', '/api/v1/agents/chatty/runs', {})).body.id as string);
      for (const c of [ca, cb]) for (const id of runs) await c.next((f) => f.topic === 'run.completed' && f.data.id === id);
      // A marker from each side: PostgreSQL delivers a channel's notifications in commit order,
      // so once each side has the other's marker it has also had its own earlier echoes.
      await a.call('POST', '/api/v1/events', { type: 'marker.a', data: {} });
      await b.call('POST', '/api/v1/events', { type: 'marker.b', data: {} });
      for (const c of [ca, cb]) for (const t of ['marker.a', 'marker.b']) await c.next((f) => f.subscription === 'markers' && f.data.type === t);
      for (const c of [ca, cb]) {
        for (const id of runs) expect(runTopics(c, 'runs', id)).toEqual(['run.queued', 'run.started', 'run.completed']);
      }
    } finally {
      ca.close();
      cb.close();
      await b.close();
      await a.close();
      await pg.drop();
    }
  });
});
