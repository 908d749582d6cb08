/**
 * Tenants on the delivery side (docs/tenants.md), on both stores: two orgs made through the API,
 * each with an endpoint on a real receiver. An event reaches only its own tenant's endpoints
 * and says whose it is; endpoints, deliveries, events, Inspector bins, stats and the live
 * stream of one tenant are invisible to the other, whether asked with the other's key or with
 * the installation key naming the other environment (Hookline-Env).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, answerOf, type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';
import { StreamClient } from './helpers/stream-client.js';
import { until } from './helpers/wait.js';

/** Who asks: an API key, and the headers naming a tenant if any. */
interface Caller {
  key: string;
  headers?: Record<string, string>;
}

/** One tenant's things. */
interface Side {
  org: string;
  env: string;
  caller: Caller;
  rx: Receiver;
  endpoint: string;
  event: string;
  delivery: string;
  bin: string;
  request: string;
}

describe.each(STORES)('tenant isolation, delivery side (%s)', (kind) => {
  let h: Harness;
  let a: Side;
  let b: Side;
  /** The default tenant's endpoint, subscribed to everything: it must receive nothing of A or B. */
  let rxDefault: Receiver;
  const clients: StreamClient[] = [];

  const call = async (who: Caller, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${who.key}`, ...who.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return answerOf(await fetch(h.url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
  };
  const installationIn = (s: Side): Caller => ({ key: ADMIN_KEY, headers: { 'hookline-env': s.env } });
  /** Who asks, as whom, about whose things: B with its own key, and the installation key naming A's environment. */
  const askers = (): { who: Caller; own: Side; other: Side }[] => [
    { who: b.caller, own: b, other: a },
    { who: installationIn(a), own: a, other: b },
  ];

  /** An org with an environment key, an endpoint on its own receiver, and a bin. */
  async function tenant(name: string): Promise<Side> {
    const org = await h.call('POST', '/api/v1/orgs', { name });
    expect(org.status).toBe(201);
    const env = org.body.envs[0].id as string;
    const key = await h.call('POST', '/api/v1/keys', { name: `${name} key`, org_id: org.body.id, env_id: env });
    expect(key.status).toBe(201);
    const caller = { key: key.body.key as string };
    const rx = await new Receiver().start();
    const ep = await call(caller, 'POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['order.*'] });
    expect(ep.status).toBe(201);
    const bin = await call(caller, 'POST', '/api/v1/inspector/bins', { name: `bin-${name}-${kind}` });
    expect(bin.status).toBe(201);
    return { org: org.body.id, env, caller, rx, endpoint: ep.body.id, event: '', delivery: '', bin: bin.body.name, request: '' };
  }

  /** Publishes as `s`, waits for its receiver, and notes the event, its delivery (once delivered) and a capture in its bin. */
  async function publishAndCapture(s: Side, marker: string): Promise<void> {
    const published = await call(s.caller, 'POST', '/api/v1/events', { type: 'order.paid', data: { marker } });
    expect(published.status).toBe(202);
    expect(published.body.deliveries).toBe(1); // its own endpoint only: not the other tenant's, not the default tenant's '*'
    s.event = published.body.event.id;
    const got = await until(`${marker} at its receiver`, async () => s.rx.received.find((r) => JSON.parse(r.body).id === s.event));
    const envelope = JSON.parse(got.body);
    expect([envelope.org_id, envelope.env_id, envelope.data.marker]).toEqual([s.org, s.env, marker]);
    const list = await call(s.caller, 'GET', `/api/v1/deliveries?endpoint_id=${s.endpoint}`);
    expect(list.status).toBe(200);
    s.delivery = list.body.items.find((d: { event_id: string }) => d.event_id === s.event).id;
    await until(
      `${marker} recorded as delivered`,
      async () => (await call(s.caller, 'GET', `/api/v1/deliveries/${s.delivery}`)).body.status === 'delivered' || undefined,
    );
    const captured = await answerOf(await fetch(`${h.url}/inspect/${s.bin}`, { method: 'POST', body: `captured for ${marker}` }));
    expect(captured.status).toBe(200);
    s.request = captured.body.id;
  }

  beforeAll(async () => {
    h = await startHookline(kind);
    rxDefault = await new Receiver().start();
    expect((await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rxDefault.url}/all`, events: ['*'] })).status).toBe(201);
    a = await tenant('alpha');
    b = await tenant('beta');
    await publishAndCapture(a, 'of-a');
    await publishAndCapture(b, 'of-b');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await h?.close();
    for (const rx of [a?.rx, b?.rx, rxDefault]) await rx?.close();
  });

  it("delivers an event only to its own tenant's endpoints, the envelope naming that tenant", async () => {
    expect(a.rx.received.map((r) => JSON.parse(r.body).data.marker)).toEqual(['of-a']);
    expect(b.rx.received.map((r) => JSON.parse(r.body).data.marker)).toEqual(['of-b']);
    // Both publishes counted one delivery each, so nothing was queued for the default tenant's endpoint.
    expect(rxDefault.received).toEqual([]);
    const event = await call(a.caller, 'GET', `/api/v1/events/${a.event}`);
    expect([event.status, event.body.org_id, event.body.env_id]).toEqual([200, a.org, a.env]);
  });

  it("lists only the tenant's own endpoints, deliveries, bins and captures", async () => {
    for (const { who, own, other } of askers()) {
      const endpoints = await call(who, 'GET', '/api/v1/webhooks/endpoints');
      expect([endpoints.body.total, endpoints.body.items.map((e: { id: string }) => e.id)]).toEqual([1, [own.endpoint]]);
      const deliveries = await call(who, 'GET', '/api/v1/deliveries');
      expect(deliveries.body.items.map((d: { id: string }) => d.id)).toEqual([own.delivery]);
      const filtered = await call(who, 'GET', `/api/v1/deliveries?endpoint_id=${other.endpoint}`);
      expect([filtered.status, filtered.body.total]).toEqual([200, 0]);
      const bins = await call(who, 'GET', '/api/v1/inspector/bins');
      expect(bins.body.items.map((x: { name: string; request_count: number }) => [x.name, x.request_count])).toEqual([[own.bin, 1]]);
    }
    // The default tenant (installation key, no header) sees none of theirs.
    const defaults = await h.call('GET', '/api/v1/webhooks/endpoints');
    expect(defaults.body.items.map((e: { id: string }) => e.id)).not.toContain(a.endpoint);
    expect((await h.call('GET', '/api/v1/deliveries')).body.items.map((d: { id: string }) => d.id)).toEqual([]);
  });

  it("answers 404 to every read and change of the other tenant's ids, and changes nothing", async () => {
    for (const { who, other } of askers()) {
      const ep = `/api/v1/webhooks/endpoints/${other.endpoint}`;
      const bin = `/api/v1/inspector/bins/${other.bin}`;
      const attempts: [string, string, unknown?][] = [
        ['GET', ep],
        ['PATCH', ep, { description: 'taken over' }],
        ['POST', `${ep}/disable`],
        ['POST', `${ep}/enable`],
        ['POST', `${ep}/rotate-secret`, {}],
        ['POST', `${ep}/test`],
        ['POST', `${ep}/replay`, { since: '2000-01-01T00:00:00Z' }],
        ['GET', `/api/v1/deliveries/${other.delivery}`],
        ['POST', `/api/v1/deliveries/${other.delivery}/retry`],
        ['GET', `/api/v1/events/${other.event}`],
        ['GET', bin],
        ['PATCH', bin, { scheme: 'github' }],
        ['GET', `${bin}/requests`],
        ['GET', `${bin}/requests/${other.request}`],
        ['DELETE', `${bin}/requests`],
        ['DELETE', bin],
        ['DELETE', ep],
      ];
      for (const [method, path, body] of attempts) {
        const r = await call(who, method, path, body);
        expect([method, path, r.status, r.body.error?.code]).toEqual([method, path, 404, 'not_found']);
      }
      // Everything of the other tenant is as it was.
      const endpoint = await call(other.caller, 'GET', ep);
      expect([endpoint.status, endpoint.body.description, endpoint.body.enabled, endpoint.body.secret_rotation_ends_at]).toEqual([200, '', true, null]);
      const captures = await call(other.caller, 'GET', `${bin}/requests`);
      expect([captures.status, captures.body.items.map((r: { id: string }) => r.id)]).toEqual([200, [other.request]]);
      expect((await call(other.caller, 'GET', `/api/v1/deliveries/${other.delivery}`)).body.status).toBe('delivered');
    }
    // No test event, replay or retry reached anyone.
    expect([a.rx.received.length, b.rx.received.length]).toEqual([1, 1]);
  });

  it('keeps event ids unique in the installation without showing another tenant its event', async () => {
    const id = `evt_shared_${kind}`;
    const first = await call(a.caller, 'POST', '/api/v1/events', { id, type: 'misc.secret', data: { only: 'for alpha' } });
    expect(first.status).toBe(202);
    const taken = await call(b.caller, 'POST', '/api/v1/events', { id, type: 'misc.secret', data: { from: 'beta' } });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'conflict']);
    expect(JSON.stringify(taken.body)).not.toContain('for alpha');
    // The owner's own retry is the usual duplicate.
    const again = await call(a.caller, 'POST', '/api/v1/events', { id, type: 'misc.secret', data: {} });
    expect([again.status, again.body.duplicate, again.body.event.data]).toEqual([200, true, { only: 'for alpha' }]);
    // Two tenants racing for a new id (often in one group-committed batch): one wins, the other is refused.
    const raced = `evt_raced_${kind}`;
    const both = await Promise.all([a, b].map((s) => call(s.caller, 'POST', '/api/v1/events', { id: raced, type: 'misc.raced', data: { by: s.org } })));
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const winner = both.find((r) => r.status === 202)!;
    const owner = winner.body.event.org_id === a.org ? a : b;
    expect((await call(owner.caller, 'GET', `/api/v1/events/${raced}`)).body.data).toEqual({ by: owner.org });
    expect((await call((owner === a ? b : a).caller, 'GET', `/api/v1/events/${raced}`)).status).toBe(404);
    // Published types are per tenant too: what A published is still unknown to B.
    const warned = async (s: Side) =>
      (await call(s.caller, 'POST', '/api/v1/webhooks/endpoints', { url: `${s.rx.url}/types`, events: ['misc.secret'], enabled: false })).body.warnings;
    expect(await warned(a)).toBeUndefined();
    expect((await warned(b))?.[0]?.message).toContain('misc.secret');
  });

  it('refuses a bin name another tenant holds, and captures into the bin of its owner', async () => {
    const taken = await call(b.caller, 'POST', '/api/v1/inspector/bins', { name: a.bin });
    expect(taken.status).toBe(409);
    expect((await call(a.caller, 'GET', `/api/v1/inspector/bins/${a.bin}`)).body.request_count).toBe(1);
  });

  it("counts only the tenant's own endpoints and deliveries in its stats", async () => {
    for (const { who, own, other } of askers()) {
      const stats = await call(who, 'GET', '/api/v1/stats/overview');
      expect(stats.status).toBe(200);
      const health = stats.body.endpoints as { id: string; delivered: number }[];
      // Exactly the tenant's own endpoints, and only its own delivery counted.
      const ownIds = (await call(who, 'GET', '/api/v1/webhooks/endpoints')).body.items.map((e: { id: string }) => e.id);
      expect(health.map((e) => e.id).sort()).toEqual(ownIds.sort());
      expect(health.map((e) => e.id)).not.toContain(other.endpoint);
      expect(health.find((e) => e.id === own.endpoint)?.delivered).toBe(1);
      expect(stats.body.deliveries.totals).toEqual({ delivered: 1, failed: 0 });
      expect(stats.body.deliveries.latency_ms.samples).toBe(1);
    }
    const defaults = await h.call('GET', '/api/v1/stats/overview');
    expect(defaults.body.deliveries.totals).toEqual({ delivered: 0, failed: 0 });
  });

  it("streams to a client only its own tenant's messages", async () => {
    const ready = async (key: string, headers?: Record<string, string>) => {
      const c = await StreamClient.ready(h.url, key, headers);
      clients.push(c);
      await c.subscribe('all', ['*']);
      return c;
    };
    // A browser's socket names its tenant in the URL instead (the dashboard's tenant switcher).
    const byQuery = async (key: string, envId: string) => {
      const c = await StreamClient.open(h.url, { key, path: `/api/v1/stream?env_id=${envId}` });
      clients.push(c);
      return c;
    };
    const installationAsAByUrl = await byQuery(ADMIN_KEY, a.env);
    await installationAsAByUrl.next((f) => f.type === 'ready');
    await installationAsAByUrl.subscribe('all', ['*']);
    const bAsA = await byQuery(b.caller.key, a.env);
    const refused = await bAsA.closed();
    expect(refused.reason).toContain(a.env); // the environment is "not found" for B's key
    expect(bAsA.frames.some((f) => f.type === 'ready')).toBe(false);
    const [ofA, ofB, installationAsA, ofDefault] = [
      await ready(a.caller.key),
      await ready(b.caller.key),
      await ready(ADMIN_KEY, { 'hookline-env': a.env }),
      await ready(ADMIN_KEY),
    ];
    const published = await call(a.caller, 'POST', '/api/v1/events', { type: 'order.streamed', data: {} });
    expect(published.status).toBe(202);
    const event = published.body.event.id as string;
    const captured = await answerOf(await fetch(`${h.url}/inspect/${a.bin}`, { method: 'POST', body: 'streamed' }));
    for (const c of [ofA, installationAsA, installationAsAByUrl]) {
      await c.next((f) => f.topic === 'event.published' && f.data.id === event);
      await c.next((f) => f.topic === 'delivery.succeeded' && f.data.event_id === event);
      await c.next((f) => f.topic === 'inspector.request' && f.data.id === captured.body.id);
    }
    // Published after A's clients had all of A's messages: once B's own marker arrives, A's would have too.
    for (const [c, caller] of [
      [ofB, b.caller],
      [ofDefault, { key: ADMIN_KEY }],
    ] as const) {
      const marker = await call(caller, 'POST', '/api/v1/events', { type: 'order.marker', data: {} });
      await c.next((f) => f.topic === 'event.published' && f.data.id === marker.body.event.id);
      const seen = JSON.stringify(c.messages('all'));
      for (const foreign of [event, a.env, a.endpoint, a.bin, captured.body.id]) expect(seen).not.toContain(foreign);
    }
    const envsSeenByB = ofB
      .messages('all')
      .filter((m) => m.topic === 'event.published')
      .map((m) => m.data.env_id);
    expect(new Set(envsSeenByB)).toEqual(new Set([b.env]));
  });

  it("publishes an endpoint's endpoint.disabled in that endpoint's tenant", async () => {
    b.rx.respond = (req, res) => void res.writeHead(req.path === '/gone' ? 410 : 200).end();
    const gone = await call(b.caller, 'POST', '/api/v1/webhooks/endpoints', { url: `${b.rx.url}/gone`, events: ['gone.*'] });
    const watch = await call(b.caller, 'POST', '/api/v1/webhooks/endpoints', { url: `${b.rx.url}/watch`, events: ['endpoint.*'] });
    const watchA = await call(a.caller, 'POST', '/api/v1/webhooks/endpoints', { url: `${a.rx.url}/watch`, events: ['endpoint.*'] });
    expect([gone.status, watch.status, watchA.status]).toEqual([201, 201, 201]);
    expect((await call(b.caller, 'POST', '/api/v1/events', { type: 'gone.ping', data: {} })).status).toBe(202);
    const disabled = await until('endpoint.disabled at B', async () => b.rx.received.find((r) => r.path === '/watch'));
    const envelope = JSON.parse(disabled.body);
    expect([envelope.type, envelope.org_id, envelope.env_id, envelope.data.endpoint_id]).toEqual(['endpoint.disabled', b.org, b.env, gone.body.id]);
    // A's watcher matched nothing: its tenant's events are only its own (every A delivery is listed by A).
    const ofA = await call(a.caller, 'GET', `/api/v1/deliveries?endpoint_id=${watchA.body.id}`);
    expect(ofA.body.total).toBe(0);
  });
});
