import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/crypto/index.js';
import { ManualClock } from '../src/util/clock.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';
import { databaseOf } from '../src/store/testing.js';

const EP = '/api/v1/webhooks/endpoints';
const S = 1000;
const headerMap = (h: Record<string, string | string[] | undefined>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));

describe.each(STORES)('delivery engine (%s)', (kind) => {
  let h: Harness;
  let rx: Receiver;
  let clock: ManualClock;
  const drain = () => h.hl.dispatcher!.drain();
  const delivery = async (eventId: string) => {
    const list = await h.call('GET', `/api/v1/deliveries?limit=1000`);
    const row = list.body.items.find((d: any) => d.event_id === eventId);
    return (await h.call('GET', `/api/v1/deliveries/${row.id}`)).body;
  };
  const endpoint = async (body: Record<string, unknown>) => (await h.call('POST', EP, { url: `${rx.url}/hook`, ...body })).body;
  const publish = async (type: string, data: unknown = {}) => (await h.call('POST', '/api/v1/events', { type, data })).body.event;

  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    rx = await new Receiver().start();
    h = await startHookline(kind, { clock, random: () => 0, overrides: { delivery: { poll_interval: '1h' } } });
  });
  afterAll(async () => {
    await h.close();
    await rx.close();
  });
  beforeEach(() => {
    rx.received.length = 0;
    rx.respond = (_r, res) => void res.writeHead(200).end('ok');
  });
  afterEach(async () => {
    // Each test starts clean: pending retries of earlier tests must not reach this receiver.
    const all = await h.call('GET', `${EP}?limit=1000`);
    for (const e of all.body.items) await h.call('DELETE', `${EP}/${e.id}`);
  });

  it('delivers the event envelope, signed so standardwebhooks and svix verify it unmodified', async () => {
    const ep = await endpoint({ events: ['invoice.*'], headers: { 'X-Tenant': 'acme' } });
    const ev = await publish('invoice.paid', { amount: 42, note: 'naïve "quotes"\n' });
    await drain();
    expect(rx.received).toHaveLength(1);
    const r = rx.received[0]!;
    expect(r.method).toBe('POST');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-tenant']).toBe('acme');
    expect(r.headers['webhook-id']).toBe(ev.id);
    expect(JSON.parse(r.body)).toEqual({
      id: ev.id,
      type: 'invoice.paid',
      timestamp: ev.timestamp,
      org_id: 'org_default',
      env_id: 'env_default',
      data: { amount: 42, note: 'naïve "quotes"\n' },
    });
    expect(Object.keys(JSON.parse(r.body))).toEqual(['id', 'type', 'timestamp', 'org_id', 'env_id', 'data']);
    expect(new StandardWebhook(ep.secret).verify(r.body, headerMap(r.headers))).toEqual(JSON.parse(r.body));
    expect(new SvixWebhook(ep.secret).verify(r.body, headerMap(r.headers))).toEqual(JSON.parse(r.body));
    expect(() => new StandardWebhook(ep.secret).verify(r.body.replace('42', '43'), headerMap(r.headers))).toThrow();
    const d = await delivery(ev.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });
    expect(d.history).toHaveLength(1);
    expect(d.history[0]).toMatchObject({ attempt: 1, status_code: 200, response_body: 'ok', request: { method: 'POST', url: `${rx.url}/hook` }, error: null });
  });

  it.each([
    ['x-signature', (secret: string, r: any) => r.headers['x-signature'] === createHmac('sha256', secret).update(r.body).digest('hex')],
    ['github', (secret: string, r: any) => r.headers['x-hub-signature-256'] === `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`],
    [
      'agentgateway',
      (secret: string, r: any) =>
        r.headers['x-agentgateway-signature'] === createHmac('sha256', secret).update(`${r.headers['x-agentgateway-timestamp']}.${r.body}`).digest('hex'),
    ],
  ] as const)('signs with the %s scheme when the endpoint asks for it', async (scheme, check) => {
    const ep = await endpoint({ events: [`scheme.${scheme}`], signing_scheme: scheme });
    await publish(`scheme.${scheme}`);
    await drain();
    const r = rx.received[0]!;
    expect(check(ep.secret, r)).toBe(true);
    expect(r.headers['webhook-signature']).toBeUndefined();
    expect(verifySignature(scheme, { headers: headerMap(r.headers), body: r.body, secret: ep.secret, nowSec: Math.floor(clock.now() / 1000) })).toBe(true);
  });

  it('retries on 30s, 2m, 10m, 1h, 4h and then fails, recording every attempt', async () => {
    rx.respond = (_r, res) => void res.writeHead(503).end('down for maintenance');
    await endpoint({ events: ['retry.always'] });
    const ev = await publish('retry.always');
    await drain();
    for (const delay of [30, 120, 600, 3600, 14_400]) {
      const before = rx.received.length;
      clock.advance(delay * S - 1);
      await drain();
      expect(rx.received.length, `nothing before the ${delay}s delay`).toBe(before);
      clock.advance(1);
      await drain();
      expect(rx.received.length, `a retry at ${delay}s`).toBe(before + 1);
    }
    clock.advance(24 * 3600 * S);
    await drain();
    expect(rx.received).toHaveLength(6);
    const d = await delivery(ev.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 6, last_status_code: 503, last_error: 'HTTP 503', next_attempt_at: null });
    expect(d.history.map((a: any) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(d.history[5].response_body).toBe('down for maintenance');
    // The same payload every time.
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('recovers: fails twice, then delivered on the second retry', async () => {
    let n = 0;
    rx.respond = (_r, res) => void res.writeHead(++n <= 2 ? 500 : 204).end();
    const ep = await endpoint({ events: ['retry.recover'] });
    const ev = await publish('retry.recover');
    await drain();
    clock.advance(30 * S);
    await drain();
    clock.advance(120 * S);
    await drain();
    const d = await delivery(ev.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 204 });
    expect(d.history.map((a: any) => a.status_code)).toEqual([500, 500, 204]);
    expect((await h.call('GET', `${EP}/${ep.id}`)).body.consecutive_failures).toBe(0);
  });

  it("uses an endpoint's own retry schedule", async () => {
    rx.respond = (_r, res) => void res.writeHead(500).end();
    await endpoint({ events: ['retry.custom'], retry_schedule: ['5s'] });
    const ev = await publish('retry.custom');
    await drain();
    clock.advance(5 * S);
    await drain();
    expect(rx.received).toHaveLength(2);
    expect((await delivery(ev.id)).status).toBe('failed');
  });

  it('honours 429 Retry-After', async () => {
    let n = 0;
    rx.respond = (_r, res) => void (++n === 1 ? res.writeHead(429, { 'retry-after': '7' }).end() : res.writeHead(200).end());
    await endpoint({ events: ['retry.after'] });
    const ev = await publish('retry.after');
    await drain();
    const pending = await delivery(ev.id);
    expect(Date.parse(pending.next_attempt_at) - clock.now()).toBe(7 * S);
    clock.advance(7 * S);
    await drain();
    expect((await delivery(ev.id)).status).toBe('delivered');
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    rx.respond = (r, res) => void (r.path === '/hook' ? res.writeHead(302, { location: '/elsewhere' }).end() : res.writeHead(200).end());
    await endpoint({ events: ['redirect.x'] });
    const ev = await publish('redirect.x');
    await drain();
    expect(rx.received.map((r) => r.path)).toEqual(['/hook']);
    expect(await delivery(ev.id)).toMatchObject({ status: 'pending', last_status_code: 302 });
  });

  it('reads only the first 4 KB of a response', async () => {
    rx.respond = (_r, res) => void res.writeHead(200).end('x'.repeat(50_000));
    await endpoint({ events: ['big.response'] });
    const ev = await publish('big.response');
    await drain();
    const d = await delivery(ev.id);
    expect(d.status).toBe('delivered');
    expect(d.history[0].response_body).toHaveLength(4096);
  });

  it('disables an endpoint that answers 410 and announces it with endpoint.disabled', async () => {
    const watcher = await endpoint({ events: ['endpoint.disabled'] });
    rx.respond = (r, res) => void (r.path === '/gone' ? res.writeHead(410).end() : res.writeHead(200).end());
    const gone = (await h.call('POST', EP, { url: `${rx.url}/gone`, events: ['gone.x'] })).body;
    const ev = await publish('gone.x');
    await drain();
    await drain();
    const e = (await h.call('GET', `${EP}/${gone.id}`)).body;
    expect(e).toMatchObject({ enabled: false, disabled_reason: 'the endpoint answered 410 Gone' });
    expect((await delivery(ev.id)).status).toBe('failed');
    const notice = rx.received.find((r) => r.path === '/hook' && JSON.parse(r.body).type === 'endpoint.disabled');
    expect(notice).toBeDefined();
    expect(JSON.parse(notice!.body).data).toEqual({ endpoint_id: gone.id, reason: 'the endpoint answered 410 Gone' });
    await h.call('DELETE', `${EP}/${watcher.id}`);
    // Nothing more goes to a disabled endpoint.
    const before = rx.received.length;
    await publish('gone.x');
    await drain();
    expect(rx.received.length).toBe(before);
  });

  it('auto-disables after 50 consecutive failures; a success resets the streak', async () => {
    let fail = true;
    rx.respond = (_r, res) => void res.writeHead(fail ? 500 : 200).end();
    const ep = await endpoint({ events: ['streak.x'] });
    for (let i = 0; i < 49; i++) await publish('streak.x');
    await drain();
    expect((await h.call('GET', `${EP}/${ep.id}`)).body).toMatchObject({ enabled: true, consecutive_failures: 49 });
    fail = false;
    await publish('streak.x');
    await drain();
    expect((await h.call('GET', `${EP}/${ep.id}`)).body.consecutive_failures).toBe(0);
    fail = true;
    for (let i = 0; i < 50; i++) await publish('streak.x');
    await drain();
    const e = (await h.call('GET', `${EP}/${ep.id}`)).body;
    expect(e).toMatchObject({ enabled: false, disabled_reason: '50 consecutive failed attempts' });
    // Its queued retries fail instead of waiting for a re-enable (no retroactive delivery).
    const sent = rx.received.length;
    clock.advance(30 * S);
    await drain();
    expect(rx.received.length).toBe(sent);
    const stuck = await h.call('GET', `/api/v1/deliveries?endpoint_id=${ep.id}&status=pending`);
    expect(stuck.body.total).toBe(0);
    const failed = await h.call('GET', `/api/v1/deliveries?endpoint_id=${ep.id}&status=failed&limit=1`);
    expect(failed.body.items[0].last_error).toBe('endpoint_disabled');
  });

  it("writes an endpoint's health only when its streak moves", async () => {
    const db = databaseOf(h.hl.store);
    // How many times the endpoint's row was written: a trigger's count on SQLite, the row version on PostgreSQL.
    if (kind === 'sqlite') {
      await sql`CREATE TEMP TABLE health_writes (endpoint_id TEXT)`.execute(db);
      await sql`CREATE TEMP TRIGGER health_written AFTER UPDATE ON endpoints BEGIN INSERT INTO health_writes VALUES (new.id); END`.execute(db);
    }
    const version = async (id: string) =>
      kind === 'sqlite'
        ? String((await sql<{ n: number }>`SELECT count(*) AS n FROM temp.health_writes WHERE endpoint_id = ${id}`.execute(db)).rows[0]!.n)
        : (await sql<{ v: string }>`SELECT xmin::text AS v FROM endpoints WHERE id = ${id}`.execute(db)).rows[0]!.v;
    try {
      let fail = false;
      rx.respond = (_r, res) => void res.writeHead(fail ? 500 : 200).end();
      const ep = await endpoint({ events: ['steady.x'] });
      const created = await version(ep.id);
      for (let i = 0; i < 3; i++) await publish('steady.x');
      await drain();
      expect(rx.received).toHaveLength(3);
      // Successes on a streak of 0 leave the row alone.
      expect(await version(ep.id)).toBe(created);
      fail = true;
      for (let i = 0; i < 2; i++) await publish('steady.x');
      await drain();
      expect((await h.call('GET', `${EP}/${ep.id}`)).body.consecutive_failures).toBe(2);
      const failed = await version(ep.id);
      expect(failed).not.toBe(created);
      fail = false;
      await publish('steady.x');
      await drain();
      expect((await h.call('GET', `${EP}/${ep.id}`)).body.consecutive_failures).toBe(0);
      const reset = await version(ep.id);
      expect(reset).not.toBe(failed);
      await publish('steady.x');
      await drain();
      expect(await version(ep.id)).toBe(reset);
    } finally {
      if (kind === 'sqlite') {
        await sql`DROP TRIGGER temp.health_written`.execute(db);
        await sql`DROP TABLE temp.health_writes`.execute(db);
      }
    }
  });

  it('manual retry resends the identical payload, even after success', async () => {
    await endpoint({ events: ['manual.retry'] });
    const ev = await publish('manual.retry', { keep: 'me' });
    await drain();
    const d = await delivery(ev.id);
    const r = await h.call('POST', `/api/v1/deliveries/${d.id}/retry`);
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('pending');
    await drain();
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]!.body).toBe(rx.received[0]!.body);
    expect(rx.received[1]!.headers['webhook-id']).toBe(rx.received[0]!.headers['webhook-id']);
    expect(await delivery(ev.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await h.call('POST', '/api/v1/deliveries/dlv_nope/retry')).status).toBe(404);
  });

  it('rotating a secret signs with both secrets during the grace period, then only the new one', async () => {
    const ep = await endpoint({ events: ['rotate.x'] });
    const rot = await h.call('POST', `${EP}/${ep.id}/rotate-secret`, { grace_period_seconds: 3600 });
    expect(rot.status).toBe(200);
    expect(rot.body.secret).not.toBe(ep.secret);
    expect(rot.body.secret_rotation_ends_at).not.toBeNull();
    await publish('rotate.x');
    await drain();
    const r = rx.received[0]!;
    expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
    // The manual clock runs ahead of real time here, so verify against it rather than Date.now().
    const nowSec = Math.floor(clock.now() / 1000);
    expect(verifySignature('standard', { headers: headerMap(r.headers), body: r.body, secret: ep.secret, nowSec })).toBe(true);
    expect(verifySignature('standard', { headers: headerMap(r.headers), body: r.body, secret: rot.body.secret, nowSec })).toBe(true);
    clock.advance(3601 * S);
    await publish('rotate.x');
    await drain();
    const later = rx.received[1]!;
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(
      verifySignature('standard', { headers: headerMap(later.headers), body: later.body, secret: rot.body.secret, nowSec: Math.floor(clock.now() / 1000) }),
    ).toBe(true);
    expect(
      verifySignature('standard', { headers: headerMap(later.headers), body: later.body, secret: ep.secret, nowSec: Math.floor(clock.now() / 1000) }),
    ).toBe(false);
  });

  it('limits an endpoint to its rate (deliveries per second)', async () => {
    await endpoint({ events: ['rate.x'], rate_limit: 2 });
    for (let i = 0; i < 5; i++) await publish('rate.x');
    await drain();
    expect(rx.received).toHaveLength(2);
    clock.advance(1 * S);
    await drain();
    expect(rx.received).toHaveLength(4);
    clock.advance(1 * S);
    await drain();
    expect(rx.received).toHaveLength(5);
  });

  it('fails the queued deliveries of a deleted endpoint', async () => {
    rx.respond = (_r, res) => void res.writeHead(500).end();
    const ep = await endpoint({ events: ['deleted.x'] });
    const ev = await publish('deleted.x');
    await drain();
    await h.call('DELETE', `${EP}/${ep.id}`);
    clock.advance(30 * S);
    await drain();
    expect(rx.received).toHaveLength(1);
    expect(await delivery(ev.id)).toMatchObject({ status: 'failed', last_error: 'endpoint_deleted' });
  });
});

