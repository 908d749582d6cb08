/**
 * Tenant isolation, route by route (docs/tenants.md, SECURITY.md). Tenant A (an org with two
 * environments) holds one of every resource. Every route of the running server's route table that
 * names a resource in its path is sent A's real ids by each credential that is not A's own: B's
 * org key, B's environment key, a key of A's other environment, the installation key naming B's
 * environment, B's dashboard session and B's portal token. Each answers 404 (never 403, never
 * 2xx) and A's resources are unchanged afterwards. Then 10,000 random requests mix every
 * credential, route and id (A's, mutated, foreign), and none is answered with A's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from '../../src/api/index.js';
import { ADMIN_KEY, answerOf, type Harness, STORES, startHookline } from '../helpers/hookline.js';
import { Receiver } from '../helpers/receiver.js';
import { ROUTE_BODIES } from '../helpers/route-bodies.js';
import { until } from '../helpers/wait.js';

/** Routes whose path params do not name a tenant's resource, and why they are not in the matrix. */
const NOT_TENANT_RESOURCES: Record<string, string> = {
  'POST /api/v1/webhooks/:crewId/:agentId/trigger': "public: the agent's secret signs the request (trigger-answers.test.ts)",
  'POST /api/v1/webhooks/:crewId/:agentId/:name': "public: the trigger's secret signs the request",
  '/inspect/:bin': 'public capture URL: the bin name is the capability (inspector.test.ts)',
  '/inspect/:bin/*': 'public capture URL (sub-paths)',
  'GET /guides/:name': 'public documentation',
  'GET /guides/recipes/:name': 'public documentation',
};

/** Routes that answer a scoped key the same way whatever the id (they are the installation's), so nothing leaks. */
const SAME_FOR_ANY_ID: Record<string, number> = {
  'DELETE /api/v1/orgs/:org_id': 403,
};

interface Credential {
  name: string;
  headers: Record<string, string>;
  /** Org and key routes are addressed by path, not by the tenant headers: the installation key may use them on any org. */
  installation?: boolean;
  /** A key of A's other environment: A's org itself is its own org too (it sees it and its own environment). */
  sameOrg?: boolean;
  portal?: boolean;
}

