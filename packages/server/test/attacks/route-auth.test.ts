import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { routeTable, type RouteEntry } from '../../src/api/index.js';
import { READ_SAFE_ROUTES } from '../../src/api/auth.js';
import { ApiKeys } from '../../src/keys/index.js';
import { openStore, storeOptionsFromConfig } from '../../src/store/index.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from '../helpers/hookline.js';
import { createTestSchema } from '../helpers/postgres.js';
import { until } from '../helpers/wait.js';
import { concreteUrl } from './route-urls.js';

/**
 * Authorization (SECURITY.md): every route in the running server's route table needs an API key,
 * except the public ones listed here with the reason; read-only keys change nothing; a revoked
 * key (and every dashboard session and live-stream socket opened with it) stops at once.
 */

/** Routes that answer without an API key, and why. A new route that is neither protected nor listed here fails the test. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'liveness probe for load balancers; carries no data (docs/api.md)',
  'GET /readyz': 'readiness probe; carries no data (docs/api.md)',
  'GET /metrics': 'Prometheus scrape, public like the health routes (docs/operations.md)',
  'GET /openapi.json': 'the API reference; describes the API, holds no data',
  'GET /docs': 'Swagger UI (API reference)',
  'GET /docs/': 'Swagger UI (API reference)',
  'GET /docs/json': 'Swagger UI (API reference)',
  'GET /docs/yaml': 'Swagger UI (API reference)',
  'GET /docs/static/*': 'Swagger UI assets',
  'GET /docs/static/index.html': 'Swagger UI assets',
  'GET /docs/static/swagger-initializer.js': 'Swagger UI assets',
  'GET /guides/': 'the guides (docs/) as text, like /docs',
  'GET /guides/:name': 'the guides (docs/) as text, like /docs',
  'GET /guides/recipes/:name': 'the guides (docs/) as text, like /docs',
  'GET /dashboard': "the dashboard's static files; its data comes from the API with a key or session",
  'GET /dashboard/*': "the dashboard's static files; its data comes from the API with a key or session",
  'GET /portal': 'the customer portal page (docs/portal.md); its data comes from the API with the portal token in the link',
  'GET /portal/': 'the customer portal page (docs/portal.md); its data comes from the API with the portal token in the link',
  'POST /api/v1/session': 'dashboard sign-in: the API key is in the body (checked there)',
  'GET /api/v1/stream': 'live-stream WebSocket: authenticates each connection itself (header, cookie or auth message); tested below',
  'POST /api/v1/webhooks/:crewId/:agentId/trigger': "inbound trigger: the agent's secret signs the request",
  'POST /api/v1/webhooks/:crewId/:agentId/:name': "named webhook trigger: the trigger's secret signs the request",
  '* /inspect/:bin': 'Inspector capture URL: request bins take any request (docs/inspector.md); the bin id is the capability',
  '* /inspect/:bin/*': 'Inspector capture URL (sub-paths)',
};
/** What src/api/auth.ts lets a read-only key do besides GET and HEAD; pinned here so a change to it is reviewed. */
const READ_SAFE = ['POST /api/v1/post-actions/preview', 'DELETE /api/v1/session'];
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const routeKey = (r: RouteEntry) => `${r.method} ${r.url}`;
function isPublic(r: RouteEntry): boolean {
  const method = r.method === 'HEAD' ? 'GET' : r.method;
  return `${method} ${r.url}` in PUBLIC || `* ${r.url}` in PUBLIC;
}

