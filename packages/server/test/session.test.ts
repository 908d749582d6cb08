/**
 * Dashboard sessions over both stores: sign-in with an API key sets an HTTP-only SameSite
 * cookie; the cookie authenticates like the key, every change needs the CSRF token, and a
 * forged, expired or revoked session is refused. Also the static dashboard route.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../src/util/clock.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from './helpers/hookline.js';

describe.each(STORES)('dashboard sessions (%s)', (kind) => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const dist = mkdtempSync(join(tmpdir(), 'hookline-dash-'));
  let h: Harness;

  const signIn = async (apiKey: string) => {
    const res = await fetch(`${h.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: apiKey }),
    });
    return { res, body: (await res.json()) as any, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '' };
  };
  const withCookie = (cookie: string, method: string, path: string, body?: unknown, csrf?: string) =>
    fetch(`${h.url}${path}`, {
      method,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Hookline</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log("hi")');
    h = await startHookline(kind, { clock, dashboardDir: dist, overrides: { stream: { auth_timeout: '300ms' } } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('signs in with a key: an HTTP-only, SameSite=Strict cookie and a CSRF token; the key is not in the cookie', async () => {
    const bad = await signIn('hl_sk_not_a_real_key_0000000000');
    expect(bad.res.status).toBe(401);
    expect(bad.res.headers.get('set-cookie')).toBeNull();
    const { res, body, cookie } = await signIn(ADMIN_KEY);
    expect(res.status).toBe(200);
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/^hl_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(set).not.toContain(ADMIN_KEY);
    expect(body).toMatchObject({ key: { role: 'admin' }, csrf_token: expect.stringMatching(/^[\w-]{32}$/) });
    expect((await withCookie(cookie, 'GET', '/api/v1/notifications')).status).toBe(200);
    expect(((await (await withCookie(cookie, 'GET', '/api/v1/session')).json()) as any).csrf_token).toBe(body.csrf_token);
  });

  it("names the key's tenant: null for an installation key (it may pick any), the org and environment of a scoped one", async () => {
    const installation = await signIn(ADMIN_KEY);
    expect(installation.body.key).toMatchObject({ org_id: null, env_id: null });
    const org = (await h.call('POST', '/api/v1/orgs', { name: `Session ${kind}` })).body;
    const envId = org.envs[0].id as string;
    const orgKey = (await h.call('POST', '/api/v1/keys', { name: 'org-wide', org_id: org.id })).body.key as string;
    const envKey = (await h.call('POST', '/api/v1/keys', { name: 'one-env', role: 'read', org_id: org.id, env_id: envId })).body.key as string;
    const orgSession = await signIn(orgKey);
    expect(orgSession.body.key).toMatchObject({ name: 'org-wide', org_id: org.id, env_id: null });
    const envSession = await signIn(envKey);
    expect(envSession.body.key).toMatchObject({ name: 'one-env', role: 'read', org_id: org.id, env_id: envId });
    // The same through the cookie after a reload, and through a bearer key.
    expect(((await (await withCookie(envSession.cookie, 'GET', '/api/v1/session')).json()) as any).key).toMatchObject({ org_id: org.id, env_id: envId });
    expect((await h.call('GET', '/api/v1/session', undefined, orgKey)).body.key).toMatchObject({ org_id: org.id, env_id: null });
  });

  it('every change through the cookie needs the CSRF token', async () => {
    const { body, cookie } = await signIn(ADMIN_KEY);
    const create = (csrf?: string) => withCookie(cookie, 'POST', '/api/v1/crews', { name: 'Ops' }, csrf);
    const none = await create();
    expect(none.status).toBe(403);
    expect(((await none.json()) as any).error.code).toBe('csrf_failed');
    expect((await create('x'.repeat(32))).status).toBe(403);
    expect((await create(body.csrf_token)).status).toBe(201);
    // Another session's token does not fit this cookie.
    const other = await signIn(ADMIN_KEY);
    expect((await create(other.body.csrf_token)).status).toBe(403);
  });

  it('refuses forged, tampered, expired and revoked sessions, and read-only sessions cannot change anything', async () => {
    const { cookie } = await signIn(ADMIN_KEY);
    const value = cookie.split('=')[1]!;
    const flipped = value.slice(0, -3) + (value.at(-3) === 'A' ? 'B' : 'A') + value.slice(-2);
    for (const forged of ['hl_session=nonsense', `hl_session=${flipped}`]) expect((await withCookie(forged, 'GET', '/api/v1/notifications')).status).toBe(401);

    const read = await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' });
    expect(read.status, JSON.stringify(read.body)).toBe(201);
    const viewer = await signIn(read.body.key);
    expect(viewer.body.key.role).toBe('read');
    expect((await withCookie(viewer.cookie, 'GET', '/api/v1/notifications')).status).toBe(200);
    const change = await withCookie(viewer.cookie, 'POST', '/api/v1/crews', { name: 'x' }, viewer.body.csrf_token);
    expect(change.status).toBe(403);
    expect(((await change.json()) as any).error.code).toBe('forbidden');
    expect((await h.call('DELETE', `/api/v1/keys/${read.body.id}`)).status).toBeLessThan(300);
    expect((await withCookie(viewer.cookie, 'GET', '/api/v1/notifications')).status).toBe(401);

    clock.advance(12 * 3_600_000 + 1);
    expect((await withCookie(cookie, 'GET', '/api/v1/notifications')).status).toBe(401);
  });

  it('the live stream accepts the session cookie from this origin only', async () => {
    const { cookie } = await signIn(ADMIN_KEY);
    const first = (origin: string) =>
      new Promise<any>((resolve, reject) => {
        const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/stream`, { headers: { cookie, origin } });
        ws.on('message', (m) => {
          resolve(JSON.parse(String(m)));
          ws.close();
        });
        ws.on('error', reject);
      });
    expect(await first(h.url)).toEqual({ type: 'ready' });
    expect(await first('https://evil.example')).toMatchObject({ type: 'error', code: 'unauthorized' });
  });

  it('signs out by clearing the cookie', async () => {
    const { body, cookie } = await signIn(ADMIN_KEY);
    const out = await withCookie(cookie, 'DELETE', '/api/v1/session', undefined, body.csrf_token);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^hl_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
  });

  it('serves the dashboard: the app for every page, hashed assets cached for good, a strict CSP, no path escapes', async () => {
    const page = await fetch(`${h.url}/dashboard/notifications?status=failed`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${h.url}/dashboard/assets/app-abc123.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const escape = await fetch(`${h.url}/dashboard/assets/..%2f..%2fpackage.json`);
    expect(await escape.text()).toContain('<div id="root">');
    expect((await fetch(`${h.url}/dashboard`, { redirect: 'manual' })).headers.get('location')).toBe('/dashboard/');
  });
});