/** Whether `who` is meant to reach route `url` with A's ids: the installation reaches orgs and keys by path, an environment its own org. */
const reaches = (who: Credential, url: string): boolean =>
  (who.installation === true && /^\/api\/v1\/(orgs|keys)\//.test(url)) || (who.sameOrg === true && /^\/api\/v1\/orgs\/:org_id(\/envs)?$/.test(url));

describe.each(STORES)('tenant attack matrix (%s)', (kind) => {
  let h: Harness;
  const rx = new Receiver();
  let routes: readonly RouteEntry[];
  /** Tenant A's ids by the route param (and path prefix) that names them. */
  const ids: Record<string, string> = {};
  /** Values that are A's alone: none may appear in an answer to another tenant. */
  const secretsOfA: string[] = [];
  const others: Credential[] = [];
  const suffix = `${kind}${Date.now().toString(36)}`;

  const send = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    answerOf(
      await fetch(h.url + path, {
        method,
        headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
  const ok = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await send(method, path, { authorization: `Bearer ${key}` }, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    await rx.start();
    h = await startHookline(kind, { overrides: { delivery: { retry_schedule: ['1h'] } } });
    routes = routeTable(h.hl.api!);
    const a = await ok('POST', '/api/v1/orgs', ADMIN_KEY, { name: `A ${suffix}` });
    const aOther = await ok('POST', `/api/v1/orgs/${a.id}/envs`, ADMIN_KEY, { name: 'staging' });
    const b = await ok('POST', '/api/v1/orgs', ADMIN_KEY, { name: `B ${suffix}` });
    const keyOf = async (name: string, body: object) => (await ok('POST', '/api/v1/keys', ADMIN_KEY, { name, ...body })).key as string;
    const keyA = await keyOf('a', { org_id: a.id, env_id: a.envs[0].id });

    // One of every resource in A's production environment.
    const endpoint = await ok('POST', '/api/v1/webhooks/endpoints', keyA, { url: `${rx.url}/a`, events: ['order.*'], description: `A-endpoint-${suffix}` });
    const event = await ok('POST', '/api/v1/events', keyA, { type: 'order.paid', data: { note: `A-payload-${suffix}` } });
    const crew = await ok('POST', '/api/v1/crews', keyA, { id: `crew-a-${suffix}`, name: 'A crew' });
    const agent = await ok('POST', '/api/v1/agents', keyA, {
      id: `agent-a-${suffix}`,
      crew_id: crew.id,
      name: 'A agent',
      runner: 'command',
      runner_config: { command: '/bin/cat' },
    });
    const run = await ok('POST', `/api/v1/agents/${agent.id}/runs?wait=true`, keyA, { prompt: `A-prompt-${suffix}` });
    const schedule = await ok('POST', '/api/v1/schedules', keyA, { agent_id: agent.id, name: 'nightly', cron: '@daily' });
    const trigger = await ok('POST', `/api/v1/agents/${agent.id}/webhook-triggers`, keyA, { name: 'github', scheme: 'github' });
    const postAction = await ok('POST', '/api/v1/post-actions', keyA, { name: 'notify', method: 'POST', url: `${rx.url}/pa` });
    const binding = await ok('POST', `/api/v1/post-actions/${postAction.id}/bindings`, keyA, { trigger_type: 'schedule', trigger_id: schedule.id });
    const bin = await ok('POST', '/api/v1/inspector/bins', keyA, { name: `bin-a-${suffix}` });
    await fetch(`${h.url}/inspect/${bin.name}`, { method: 'POST', body: `A-capture-${suffix}` });
    const delivery = await until('A delivery', async () => (await ok('GET', '/api/v1/deliveries', keyA)).items[0]);
    const notifications = await ok('GET', '/api/v1/notifications', keyA);
    const capture = await until('A capture', async () => (await ok('GET', `/api/v1/inspector/bins/${bin.name}/requests`, keyA)).items[0]);
    const aKeyRow = (await ok('GET', '/api/v1/keys', keyA)).items[0];
    Object.assign(ids, {
      'webhooks/endpoints:id': endpoint.id,
      'deliveries:id': delivery.id,
      'events:id': event.event.id,
      'crews:id': crew.id,
      'agents:id': agent.id,
      'runs:id': run.id,
      'schedules:id': schedule.id,
      'webhook-triggers:id': trigger.id,
      'post-actions:id': postAction.id,
      'post-actions:bindingId': binding.id,
      'triggers:type': 'schedule',
      'triggers:id': schedule.id,
      'inspector/bins:bin': bin.name,
      'inspector/bins:id': capture.id,
      'keys:id': aKeyRow.id,
      'orgs:org_id': a.id,
      'orgs:env_id': a.envs[0].id,
      'notifications:id': notifications.items[0]?.id ?? delivery.id,
    });
    secretsOfA.push(
      `A-endpoint-${suffix}`,
      `A-payload-${suffix}`,
      `A-prompt-${suffix}`,
      `A-capture-${suffix}`,
      endpoint.secret,
      agent.webhook_secret,
      trigger.secret,
    );

    // Every credential that is not A's own.
    const keyB = await keyOf('b', { org_id: b.id });
    const keyBEnv = await keyOf('b env', { org_id: b.id, env_id: b.envs[0].id });
    const keyAOther = await keyOf('a other env', { org_id: a.id, env_id: aOther.id });
    const session = await send('POST', '/api/v1/session', {}, { api_key: keyB });
    const cookie = /hl_session=[^;]+/.exec(session.headers.get('set-cookie') ?? '')![0];
    const portal = await ok('POST', '/api/v1/portal/sessions', ADMIN_KEY, { org_id: b.id, env_id: b.envs[0].id });
    others.push(
      { name: "B's org key", headers: { authorization: `Bearer ${keyB}` } },
      { name: "B's environment key", headers: { authorization: `Bearer ${keyBEnv}` } },
      { name: "a key of A's other environment", headers: { authorization: `Bearer ${keyAOther}` }, sameOrg: true },
      {
        name: "the installation key naming B's environment",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'hookline-env': b.envs[0].id },
        installation: true,
      },
      { name: "B's dashboard session", headers: { cookie, 'x-csrf-token': session.body.csrf_token } },
      { name: "B's portal token", headers: { authorization: `Bearer ${portal.token}` }, portal: true },
    );
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await rx.close();
  });

  const routeKey = (r: RouteEntry) => `${r.method} ${r.url}`;
  const named = (r: RouteEntry) => r.url.includes(':');
  const inMatrix = (r: RouteEntry) =>
    named(r) &&
    !r.websocket &&
    r.method !== 'HEAD' &&
    !(routeKey(r) in NOT_TENANT_RESOURCES) &&
    !(`* ${r.url}` in NOT_TENANT_RESOURCES) &&
    !(r.url in NOT_TENANT_RESOURCES);
  /** The route's path with A's id for each param, by the resource folder the param follows. */
  const concrete = (r: RouteEntry): string | undefined => {
    let missing = false;
    const path = r.url.replace(/:(\w+)/g, (_m, param: string) => {
      const prefix = /\/(?:api\/)?v1\/(.*?)\/?(?::|$)/.exec(r.url)?.[1]?.split('/:')[0] ?? '';
      const id = ids[`${prefix}:${param}`] ?? ids[`${prefix.split('/')[0]}:${param}`];
      if (id === undefined) missing = true;
      return encodeURIComponent(id ?? '');
    });
    return missing ? undefined : path;
  };

  it('maps every route that names a resource to one of A’s ids', () => {
    const unmapped = routes.filter(inMatrix).filter((r) => concrete(r) === undefined);
    expect(unmapped.map(routeKey)).toEqual([]);
    expect(routes.filter(inMatrix).length).toBeGreaterThan(50);
  });

  it('answers 404 to every other credential on every such route, and A’s resources are unchanged', async () => {
    const before = await Promise.all(
      ['/api/v1/webhooks/endpoints', '/api/v1/agents', '/api/v1/schedules', '/api/v1/post-actions'].map((p) => ok('GET', p, ADMIN_KEY)),
    );
    const wrong: string[] = [];
    for (const r of routes.filter(inMatrix)) {
      const key = routeKey(r);
      const path = concrete(r)!;
      const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? (ROUTE_BODIES[key]?.body ?? {}) : undefined;
      for (const who of others) {
        if (reaches(who, r.url)) continue;
        const res = await send(r.method, path, who.headers, body);
        const expected = !who.portal && !who.installation ? (SAME_FOR_ANY_ID[key] ?? 404) : 404;
        const leaked = secretsOfA.filter((secret) => JSON.stringify(res.body).includes(secret));
        if (res.status !== expected || leaked.length) wrong.push(`${key} by ${who.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
    const after = await Promise.all(
      ['/api/v1/webhooks/endpoints', '/api/v1/agents', '/api/v1/schedules', '/api/v1/post-actions'].map((p) => ok('GET', p, ADMIN_KEY)),
    );
    expect(after).toEqual(before);
  }, 180_000);

  it('10,000 random requests with mixed credentials, routes and ids answer nothing of A', async () => {
    const matrix = routes.filter(inMatrix);
    const pool = Object.values(ids);
    // Each case draws from its own generator seeded by its number: a failure names the case, and that number repeats it.
    const generator = (caseNumber: number) => {
      let seed = (caseNumber * 0x9e3779b9) >>> 0;
      return (n: number) => {
        seed = (seed + 0x6d2b79f5) >>> 0;
        let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) % n;
      };
    };
    let random = generator(0);
    const mutate = (id: string): string => {
      switch (random(6)) {
        case 0:
          return id;
        case 1:
          return id.toUpperCase();
        case 2:
          return `${id}x`;
        case 3:
          return id.slice(0, -1);
        case 4:
          return `${id}%00`;
        default:
          return pool[random(pool.length)]!;
      }
    };
    const wrong: string[] = [];
    const CASES = 10_000;
    let next = 0;
    let sent = 0;
    const worker = async () => {
      for (let n = next++; n < CASES; n = next++) {
        random = generator(n);
        const r = matrix[random(matrix.length)]!;
        const who = others[random(others.length)]!;
        if (reaches(who, r.url)) continue;
        const path = r.url.replace(/:(\w+)/g, () => encodeURIComponent(mutate(pool[random(pool.length)]!)).replace('%2500', '%00'));
        const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? (ROUTE_BODIES[routeKey(r)]?.body ?? {}) : undefined;
        const res = await send(r.method, path, who.headers, body);
        sent++;
        const text = JSON.stringify(res.body);
        const leaked = secretsOfA.filter((secret) => text.includes(secret));
        // An id echoed back in a "does not exist" message is the caller's own input, not A's data.
        if ((res.status >= 200 && res.status < 300) || leaked.length)
          wrong.push(`case ${n}: ${r.method} ${path} by ${who.name}: ${res.status} ${text.slice(0, 160)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThan(CASES * 0.9); // only the routes a credential is meant to reach are left out
  }, 300_000);
});