describe.each(STORES)('isolation and SSRF at connect time (%s)', (kind) => {
  let h: Harness;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver().start();
  });
  afterAll(() => rx.close());
  afterEach(() => h.close());

  it('a hostname that resolves to a blocked address fails with ssrf_blocked, is not retried, and nothing is sent', async () => {
    const port = new URL(rx.url).port;
    h = await startHookline(kind, { overrides: { delivery: { allow_networks: [] } }, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const ep = await h.call('POST', EP, { url: `http://rebind.example:${port}/hook`, events: ['ssrf.x'] });
    expect(ep.status).toBe(201);
    await h.call('POST', '/api/v1/events', { type: 'ssrf.x', data: {} });
    await h.hl.dispatcher!.drain();
    const list = await h.call('GET', '/api/v1/deliveries?event_type=ssrf.x');
    const d = (await h.call('GET', `/api/v1/deliveries/${list.body.items[0].id}`)).body;
    expect(d).toMatchObject({ status: 'failed', attempts: 1 });
    expect(d.history[0].error.code).toBe('ssrf_blocked');
    expect(rx.received).toHaveLength(0);
  });

  it('a slow endpoint does not delay the others', async () => {
    h = await startHookline(kind, { overrides: { delivery: { per_endpoint_in_flight: 4 } } });
    const hung: (() => void)[] = [];
    rx.respond = (r, res) => {
      if (r.path === '/slow') hung.push(() => res.writeHead(200).end());
      else res.writeHead(200).end();
    };
    await h.call('POST', EP, { url: `${rx.url}/slow`, events: ['iso.*'], timeout_seconds: 60 });
    await h.call('POST', EP, { url: `${rx.url}/fast`, events: ['iso.*'] });
    for (let i = 0; i < 30; i++) await h.call('POST', '/api/v1/events', { type: 'iso.x', data: { i } });
    const fast = () => rx.received.filter((r) => r.path === '/fast').length;
    for (let i = 0; i < 200 && fast() < 30; i++) await new Promise((r) => setTimeout(r, 25));
    // All 30 reached the healthy endpoint while the slow one still holds its first requests,
    // and the slow one never had more than its cap open.
    expect(fast()).toBe(30);
    expect(hung.length).toBeLessThanOrEqual(4);
    expect(hung.length).toBeGreaterThan(0);
    for (const f of hung) f();
  });
});

