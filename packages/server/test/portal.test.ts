/**
 * Customer-portal sessions over both stores (docs/portal.md): who may open a link, what a
 * portal token reaches (its tenant's endpoints, deliveries and catalog, nothing else), and
 * that expired, forged and logged-out tokens are refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/util/clock.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from './helpers/hookline.js';

describe.each(STORES)('customer portal (%s)', (kind) => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const dist = mkdtempSync(join(tmpdir(), 'hookline-portal-'));
  let h: Harness;
  /** Two tenants, each an org with its first environment and an org admin key. */
  let a: { org: string; env: string; key: string };
  let b: { org: string; env: string; key: string };

  const tenant = async (name: string) => {
    const org = await h.call('POST', '/api/v1/orgs', { name, settings: { brand: { color: '#112233' } } });
    expect(org.status).toBe(201);
    const key = await h.call('POST', '/api/v1/keys', { name: `${name} admin`, org_id: org.body.id });
    expect(key.status).toBe(201);
    return { org: org.body.id as string, env: org.body.envs[0].id as string, key: key.body.key as string };
  };
  const open = async (body: Record<string, unknown>, key?: string) => h.call('POST', '/api/v1/portal/sessions', body, key);
  const tokenFor = async (body: Record<string, unknown> = {}) => {
    const r = await open({ org_id: a.org, env_id: a.env, ...body });
    expect(r.status).toBe(201);
    return r.body.token as string;
  };

  beforeAll(async () => {
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Hookline</title>');
    writeFileSync(join(dist, 'portal.html'), '<!doctype html><title>Portal</title><div id="portal"></div>');
    h = await startHookline(kind, { clock, dashboardDir: dist });
    a = await tenant('Acme');
    b = await tenant('Beta');
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('opens a link with the installation key or an admin key of the org; the token rides in the fragment', async () => {
    const r = await open({ org_id: a.org, env_id: a.env });
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^hl_ps_/);
    const url = new URL(r.body.url);
    expect(url.origin).toBe(h.url);
    expect(url.pathname).toBe('/portal/');
    expect(url.search).toBe(`?org=${a.org}`);
    expect(url.hash).toBe(`#token=${encodeURIComponent(r.body.token)}`);
    expect(Date.parse(r.body.expires_at)).toBe(clock.now() + 3_600_000);
    expect((await open({ org_id: a.org, env_id: a.env, ttl: '24h' }, a.key)).status).toBe(201);
    expect((await open({ org_id: a.org, env_id: a.env, ttl: '25h' })).body.error.code).toBe('validation_failed');
    expect((await open({ org_id: a.org, env_id: a.env, event_types: ['Not A Type'] })).status).toBe(422);
  });

  it("answers 404 for another org's ids and 403 to environment and read-only keys", async () => {
    expect((await open({ org_id: b.org, env_id: b.env }, a.key)).status).toBe(404);
    expect((await open({ org_id: a.org, env_id: b.env }, a.key)).status).toBe(404);
    expect((await open({ org_id: a.org, env_id: 'env_missing' })).status).toBe(404);
    const envKey = await h.call('POST', '/api/v1/keys', { name: 'env', org_id: a.org, env_id: a.env });
    const readKey = await h.call('POST', '/api/v1/keys', { name: 'read', role: 'read', org_id: a.org });
    for (const key of [envKey.body.key, readKey.body.key]) {
      const r = await open({ org_id: a.org, env_id: a.env }, key);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
  });

  it("shows the session's tenant, brand and limits, and reaches no route outside the portal's", async () => {
    const token = await tokenFor({ event_types: ['order.*'], read_only: true });
    const ctx = await h.call('GET', '/api/v1/portal/context', undefined, token);
    expect(ctx.status).toBe(200);
    expect(ctx.body).toMatchObject({ org: { id: a.org, name: 'Acme' }, env: { id: a.env }, brand: { color: '#112233', logo_url: null } });
    expect(ctx.body).toMatchObject({ event_types: ['order.*'], read_only: true });
    for (const [method, path] of [
      ['GET', '/api/v1/keys'],
      ['GET', '/api/v1/orgs'],
      ['POST', '/api/v1/events'],
      ['GET', '/api/v1/agents'],
      ['POST', '/api/v1/portal/sessions'],
      ['GET', '/api/v1/settings'],
    ] as const) {
      const r = await h.call(method, path, method === 'POST' ? {} : undefined, token);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('route_not_found');
      // The same answer as a route that does not exist at all.
      expect(r.body.error.message).toBe(`no route ${method} ${path}; see /docs for the API reference`);
    }
    // The tenant headers cannot move a portal token to another tenant.
    const moved = await fetch(`${h.url}/api/v1/portal/context`, {
      headers: { authorization: `Bearer ${token}`, 'hookline-org': b.org, 'hookline-env': b.env },
    });
    expect(((await moved.json()) as { env: { id: string } }).env.id).toBe(a.env);
    // An API key sees its own tenant's, unlimited.
    expect((await h.call('GET', '/api/v1/portal/context', undefined, b.key)).body).toMatchObject({ org: { id: b.org }, event_types: null, expires_at: null });
  });

  it('refuses expired, forged and logged-out tokens with 401', async () => {
    const token = await tokenFor({ ttl: '10m' });
    expect((await h.call('GET', '/api/v1/webhooks/endpoints', undefined, token)).status).toBe(200);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const forged = await h.call('GET', '/api/v1/webhooks/endpoints', undefined, token.slice(0, -1) + last);
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('unauthorized');
    expect((await h.call('GET', '/api/v1/webhooks/endpoints', undefined, 'hl_ps_nonsense')).status).toBe(401);

    const other = await tokenFor({ ttl: '10m' });
    expect((await h.call('DELETE', '/api/v1/portal/session', undefined, other)).status).toBe(204);
    const reused = await h.call('GET', '/api/v1/webhooks/endpoints', undefined, other);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('unauthorized');

    clock.advance(10 * 60_000 + 1);
    const expired = await h.call('GET', '/api/v1/webhooks/endpoints', undefined, token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthorized');
  });

  it('forgets a logout once its token has expired anyway', async () => {
    const ended = h.hl.store.portalSessions;
    await ended.end('ps_short', clock.now() + 60_000, clock.now());
    await ended.end('ps_long', clock.now() + 3_600_000, clock.now());
    expect(await ended.isEnded('ps_short')).toBe(true);
    clock.advance(60_001);
    await ended.end('ps_next', clock.now() + 60_000, clock.now());
    expect(await ended.isEnded('ps_short')).toBe(false);
    expect(await ended.isEnded('ps_long')).toBe(true);
  });

  it('a read-only session may only read (and log out)', async () => {
    const token = await tokenFor({ read_only: true });
    expect((await h.call('GET', '/api/v1/webhooks/endpoints', undefined, token)).status).toBe(200);
    const create = await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/hook', events: ['order.paid'] }, token);
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    expect((await h.call('DELETE', '/api/v1/portal/session', undefined, token)).status).toBe(204);
  });

  it('keeps subscriptions inside the event-type limit, and the catalog lists only what it allows', async () => {
    const token = await tokenFor({ event_types: ['order.*', 'run.completed'] });
    const ok = await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/hook', events: ['order.paid', 'order.refund.*'] }, token);
    expect(ok.status).toBe(201);
    expect(ok.body.secret).toBeTruthy();
    const outside = await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/hook', events: ['order.paid', 'invoice.paid'] }, token);
    expect(outside.status).toBe(422);
    expect(outside.body.error.code).toBe('validation_failed');
    expect(outside.body.error.message).toContain('"invoice.paid"');
    expect(outside.body.error.message).toContain('order.*, run.completed');
    const everything = await h.call('PATCH', `/api/v1/webhooks/endpoints/${ok.body.id}`, { events: ['*'] }, token);
    expect(everything.status).toBe(422);
    expect((await h.call('PATCH', `/api/v1/webhooks/endpoints/${ok.body.id}`, { events: ['run.completed'] }, token)).status).toBe(200);

    expect((await h.call('POST', '/api/v1/events', { type: 'order.paid', data: {} }, a.key)).status).toBe(202);
    expect((await h.call('POST', '/api/v1/events', { type: 'invoice.paid', data: {} }, a.key)).status).toBe(202);
    const catalog = await h.call('GET', '/api/v1/event-types', undefined, token);
    expect(catalog.status).toBe(200);
    expect(catalog.body.items.map((e: { type: string }) => e.type).sort()).toEqual(['order.paid', 'run.completed']);
    const run = catalog.body.items.find((e: { type: string }) => e.type === 'run.completed');
    expect(run.description).toBe('An agent run finished successfully.');
    expect(run.example).toMatchObject({ type: 'run.completed', org_id: a.org, env_id: a.env, data: { status: 'completed' } });
    // An API key sees the whole catalog.
    const all = (await h.call('GET', '/api/v1/event-types', undefined, a.key)).body.items.map((e: { type: string }) => e.type);
    expect(all).toEqual(expect.arrayContaining(['invoice.paid', 'order.paid', 'run.failed', 'endpoint.disabled']));
  });

  it("answers 404 for another tenant's endpoint and delivery ids", async () => {
    const theirs = await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/b', events: ['order.paid'] }, b.key);
    expect(theirs.status).toBe(201);
    const token = await tokenFor();
    const id = theirs.body.id as string;
    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/endpoints/${id}`],
      ['PATCH', `/api/v1/webhooks/endpoints/${id}`],
      ['DELETE', `/api/v1/webhooks/endpoints/${id}`],
      ['POST', `/api/v1/webhooks/endpoints/${id}/rotate-secret`],
      ['POST', `/api/v1/webhooks/endpoints/${id}/test`],
      ['POST', `/api/v1/webhooks/endpoints/${id}/disable`],
    ] as const) {
      const r = await h.call(method, path, method === 'PATCH' ? { description: 'mine now' } : undefined, token);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    const list = await h.call('GET', '/api/v1/webhooks/endpoints', undefined, token);
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(id);

    expect((await h.call('POST', '/api/v1/events', { type: 'order.paid', data: {} }, b.key)).status).toBe(202);
    const delivery = (await h.call('GET', `/api/v1/deliveries?endpoint_id=${id}`, undefined, b.key)).body.items[0];
    expect(delivery.endpoint_id).toBe(id);
    expect((await h.call('GET', `/api/v1/deliveries/${delivery.id}`, undefined, token)).status).toBe(404);
    expect((await h.call('POST', `/api/v1/deliveries/${delivery.id}/retry`, undefined, token)).status).toBe(404);
    const deliveries = await h.call('GET', '/api/v1/deliveries', undefined, token);
    expect(deliveries.body.items.map((d: { id: string }) => d.id)).not.toContain(delivery.id);
  });

  it("serves /portal/ framed only by the org's portal_origins", async () => {
    const none = await fetch(`${h.url}/portal/?org=${a.org}`);
    expect(none.status).toBe(200);
    expect(none.headers.get('content-security-policy')).toContain("frame-ancestors 'self';");
    expect(none.headers.get('x-frame-options')).toBeNull();
    expect(await none.text()).toContain('<div id="portal">');
    const patched = await h.call('PATCH', `/api/v1/orgs/${a.org}`, { settings: { portal_origins: ['https://app.acme.test', 'http://localhost:8080'] } });
    expect(patched.status).toBe(200);
    const framed = await fetch(`${h.url}/portal/?org=${a.org}`);
    expect(framed.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://app.acme.test http://localhost:8080;");
    // Another org's link keeps its own (none).
    expect((await fetch(`${h.url}/portal/?org=${b.org}`)).headers.get('content-security-policy')).toContain("frame-ancestors 'self';");
  });
});

describe('links behind a proxy: server.public_url', () => {
  let h: Harness | undefined;
  afterAll(async () => h?.close());

  /** POST with a Host header of the caller's choosing (fetch will not send one). */
  const postWithHost = (url: string, host: string, body: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { host, authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  it('starts portal and inspector links with it, whatever Host the request names, and shows it in the settings', async () => {
    h = await startHookline('sqlite', { overrides: { server: { public_url: 'https://hooks.example.com/base/' } } });
    const org = await h.hl.tenants.createOrg({ name: 'Proxied' });
    const portal = await postWithHost(`${h.url}/api/v1/portal/sessions`, 'attacker.example', { org_id: org.id, env_id: org.envs[0]!.id });
    expect(portal.status).toBe(201);
    expect(portal.body.url).toBe(`https://hooks.example.com/base/portal/?org=${org.id}#token=${encodeURIComponent(portal.body.token)}`);
    const bin = await postWithHost(`${h.url}/api/v1/inspector/bins`, 'attacker.example', { name: 'proxied-bin' });
    expect(bin.status).toBe(201);
    expect(bin.body.url).toBe('https://hooks.example.com/base/inspect/proxied-bin');
    expect((await h.call('GET', '/api/v1/settings')).body.public_url).toBe('https://hooks.example.com/base/');
  });
});
