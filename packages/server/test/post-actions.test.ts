/**
 * Post-actions and bindings (docs/post-actions.md) over both stores: every field, range and default,
 * credentials sealed at rest, template errors at save time, bindings and their cascades.
 * Firing on run end is tested in post-action-firing.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate } from '../src/templates/index.js';
import { ManualClock } from '../src/util/clock.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { databaseOf } from '../src/store/testing.js';

const PA = '/api/v1/post-actions';
const SLACK_BODY = '{\n  "text": "{{trigger_type}} \'{{trigger_name}}\' finished: {{status}}\\nTeam: {{team_name}}\\nRun: {{run_id}}\\nError: {{error}}"\n}';

describe.each(STORES)('post-actions (%s)', (kind) => {
  const clock = new ManualClock();
  let h: Harness;
  let scheduleId: string;
  let triggerId: string;

  const create = async (body: Record<string, unknown>) => {
    const r = await h.call('POST', PA, { name: 'notify', method: 'POST', url: 'https://hooks.example.com/in', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const refused = async (method: string, path: string, body: unknown, status: number, code: string) => {
    const r = await h.call(method, path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.code).toBe(code);
    return r.body.error;
  };
  const bind = async (paId: string, body: Record<string, unknown>) => {
    const r = await h.call('POST', `${PA}/${paId}/bindings`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const rawAction = (id: string) => databaseOf(h.hl.store).selectFrom('post_actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const rawBindings = (column: 'post_action_id' | 'trigger_id', value: string) =>
    databaseOf(h.hl.store).selectFrom('post_action_bindings').selectAll().where(column, '=', value).execute();
  const addSchedule = async (agentId: string, name: string) => {
    const r = await h.call('POST', '/api/v1/schedules', { agent_id: agentId, name, cron: '0 3 * * *' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const addTrigger = async (agentId: string, name: string) => {
    const r = await h.call('POST', `/api/v1/agents/${agentId}/webhook-triggers`, { name });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const addAgent = async (id: string) => {
    const r = await h.call('POST', '/api/v1/agents', { id, crew_id: 'ops', name: id, runner: 'command', runner_config: { command: process.execPath } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };

  beforeAll(async () => {
    h = await startHookline(kind, { clock });
    expect((await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Operations' })).status).toBe(201);
    await addAgent('triage');
    scheduleId = await addSchedule('triage', 'nightly');
    triggerId = await addTrigger('triage', 'alerts');
  });
  afterAll(async () => h?.close());

  it('creates with the documented defaults (timeout 30 s, retry 0, enabled) and requires a method', async () => {
    const pa = await create({});
    expect(pa).toEqual({
      id: expect.stringMatching(/^pa_[0-9a-z]{26}$/),
      name: 'notify',
      method: 'POST',
      url: 'https://hooks.example.com/in',
      headers: {},
      body_template: '',
      auth: { type: 'none' },
      timeout_seconds: 30,
      retry_count: 0,
      enabled: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await rawAction(pa.id)).toMatchObject({ timeout_ms: 30_000, retry_count: 0, enabled: 1, auth_type: 'none', auth_enc: null, headers_enc: null });
    expect((await h.call('GET', `${PA}/${pa.id}`)).body).toEqual(pa);
    const list = await h.call('GET', `${PA}?limit=500`);
    expect(list.body).toMatchObject({ total: expect.any(Number), limit: 500, offset: 0 });
    expect(list.body.items.map((x: any) => x.id)).toContain(pa.id);

    const noMethod = await refused('POST', PA, { name: 'x', url: 'https://hooks.example.com/in' }, 422, 'validation_failed');
    expect(noMethod.message).toContain('method');
    await refused('GET', `${PA}/pa_nope`, undefined, 404, 'not_found');
  });

  it('accepts GET, POST, PUT, PATCH and DELETE, and nothing else', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) expect((await create({ method })).method).toBe(method);
    for (const method of ['HEAD', 'post', 'OPTIONS'])
      expect((await refused('POST', PA, { name: 'x', method, url: 'https://a.example/' }, 422, 'validation_failed')).message).toContain('method');
  });

  it('checks timeout_seconds 1–300 and retry_count 0–5 at both edges, naming the field and the range', async () => {
    for (const t of [0, 301]) {
      const e = await refused('POST', PA, { name: 'x', method: 'POST', url: 'https://a.example/', timeout_seconds: t }, 422, 'out_of_range');
      expect(e.message).toBe(`timeout_seconds must be 1–300 (default 30); got ${t}`);
      expect(e.details).toEqual({ field: 'timeout_seconds', min: 1, max: 300, default: 30 });
    }
    for (const t of [1, 300]) expect((await rawAction((await create({ timeout_seconds: t })).id)).timeout_ms).toBe(t * 1000);
    for (const n of [-1, 6]) {
      const e = await refused('POST', PA, { name: 'x', method: 'POST', url: 'https://a.example/', retry_count: n }, 422, 'out_of_range');
      expect(e.message).toBe(`retry_count must be 0–5 (default 0); got ${n}`);
      expect(e.details.field).toBe('retry_count');
    }
    for (const n of [0, 5]) expect((await create({ retry_count: n })).retry_count).toBe(n);
    // The same ranges on PATCH, leaving the row as it was.
    const pa = await create({ timeout_seconds: 10, retry_count: 2 });
    expect((await refused('PATCH', `${PA}/${pa.id}`, { timeout_seconds: 301 }, 422, 'out_of_range')).details.field).toBe('timeout_seconds');
    expect((await refused('PATCH', `${PA}/${pa.id}`, { retry_count: 6 }, 422, 'out_of_range')).details.field).toBe('retry_count');
    expect((await h.call('GET', `${PA}/${pa.id}`)).body).toMatchObject({ timeout_seconds: 10, retry_count: 2 });
    expect((await h.call('PATCH', `${PA}/${pa.id}`, { timeout_seconds: 300, retry_count: 0 })).body).toMatchObject({ timeout_seconds: 300, retry_count: 0 });
  });

  it('stores each auth type and the header values encrypted, and never returns them', async () => {
    const cases = [
      { auth: { type: 'bearer', token: 'sentinel-bearer-token-1' }, view: { type: 'bearer' }, secret: { token: 'sentinel-bearer-token-1' } },
      {
        auth: { type: 'basic', username: 'sentinel-user-2', password: 'sentinel-pass-2' },
        view: { type: 'basic' },
        secret: { username: 'sentinel-user-2', password: 'sentinel-pass-2' },
      },
      {
        auth: { type: 'header', name: 'X-Api-Key', value: 'sentinel-key-value-3' },
        view: { type: 'header', name: 'X-Api-Key' },
        secret: { name: 'X-Api-Key', value: 'sentinel-key-value-3' },
      },
      { auth: { type: 'none' }, view: { type: 'none' }, secret: null },
    ];
    for (const c of cases) {
      const pa = await create({ auth: c.auth, headers: { 'X-Trace': 'sentinel-header-4 {{run_id}}', 'Content-Type': 'application/json' } });
      const shown = [
        JSON.stringify(pa),
        JSON.stringify((await h.call('GET', `${PA}/${pa.id}`)).body),
        JSON.stringify((await h.call('GET', `${PA}?limit=1000`)).body),
      ];
      for (const text of shown) expect(text).not.toMatch(/sentinel/);
      expect(pa.auth).toEqual(c.view);
      expect(pa.headers).toEqual({ 'X-Trace': '********', 'Content-Type': '********' });
      const row = await rawAction(pa.id);
      expect(JSON.stringify(row)).not.toMatch(/sentinel/);
      expect(row.auth_type).toBe(c.auth.type);
      expect(row.auth_enc === null).toBe(c.secret === null);
      // Sealed, not lost: the sender that comes with firing opens them.
      expect(h.hl.postActions.authSecret(row)).toEqual(c.secret);
      expect(h.hl.postActions.headers(row)).toEqual({ 'X-Trace': 'sentinel-header-4 {{run_id}}', 'Content-Type': 'application/json' });
    }
    const base = { name: 'x', method: 'POST', url: 'https://a.example/' };
    expect((await refused('POST', PA, { ...base, auth: { type: 'bearer' } }, 422, 'invalid_auth')).message).toContain('auth.token');
    expect((await refused('POST', PA, { ...base, auth: { type: 'basic', username: 'u' } }, 422, 'invalid_auth')).message).toContain('auth.password');
    expect((await refused('POST', PA, { ...base, auth: { type: 'basic', username: 'a:b', password: 'p' } }, 422, 'invalid_auth')).message).toContain(
      'username',
    );
    expect((await refused('POST', PA, { ...base, auth: { type: 'none', token: 't' } }, 422, 'invalid_auth')).message).toContain('auth.token');
    expect((await refused('POST', PA, { ...base, auth: { type: 'bearer', token: 't', password: 'p' } }, 422, 'invalid_auth')).message).toContain(
      'auth.password',
    );
    await refused('POST', PA, { ...base, auth: { type: 'header', name: 'Bad Name', value: 'v' } }, 422, 'invalid_header');
    await refused('POST', PA, { ...base, auth: { type: 'bearer', token: 'a\nb' } }, 422, 'invalid_auth');
    await refused('POST', PA, { ...base, auth: { type: 'oauth' } }, 422, 'validation_failed');
  });

  it('checks headers: valid names, none the HTTP client owns, no clash with auth', async () => {
    const base = { name: 'x', method: 'POST', url: 'https://a.example/' };
    await refused('POST', PA, { ...base, headers: { 'Bad Name': 'v' } }, 422, 'invalid_header');
    await refused('POST', PA, { ...base, headers: { 'Content-Length': '3' } }, 422, 'invalid_header');
    await refused('POST', PA, { ...base, headers: { 'X-A': '1', 'x-a': '2' } }, 422, 'invalid_header');
    await refused('POST', PA, { ...base, headers: { Authorization: 'Bearer x' }, auth: { type: 'bearer', token: 't' } }, 422, 'invalid_header');
    await refused('POST', PA, { ...base, headers: { 'x-api-key': 'a' }, auth: { type: 'header', name: 'X-Api-Key', value: 'b' } }, 422, 'invalid_header');
    // Authorization by hand is fine when no auth setting writes it.
    expect((await create({ headers: { Authorization: 'Token {{run_id}}' } })).headers).toEqual({ Authorization: '********' });
  });

  it('reports template mistakes at save time with field, line and column', async () => {
    const base = { name: 'x', method: 'POST', url: 'https://a.example/' };
    const body = await refused('POST', PA, { ...base, body_template: '{\n  "text": "{{ status | uper }}"\n}' }, 422, 'invalid_template');
    expect(body.details).toEqual({ field: 'body_template', line: 2, column: 24 });
    expect(body.message).toContain('did you mean "upper"');
    const url = await refused('POST', PA, { ...base, url: 'https://hooks.example.com/{{ run_id' }, 422, 'invalid_template');
    expect(url.details).toEqual({ field: 'url', line: 1, column: 27 });
    const header = await refused('POST', PA, { ...base, headers: { 'X-Run': 'run {% if %}' } }, 422, 'invalid_template');
    expect(header.details).toEqual({ field: 'headers.X-Run', line: 1, column: 11 });
    // A header value may not hold a line break: no value can inject another header.
    expect((await refused('POST', PA, { ...base, headers: { 'X-Run': 'a\nb' } }, 422, 'invalid_template')).details).toEqual({
      field: 'headers.X-Run',
      line: 1,
      column: 2,
    });

    const pa = await create({});
    expect((await refused('PATCH', `${PA}/${pa.id}`, { body_template: '[{{ response }' }, 422, 'invalid_template')).details).toEqual({
      field: 'body_template',
      line: 1,
      column: 2,
    });
    const override = await refused(
      'POST',
      `${PA}/${pa.id}/bindings`,
      { trigger_type: 'schedule', trigger_id: scheduleId, body_override: '{"a": "{% for x in y %}"}' },
      422,
      'invalid_template',
    );
    expect(override.details).toEqual({ field: 'body_override', line: 1, column: 8 });
    expect(await rawBindings('post_action_id', pa.id)).toEqual([]);
  });

  it('saves the documented Slack example exactly as given', async () => {
    const pa = await create({
      name: 'Slack',
      url: 'https://hooks.slack.com/services/T000/B000/XXXX',
      headers: { 'Content-Type': 'application/json' },
      body_template: SLACK_BODY,
    });
    expect((await h.call('GET', `${PA}/${pa.id}`)).body.body_template).toBe(SLACK_BODY);
    expect((await rawAction(pa.id)).body_template).toBe(SLACK_BODY);
    // It starts with "{", so values will be JSON-escaped when it renders.
    expect(compileTemplate(SLACK_BODY).mode).toBe('json');
  });

  it('checks URLs: http(s) after rendering, no credentials, SSRF guard on a literal host', async () => {
    const base = { name: 'x', method: 'POST' };
    for (const url of ['ftp://files.example.com/x', 'not a url', '{{ unknown_variable }}/x']) await refused('POST', PA, { ...base, url }, 422, 'invalid_url');
    await refused('POST', PA, { ...base, url: 'https://user:pw@hooks.example.com/' }, 422, 'invalid_url');
    for (const url of ['http://10.0.0.5/hook', 'http://169.254.169.254/latest', 'http://10.0.0.5/runs/{{run_id}}', 'http://[::1]:8080/']) {
      expect((await refused('POST', PA, { ...base, url }, 422, 'ssrf_blocked')).message).toContain('delivery.allow_networks');
    }
    // The harness allows 127.0.0.1; templated hosts are checked at connect time instead.
    for (const url of ['http://127.0.0.1:9/hook', 'https://{{team_name}}.example.com/x', 'https://hooks.example.com/runs/{{run_id}}?status={{status}}'])
      expect((await create({ url })).url).toBe(url);
  });

  it('PATCH changes only the fields given; auth and headers are replaced only when given', async () => {
    const pa = await create({
      headers: { 'X-Token': 'sentinel-h' },
      auth: { type: 'bearer', token: 'sentinel-t' },
      body_template: 'hello',
      timeout_seconds: 5,
      retry_count: 1,
    });
    const before = await rawAction(pa.id);
    clock.advance(1000);
    const renamed = await h.call('PATCH', `${PA}/${pa.id}`, { name: 'renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...pa, name: 'renamed', updated_at: new Date(Date.parse(pa.updated_at) + 1000).toISOString() });
    const after = await rawAction(pa.id);
    expect([after.headers_enc, after.auth_enc]).toEqual([before.headers_enc, before.auth_enc]);

    expect((await h.call('PATCH', `${PA}/${pa.id}`, { enabled: false })).body.enabled).toBe(false);
    expect((await h.call('PATCH', `${PA}/${pa.id}`, { enabled: true })).body.enabled).toBe(true);
    const reauth = await h.call('PATCH', `${PA}/${pa.id}`, { auth: { type: 'header', name: 'X-Key', value: 'sentinel-new' } });
    expect(reauth.body.auth).toEqual({ type: 'header', name: 'X-Key' });
    expect(h.hl.postActions.authSecret(await rawAction(pa.id))).toEqual({ name: 'X-Key', value: 'sentinel-new' });
    expect((await h.call('PATCH', `${PA}/${pa.id}`, { auth: { type: 'none' } })).body.auth).toEqual({ type: 'none' });
    expect((await rawAction(pa.id)).auth_enc).toBeNull();
    // A header that clashes with the stored auth is refused even when only headers change.
    await h.call('PATCH', `${PA}/${pa.id}`, { auth: { type: 'bearer', token: 'sentinel-t2' } });
    await refused('PATCH', `${PA}/${pa.id}`, { headers: { Authorization: 'x' } }, 422, 'invalid_header');
    expect((await h.call('PATCH', `${PA}/${pa.id}`, { headers: {} })).body.headers).toEqual({});
    expect((await rawAction(pa.id)).headers_enc).toBeNull();
    expect((await h.call('PATCH', `${PA}/${pa.id}`, { method: 'PUT', url: 'https://b.example/{{run_id}}', body_template: '' })).body).toMatchObject({
      method: 'PUT',
      url: 'https://b.example/{{run_id}}',
      body_template: '',
      timeout_seconds: 5,
      retry_count: 1,
    });
    await refused('PATCH', `${PA}/${pa.id}`, { url: 'ftp://x.example/' }, 422, 'invalid_url');
    expect((await h.call('GET', `${PA}/${pa.id}`)).body.url).toBe('https://b.example/{{run_id}}');
    await refused('PATCH', `${PA}/${pa.id}`, {}, 422, 'validation_failed');
    await refused('PATCH', `${PA}/pa_nope`, { name: 'x' }, 404, 'not_found');
  });

  it('bindings: create with defaults, every fire_when, get, list, update, delete', async () => {
    const pa = await create({});
    const b = await bind(pa.id, { trigger_type: 'schedule', trigger_id: scheduleId });
    expect(b).toEqual({
      id: expect.stringMatching(/^pab_[0-9a-z]{26}$/),
      post_action_id: pa.id,
      trigger_type: 'schedule',
      trigger_id: scheduleId,
      fire_when: 'any',
      body_override: null,
      enabled: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const byTrigger = await bind(pa.id, {
      trigger_type: 'webhook',
      trigger_id: triggerId,
      fire_when: 'success',
      body_override: '{"r": "{{response}}"}',
      enabled: false,
    });
    expect(byTrigger).toMatchObject({ fire_when: 'success', body_override: '{"r": "{{response}}"}', enabled: false });
    // An agent id stands for the agent's own trigger URL.
    expect((await bind(pa.id, { trigger_type: 'webhook', trigger_id: 'triage', fire_when: 'failure' })).fire_when).toBe('failure');

    expect((await h.call('GET', `${PA}/${pa.id}/bindings/${b.id}`)).body).toEqual(b);
    const list = await h.call('GET', `${PA}/${pa.id}/bindings`);
    expect(list.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(list.body.items.map((x: any) => x.trigger_id).sort()).toEqual([scheduleId, triggerId, 'triage'].sort());
    expect((await h.call('GET', `${PA}/${pa.id}/bindings?limit=1&offset=1`)).body).toMatchObject({
      total: 3,
      limit: 1,
      offset: 1,
      items: [expect.any(Object)],
    });

    for (const fire_when of ['failure', 'success', 'any'])
      expect((await h.call('PATCH', `${PA}/${pa.id}/bindings/${b.id}`, { fire_when })).body.fire_when).toBe(fire_when);
    const patched = await h.call('PATCH', `${PA}/${pa.id}/bindings/${b.id}`, { body_override: '{"s": "{{status}}"}', enabled: false });
    expect(patched.body).toMatchObject({ fire_when: 'any', body_override: '{"s": "{{status}}"}', enabled: false, trigger_id: scheduleId });
    expect((await h.call('PATCH', `${PA}/${pa.id}/bindings/${b.id}`, { body_override: null })).body.body_override).toBeNull();
    await refused('PATCH', `${PA}/${pa.id}/bindings/${b.id}`, { fire_when: 'sometimes' }, 422, 'validation_failed');
    await refused('PATCH', `${PA}/${pa.id}/bindings/${b.id}`, { trigger_id: triggerId }, 400, 'unknown_field');

    // A binding is reached only through its own post-action.
    const other = await create({});
    await refused('GET', `${PA}/${other.id}/bindings/${b.id}`, undefined, 404, 'not_found');
    await refused('DELETE', `${PA}/${other.id}/bindings/${b.id}`, undefined, 404, 'not_found');
    expect((await h.call('DELETE', `${PA}/${pa.id}/bindings/${b.id}`)).status).toBe(204);
    await refused('GET', `${PA}/${pa.id}/bindings/${b.id}`, undefined, 404, 'not_found');
    expect((await h.call('GET', `${PA}/${pa.id}/bindings`)).body.total).toBe(2);
  });

  it('refuses a duplicate binding (409), unknown triggers (422) and unknown post-actions (404)', async () => {
    const pa = await create({});
    await bind(pa.id, { trigger_type: 'schedule', trigger_id: scheduleId, fire_when: 'success' });
    await refused('POST', `${PA}/${pa.id}/bindings`, { trigger_type: 'schedule', trigger_id: scheduleId, fire_when: 'failure' }, 409, 'conflict');
    expect(await rawBindings('post_action_id', pa.id)).toHaveLength(1);
    // Same trigger, another post-action: fine.
    await bind((await create({})).id, { trigger_type: 'schedule', trigger_id: scheduleId });

    const unknown = await refused('POST', `${PA}/${pa.id}/bindings`, { trigger_type: 'schedule', trigger_id: 'sch_nope' }, 422, 'unknown_trigger');
    expect(unknown.message).toContain('sch_nope');
    expect(unknown.details).toMatchObject({ field: 'trigger_id', trigger_type: 'schedule', trigger_id: 'sch_nope' });
    // A schedule id is not a webhook trigger, nor a trigger id a schedule.
    await refused('POST', `${PA}/${pa.id}/bindings`, { trigger_type: 'webhook', trigger_id: scheduleId }, 422, 'unknown_trigger');
    await refused('POST', `${PA}/${pa.id}/bindings`, { trigger_type: 'schedule', trigger_id: triggerId }, 422, 'unknown_trigger');
    await refused('POST', `${PA}/${pa.id}/bindings`, { trigger_type: 'cron', trigger_id: scheduleId }, 422, 'validation_failed');
    await refused('POST', `${PA}/${pa.id}/bindings`, { trigger_type: 'schedule', trigger_id: scheduleId, fire_when: 'always' }, 422, 'validation_failed');
    await refused('POST', `${PA}/pa_nope/bindings`, { trigger_type: 'schedule', trigger_id: scheduleId }, 404, 'not_found');
  });

  it("lists a trigger's bindings with their post-actions, secrets hidden", async () => {
    await addAgent('lister');
    const sch = await addSchedule('lister', 'hourly');
    const one = await create({ name: 'one', auth: { type: 'bearer', token: 'sentinel-list' }, headers: { 'X-K': 'sentinel-list-h' } });
    const two = await create({ name: 'two' });
    await bind(one.id, { trigger_type: 'schedule', trigger_id: sch, fire_when: 'failure' });
    await bind(two.id, { trigger_type: 'schedule', trigger_id: sch });
    await bind(two.id, { trigger_type: 'webhook', trigger_id: 'lister' });
    const r = await h.call('GET', `/api/v1/triggers/schedule/${sch}/post-actions`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    const byName = Object.fromEntries(r.body.items.map((x: any) => [x.post_action.name, x]));
    expect(byName.one).toMatchObject({
      trigger_type: 'schedule',
      trigger_id: sch,
      fire_when: 'failure',
      post_action: { id: one.id, auth: { type: 'bearer' }, headers: { 'X-K': '********' } },
    });
    expect(byName.two).toMatchObject({ fire_when: 'any', post_action: { id: two.id } });
    expect(JSON.stringify(r.body)).not.toMatch(/sentinel/);
    const own = await h.call('GET', '/api/v1/triggers/webhook/lister/post-actions');
    expect(own.body.items.map((x: any) => x.post_action.id)).toEqual([two.id]);
    await refused('GET', '/api/v1/triggers/schedule/sch_nope/post-actions', undefined, 404, 'not_found');
    await refused('GET', `/api/v1/triggers/cron/${sch}/post-actions`, undefined, 422, 'validation_failed');
  });

  it('deletes bindings with their post-action, schedule, webhook trigger or agent', async () => {
    await addAgent('doomed');
    const sch = await addSchedule('doomed', 'daily');
    const wht = await addTrigger('doomed', 'deploys');
    const pa = await create({});
    const keep = await create({});
    for (const [type, id] of [
      ['schedule', sch],
      ['webhook', wht],
      ['webhook', 'doomed'],
      ['schedule', scheduleId],
    ] as const) {
      await bind(pa.id, { trigger_type: type, trigger_id: id });
      await bind(keep.id, { trigger_type: type, trigger_id: id });
    }
    expect((await h.call('DELETE', `${PA}/${pa.id}`)).status).toBe(204);
    await refused('GET', `${PA}/${pa.id}`, undefined, 404, 'not_found');
    expect(await rawBindings('post_action_id', pa.id)).toEqual([]);
    expect(await rawBindings('post_action_id', keep.id)).toHaveLength(4);
    await refused('DELETE', `${PA}/${pa.id}`, undefined, 404, 'not_found');

    expect((await h.call('DELETE', `/api/v1/schedules/${sch}`)).status).toBe(204);
    expect(await rawBindings('trigger_id', sch)).toEqual([]);
    expect((await h.call('DELETE', `/api/v1/webhook-triggers/${wht}`)).status).toBe(204);
    expect(await rawBindings('trigger_id', wht)).toEqual([]);
    expect(await rawBindings('trigger_id', 'doomed')).toHaveLength(1);

    // The agent takes with it the bindings to its own URL and to its triggers and schedules.
    const sch2 = await addSchedule('doomed', 'weekly');
    const wht2 = await addTrigger('doomed', 'alerts');
    await bind(keep.id, { trigger_type: 'schedule', trigger_id: sch2 });
    await bind(keep.id, { trigger_type: 'webhook', trigger_id: wht2 });
    expect((await h.call('DELETE', '/api/v1/agents/doomed')).status).toBe(204);
    for (const id of ['doomed', sch2, wht2]) expect(await rawBindings('trigger_id', id)).toEqual([]);
    // Another agent's binding stays.
    expect((await rawBindings('post_action_id', keep.id)).map((b) => b.trigger_id)).toEqual([scheduleId]);
  });

  it('lets a read-only key look but not change anything', async () => {
    const key = (await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key as string;
    const pa = await create({});
    const b = await bind(pa.id, { trigger_type: 'schedule', trigger_id: scheduleId });
    expect((await h.call('GET', PA, undefined, key)).status).toBe(200);
    expect((await h.call('GET', `${PA}/${pa.id}/bindings`, undefined, key)).status).toBe(200);
    expect((await h.call('GET', `/api/v1/triggers/schedule/${scheduleId}/post-actions`, undefined, key)).status).toBe(200);
    const attempts: [string, string, unknown][] = [
      ['POST', PA, { name: 'x', method: 'POST', url: 'https://a.example/' }],
      ['PATCH', `${PA}/${pa.id}`, { name: 'y' }],
      ['DELETE', `${PA}/${pa.id}`, undefined],
      ['POST', `${PA}/${pa.id}/bindings`, { trigger_type: 'webhook', trigger_id: triggerId }],
      ['PATCH', `${PA}/${pa.id}/bindings/${b.id}`, { enabled: false }],
      ['DELETE', `${PA}/${pa.id}/bindings/${b.id}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const r = await h.call(method, path, body, key);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    expect((await h.call('GET', `${PA}/${pa.id}`)).body.name).toBe('notify');
    expect(await rawBindings('post_action_id', pa.id)).toHaveLength(1);
  });
});