describe.each(STORES)('one busy endpoint (%s)', (kind) => {
  it('gets its whole backlog through its slots without waiting for a later poll', async () => {
    const rx = await new Receiver().start();
    // The clock never moves: everything must go out on drain() alone, with no deferral.
    const h = await startHookline(kind, {
      clock: new ManualClock(Date.now()),
      overrides: { delivery: { poll_interval: '1h', per_endpoint_in_flight: 3, batch_size: 50 } },
    });
    try {
      await h.call('POST', EP, { url: `${rx.url}/busy`, events: ['busy.*'] });
      await Promise.all(Array.from({ length: 60 }, (_, i) => h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'busy.x', data: { i } })));
      let open = 0;
      let maxOpen = 0;
      rx.respond = (_r, res) => {
        maxOpen = Math.max(maxOpen, ++open);
        setTimeout(() => (open--, res.writeHead(200).end()), 2);
      };
      await h.hl.dispatcher!.drain();
      expect(new Set(rx.received.map((r) => JSON.parse(r.body).data.i)).size).toBe(60);
      expect(maxOpen).toBeLessThanOrEqual(3);
      expect((await h.call('GET', '/api/v1/deliveries?status=delivered&limit=1')).body.total).toBe(60);
    } finally {
      await h.close();
      await rx.close();
    }
  });
});
