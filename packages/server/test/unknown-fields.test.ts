// Unknown fields in request bodies (docs/api.md, "Unknown fields"): every route that takes a JSON body, found in the
// running server's route table, refuses a field it does not know with 400 unknown_field naming
// the field's path and the nearest known field, at every level of the body; the free-form maps
// listed below take any key. A new route without an entry here fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../src/api/index.js';
import { concreteUrl } from './attacks/route-urls.js';
import { type Harness, startHookline } from './helpers/hookline.js';
import { ROUTE_BODIES as ROUTES } from './helpers/route-bodies.js';

type Json = Record<string, unknown>;

/** Routes that take any body, and why. */
const ANY_BODY: Record<string, string> = {
  '/api/v1/webhooks/:crewId/:agentId/trigger': 'inbound trigger: the sender’s payload, whatever it is, reaches the agent',
  '/api/v1/webhooks/:crewId/:agentId/:name': 'named webhook trigger: the sender’s payload, whatever it is',
  '/inspect/:bin': 'Inspector capture: stores any request as received',
  '/inspect/:bin/*': 'Inspector capture (sub-paths)',
};

/** Every object in `value` with its path (`""` for the body itself, `notifications.on_error[0]`). */
function objectsIn(value: unknown, path = ''): [string, Json][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectsIn(item, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return [[path, value as Json], ...Object.entries(value).flatMap(([k, v]) => objectsIn(v, path ? `${path}.${k}` : k))];
}

/** A deep copy of `body` with `change` applied to the object at `path`. */
function edited(body: Json, path: string, change: (o: Json) => Json): Json {
  const copy = structuredClone(body);
  if (!path) return change(copy);
  const segments = path.split(/\.|\[(\d+)\]/).filter(Boolean);
  const last = segments.pop()!;
  let parent: any = copy;
  for (const s of segments) parent = parent[s];
  parent[last] = change(parent[last]);
  return copy;
}

/** `events` → `evnts`: the third letter dropped. */
const typo = (name: string) => name.slice(0, 2) + name.slice(3);

describe('unknown fields in request bodies', () => {
  let h: Harness;
  let routes: { method: string; url: string }[];
  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
  const bodyPath = (path: string, field: string) => ['body', path, field].filter(Boolean).join('.').replace('.[', '[');

  beforeAll(async () => {
    // role api: a run started by hand stays queued (no runner process).
    h = await startHookline('sqlite', { overrides: { server: { role: 'api' } } });
    expect((await h.call('POST', '/api/v1/crews', { id: 'x1', name: 'x1' })).status).toBe(201);
    expect(
      (await h.call('POST', '/api/v1/agents', { id: 'x1', crew_id: 'x1', name: 'x1', runner: 'command', runner_config: { command: 'true' } })).status,
    ).toBe(201);
    routes = routeTable(h.hl.api!).filter((r) => !['GET', 'HEAD'].includes(r.method) && !(r.url in ANY_BODY));
  });
  afterAll(async () => h?.close());

  it('every route with a body is listed here, and each listed body is valid', async () => {
    expect(routes.map(key).filter((k) => !(k in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((k) => !routes.some((r) => key(r) === k))).toEqual([]);
    const refused: string[] = [];
    for (const r of routes) {
      if (r.method === 'DELETE') continue; // an agent and crew x1 exist and must stay
      const res = await h.call(r.method, concreteUrl(r.url), ROUTES[key(r)]!.body);
      if (['unknown_field', 'validation_failed', 'invalid_json'].includes(res.body?.error?.code)) refused.push(`${key(r)}: ${res.body.error.message}`);
    }
    expect(refused).toEqual([]);
  });

  /** Every object of every listed body with its route and path; what `check` finds wrong, as lines. */
  const everyObject = async (
    check: (r: { method: string; url: string }, body: Json, path: string, object: Json, freeForm: boolean) => Promise<string | undefined>,
  ) => {
    const wrong: string[] = [];
    for (const r of routes) {
      const { body, freeForm = [] } = ROUTES[key(r)]!;
      for (const [path, object] of objectsIn(body)) {
        const problem = await check(r, body, path, object, freeForm.includes(path));
        if (problem) wrong.push(`${key(r)} ${path || '(body)'}: ${problem}`);
      }
    }
    return wrong;
  };

  it('an extra field anywhere in the body is 400 unknown_field naming its path; free-form maps take it', async () => {
    const wrong = await everyObject(async (r, body, path, object, freeForm) => {
      const res = await h.call(
        r.method,
        concreteUrl(r.url),
        edited(body, path, (o) => ({ ...o, zz_extra: 'x' })),
      );
      const error = res.body?.error;
      if (freeForm) return ['unknown_field', 'validation_failed'].includes(error?.code) ? `free-form, yet ${error.message}` : undefined;
      const named = error?.details?.field === bodyPath(path, 'zz_extra') && Object.keys(object).every((k) => error.details.known.includes(k));
      return res.status === 400 && error.code === 'unknown_field' && named ? undefined : `${res.status} ${JSON.stringify(error)}`;
    });
    expect(wrong).toEqual([]);
  });

  it('a misspelt field is 400 unknown_field with the field it was meant to be, even when that one is required', async () => {
    const wrong = await everyObject(async (r, body, path, object, freeForm) => {
      const meant = Object.keys(object).find((k) => k.length >= 4);
      if (freeForm || !meant) return undefined;
      const res = await h.call(
        r.method,
        concreteUrl(r.url),
        edited(body, path, (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k === meant ? typo(k) : k, v]))),
      );
      const error = res.body?.error;
      const right = res.status === 400 && error?.code === 'unknown_field' && error.message.endsWith(`did you mean "${meant}"?`);
      return right && error.details.field === bodyPath(path, typo(meant)) && error.details.suggestion === meant
        ? undefined
        : `${typo(meant)}: ${res.status} ${JSON.stringify(error)}`;
    });
    expect(wrong).toEqual([]);
  });

  it('words the refusal for people and machines: the nearest field, else every known one; a route without a body says so', async () => {
    const misspelt = await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/h', evnts: ['run.*'] });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error).toEqual({
      code: 'unknown_field',
      message: 'body.evnts: unknown field "evnts"; did you mean "events"?',
      details: {
        field: 'body.evnts',
        suggestion: 'events',
        known: ['url', 'events', 'description', 'headers', 'timeout_seconds', 'retry_schedule', 'signing_scheme', 'rate_limit', 'enabled'],
      },
    });
    const far = await h.call('POST', '/api/v1/post-actions', {
      name: 'n',
      method: 'POST',
      url: 'http://127.0.0.1:9/',
      auth: { type: 'bearer', secret_token: 't' },
    });
    expect(far.status).toBe(400);
    expect(far.body.error.message).toBe(
      'body.auth.secret_token: unknown field "secret_token"; the fields here are type, token, username, password, name, value',
    );
    expect(far.body.error.details).toEqual({
      field: 'body.auth.secret_token',
      suggestion: null,
      known: ['type', 'token', 'username', 'password', 'name', 'value'],
    });
    const none = await h.call('POST', '/api/v1/runs/x1/cancel', { reason: 'stale' });
    expect(none.body.error).toEqual({
      code: 'unknown_field',
      message: 'body.reason: unknown field "reason"; this request takes no body (send none, or {})',
      details: { field: 'body.reason', suggestion: null, known: [] },
    });
    const rule = await h.call('PATCH', '/api/v1/agents/x1', {
      notifications: {
        on_error: [
          { channel: 'slack', target: '#a' },
          { channel: 'slack', taget: '#b' },
        ],
      },
    });
    expect(rule.body.error.message).toBe('body.notifications.on_error[1].taget: unknown field "taget"; did you mean "target"?');
    const oddName = await h.call('POST', '/api/v1/keys', { name: 'k', 'the role': 'read' });
    expect(oddName.body.error.details.field).toBe('body["the role"]');
  });

  it('reports the unknown field even when another field is also wrong', async () => {
    const both = await h.call('POST', '/api/v1/webhooks/endpoints', { url: 42, events: [], evnts: ['run.*'], timeout_seconds: 9999 });
    expect(both.status).toBe(400);
    expect(both.body.error.details.field).toBe('body.evnts');
    const nested = await h.call('POST', '/api/v1/runs/report', { agent_id: 'x1', status: 'exploded', usage: { tool_calls: -1, tokens: 5 } });
    expect(nested.body.error.details).toMatchObject({ field: 'body.usage.tokens', suggestion: null });
    // The runner is missing, so its settings cannot be picked; the fields of every runner are known.
    const runnr = await h.call('POST', '/api/v1/agents', { crew_id: 'x1', name: 'A', runnr: 'command', runner_config: { command: 'true' } });
    expect(runnr.body.error.details).toMatchObject({ field: 'body.runnr', suggestion: 'runner' });
    // On PATCH the stored runner (command) says what runner_config takes; the bad name is reported after.
    const patch = await h.call('PATCH', '/api/v1/agents/x1', { name: '', runner_config: { comand: 'true' } });
    expect(patch.body.error).toMatchObject({
      code: 'unknown_field',
      details: { field: 'body.runner_config.comand', suggestion: 'command', known: ['command', 'args', 'cwd', 'env'] },
    });
    const other = await h.call('PATCH', '/api/v1/agents/x1', { runner: 'http', runner_config: { url: 'http://127.0.0.1:9/', command: 'true' } });
    expect(other.body.error.details).toMatchObject({ field: 'body.runner_config.command', known: ['url', 'headers'] });
    // Without an unknown field, other mistakes keep their 422.
    const plain = await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/h', events: [] });
    expect(plain.status).toBe(422);
    expect(plain.body.error.code).toBe('validation_failed');
  });

  it('list routes refuse an unknown query parameter (422), and a route that takes no body still takes none, or {}', async () => {
    for (const path of ['/api/v1/keys?limit=5', '/api/v1/crews?limit=5', '/api/v1/webhooks/endpoints?limt=5']) {
      const res = await h.call('GET', path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 422, 'validation_failed']);
    }
    expect((await h.call('GET', '/api/v1/keys')).status).toBe(200);
    expect((await h.call('POST', '/api/v1/agents/x1/webhook-secret/rotate')).status).toBe(200);
    expect((await h.call('POST', '/api/v1/agents/x1/webhook-secret/rotate', {})).status).toBe(200);
  });
});