describe('route authorization', () => {
  let h: Harness;
  let routes: readonly RouteEntry[];
  let readKey: string;
  let revokedKey: string;

  const send = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const res = await request(h.url + path, { method: method as 'GET', headers });
    const text = await res.body.text();
    return { status: res.statusCode, text, json: () => JSON.parse(text) };
  };
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const newKey = async (role: 'admin' | 'read') => {
    const r = await h.call('POST', '/api/v1/keys', { name: `route-auth ${role}`, role });
    expect(r.status).toBe(201);
    return r.body as { id: string; key: string };
  };

  beforeAll(async () => {
    // The heartbeat is an hour away: whatever closes a revoked key's socket below, it is not the heartbeat.
    h = await startHookline('sqlite', { overrides: { server: { role: 'api' }, stream: { ping_interval: '1h' } } });
    routes = routeTable(h.hl.api!);
    readKey = (await newKey('read')).key;
    const revoked = await newKey('admin');
    expect((await h.call('DELETE', `/api/v1/keys/${revoked.id}`)).status).toBe(204);
    revokedKey = revoked.key;
  });
  afterAll(async () => h?.close());

  it('reads the route table from the server, and every public route listed is in it and answers without a key', async () => {
    expect(routes.length).toBeGreaterThan(100);
    const present = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const entry of Object.keys(PUBLIC)) {
      const [method, url] = entry.split(' ') as [string, string];
      // A GET entry also covers its HEAD route (swagger-ui registers `HEAD /docs/` alone).
      const exists = method === '*' ? routes.some((r) => r.url === url) : present.has(entry) || present.has(`HEAD ${url}`);
      expect(exists, `${entry} is listed as public but is not a route`).toBe(true);
    }
    for (const r of routes.filter((x) => isPublic(x) && !x.websocket && x.method === 'GET')) {
      expect((await send('GET', concreteUrl(r.url))).status, routeKey(r)).not.toBe(401);
    }
  });

  it('every other route answers 401 unauthorized without a key, with a garbage key and with a revoked key', async () => {
    const protectedRoutes = routes.filter((r) => !isPublic(r));
    expect(protectedRoutes.length).toBeGreaterThan(80);
    const credentials: [string, Record<string, string>][] = [
      ['no key', {}],
      ['unknown key', bearer('hl_sk_' + 'a1'.repeat(16))],
      ['not a key', bearer('definitely-not-a-key')],
      ['admin key with a character more', bearer(ADMIN_KEY + 'x')],
      ['Basic scheme', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}` }],
      ['key in a cookie that is not a session', { cookie: `hl_session=${ADMIN_KEY}` }],
      ['revoked key', bearer(revokedKey)],
    ];
    const wrong: string[] = [];
    for (const r of protectedRoutes) {
      for (const [label, headers] of credentials) {
        const res = await send(r.method, concreteUrl(r.url), headers);
        const ok = res.status === 401 && (r.method === 'HEAD' || res.json().error.code === 'unauthorized');
        if (!ok) wrong.push(`${routeKey(r)} with ${label}: ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a read-only key gets 403 forbidden on every mutating route but the read-safe ones, and can read everything', async () => {
    expect([...READ_SAFE_ROUTES].sort()).toEqual([...READ_SAFE].sort());
    const wrong: string[] = [];
    let mutating = 0;
    for (const r of routes.filter((x) => !isPublic(x))) {
      const res = await send(r.method, concreteUrl(r.url), bearer(readKey));
      if (MUTATING.has(r.method) && !READ_SAFE.includes(routeKey(r))) {
        mutating++;
        if (res.status !== 403 || res.json().error.code !== 'forbidden') wrong.push(`${routeKey(r)}: ${res.status} (want 403)`);
      } else if (res.status === 401 || res.status === 403) {
        wrong.push(`${routeKey(r)}: ${res.status} (a read-only key may call it)`);
      }
    }
    expect(wrong).toEqual([]);
    expect(mutating).toBeGreaterThan(40);
  });

  it("a read-only key's dashboard session is refused every change too (CSRF token or not), and can sign out", async () => {
    const session = await signIn(readKey);
    const wrong: string[] = [];
    for (const r of routes.filter((x) => !isPublic(x) && MUTATING.has(x.method) && !READ_SAFE.includes(routeKey(x)))) {
      const res = await send(r.method, concreteUrl(r.url), { cookie: session.cookie, 'x-csrf-token': session.csrf });
      if (res.status !== 403 || res.json().error.code !== 'forbidden') wrong.push(`${routeKey(r)}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
    // Signing out changes nothing stored; before this was read-safe a read-only user could not sign out.
    expect((await send('DELETE', '/api/v1/session', { cookie: session.cookie, 'x-csrf-token': session.csrf })).status).toBe(204);
  });

  async function signIn(key: string) {
    const res = await fetch(`${h.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: key }),
    });
    expect(res.status).toBe(200);
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as any).csrf_token as string };
  }

  /** A live-stream socket, its frames and how it closed. */
  async function openStream(headers: Record<string, string>, firstMessage?: unknown) {
    const ws = new WebSocket(h.url.replace(/^http/, 'ws') + '/api/v1/stream', { headers });
    const s = { ws, frames: [] as any[], closed: undefined as { code: number; reason: string } | undefined };
    ws.on('message', (d) => s.frames.push(JSON.parse(d.toString())));
    ws.on('close', (code, reason) => (s.closed = { code, reason: reason.toString() }));
    ws.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    if (firstMessage !== undefined) ws.send(JSON.stringify(firstMessage));
    return s;
  }
  const ready = (s: Awaited<ReturnType<typeof openStream>>) =>
    until('ready', async () => (s.frames.some((f) => f.type === 'ready') ? true : s.closed ? false : undefined));
  const closed = (s: Awaited<ReturnType<typeof openStream>>) => until('the socket to close', async () => s.closed);

  it('the live stream refuses a missing, garbage or revoked key with close code 4401', async () => {
    const attempts = [
      await openStream({}, { type: 'subscribe', id: 's', topics: ['run.*'] }),
      await openStream({}, { type: 'auth', api_key: 'hl_sk_' + 'b2'.repeat(16) }),
      await openStream({}, { type: 'auth', api_key: revokedKey }),
      await openStream(bearer('hl_sk_' + 'c3'.repeat(16))),
      await openStream(bearer(revokedKey)),
      await openStream({ cookie: `hl_session=garbage`, origin: h.url }),
    ];
    for (const s of attempts) {
      expect((await closed(s)).code).toBe(4401);
      expect(s.frames.some((f) => f.type === 'ready')).toBe(false);
    }
  });

  it('a revoked key stops at once: the next request, its dashboard session, and its open live-stream sockets', async () => {
    const victim = await newKey('admin');
    const viaHeader = await openStream(bearer(victim.key));
    expect(await ready(viaHeader)).toBe(true);
    const session = await signIn(victim.key);
    const viaCookie = await openStream({ cookie: session.cookie, origin: h.url });
    expect(await ready(viaCookie)).toBe(true);
    const bystander = await openStream(bearer(ADMIN_KEY));
    expect(await ready(bystander)).toBe(true);
    expect((await send('GET', '/api/v1/runs', bearer(victim.key))).status).toBe(200);
    expect((await send('GET', '/api/v1/session', { cookie: session.cookie })).status).toBe(200);

    expect((await h.call('DELETE', `/api/v1/keys/${victim.id}`)).status).toBe(204);

    const next = await send('GET', '/api/v1/runs', bearer(victim.key));
    expect(next.status).toBe(401);
    expect(next.json().error.code).toBe('unauthorized');
    const cookieNext = await send('GET', '/api/v1/session', { cookie: session.cookie });
    expect(cookieNext.status).toBe(401);
    expect(cookieNext.json().error.message).toMatch(/session has ended/);
    // Both sockets are closed by the revocation itself (the heartbeat is an hour away), with 4401.
    for (const s of [viaHeader, viaCookie]) {
      expect(await closed(s)).toEqual({ code: 4401, reason: 'the API key was revoked' });
      expect(s.frames.at(-1)).toMatchObject({ type: 'error', code: 'unauthorized' });
    }
    // Another key's socket is untouched.
    bystander.ws.send(JSON.stringify({ type: 'ping' }));
    await until('pong', async () => (bystander.frames.some((f) => f.type === 'pong') ? true : undefined));
    expect(bystander.closed).toBeUndefined();
    bystander.ws.close();
  });
});

describe.each(STORES)('API keys revoked by another process (%s)', (kind) => {
  let h: Harness;
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined;

  beforeAll(async () => {
    schema = kind === 'postgres' ? await createTestSchema() : undefined;
    h = await startHookline(kind, {
      overrides: { server: { role: 'api' } },
      ...(schema ? { schema: schema.schema, applicationName: schema.applicationName } : {}),
    });
  });
  afterAll(async () => {
    await h?.close();
    await schema?.drop();
  });

  /** `hookline keys revoke`'s path: its own store on the same file or schema, and ApiKeys.revoke. */
  const revokeElsewhere = async (id: string) => {
    const store = await openStore({
      ...storeOptionsFromConfig(h.hl.config),
      ...(schema ? { schema: schema.schema, applicationName: schema.applicationName } : {}),
    });
    try {
      await store.migrate();
      await new ApiKeys(store).revoke(id);
    } finally {
      await store.close();
    }
  };

  it('a key this process has checked (and cached) answers 401 at the very next request', async () => {
    const victim = (await h.call('POST', '/api/v1/keys', { name: 'revoked elsewhere' })).body as { id: string; key: string };
    const bystander = (await h.call('POST', '/api/v1/keys', { name: 'bystander', role: 'read' })).body as { id: string; key: string };
    for (const key of [victim.key, victim.key, bystander.key]) expect((await h.call('GET', '/api/v1/runs', undefined, key)).status).toBe(200);
    await revokeElsewhere(victim.id);
    const next = await h.call('GET', '/api/v1/runs', undefined, victim.key);
    expect(next.status).toBe(401);
    expect(next.body.error.code).toBe('unauthorized');
    // Other keys keep working (and are looked up again after the cache was dropped).
    expect((await h.call('GET', '/api/v1/runs', undefined, bystander.key)).status).toBe(200);
    // A second revocation elsewhere, after the cache filled again.
    expect((await h.call('GET', '/api/v1/runs', undefined, bystander.key)).status).toBe(200);
    await revokeElsewhere(bystander.id);
    expect((await h.call('GET', '/api/v1/runs', undefined, bystander.key)).status).toBe(401);
  });
});
