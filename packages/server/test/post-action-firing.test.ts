/**
 * Post-actions firing when runs end (docs/post-actions.md), over both stores: the request on the wire
 * (variables, JSON escaping of hostile output, the four auth modes), fire-when × outcome,
 * retry rules driven by a ManualClock, run history, and a retry that resends identical bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/util/clock.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { createAgent, ScriptedRunner, settledNotifications, triggerAndWait, until } from './helpers/notify.js';
import { Receiver } from './helpers/receiver.js';
import { databaseOf } from '../src/store/testing.js';

const PA = '/api/v1/post-actions';
const SLACK_BODY =
  '{\n  "text": "{{trigger_type}} \'{{trigger_name}}\' finished: {{status}}\\nTeam: {{team_name}}\\nRun: {{run_id}}\\nError: {{error}}",\n  "response": "{{response}}"\n}';
const HOSTILE = 'He said "hi"\nC:\\temp\\x\t☃ </script> \u2028 {{ run_id }} \u0000end';

describe.each(STORES)('post-actions fire on run end (%s)', (kind) => {
  const runner = new ScriptedRunner();
  const recv = new Receiver();
  let h: Harness;
  let secret: string;

  const create = async (body: Record<string, unknown>) => {
    const r = await h.call('POST', PA, { name: 'notify', method: 'POST', url: `${recv.url}/pa`, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const bind = async (paId: string, body: Record<string, unknown>) => {
    const r = await h.call('POST', `${PA}/${paId}/bindings`, { trigger_type: 'webhook', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const fromPath = (prefix: string) => recv.received.filter((r) => r.path.startsWith(prefix));

  beforeAll(async () => {
    await recv.start();
    h = await startHookline(kind, { runnerFor: () => runner, overrides: { log: { level: process.env.TEST_LOG ?? 'silent' } } });
    secret = await createAgent(h, 'reviewer');
    runner.cases.hostile = { status: 'completed', output: HOSTILE, error: null, exitCode: 0, usage: {} };
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  it('renders the post-action variables into URL, headers and body, JSON-escaping hostile output', async () => {
    const id = await create({
      name: 'slack-like',
      url: `${recv.url}/vars/{{status}}/{{run_id}}?team={{team_name}}`,
      headers: { 'Content-Type': 'application/json', 'X-Trigger': '{{trigger_type}}:{{trigger_name}}' },
      body_template: SLACK_BODY,
    });
    const bindingId = await bind(id, { trigger_id: 'reviewer', fire_when: 'any' });
    const run = await triggerAndWait(h, 'reviewer', secret, { note: 'case-hostile' });
    const [n] = await settledNotifications(h, run.id, 1);
    expect(n).toMatchObject({
      channel: 'post_action',
      status: 'delivered',
      target: 'slack-like',
      agent_id: 'reviewer',
      event_type: 'on_complete',
      attempts: 1,
    });
    const [req] = fromPath('/vars/');
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe(`/vars/success/${run.id}?team=Ops%20Team`);
    expect(req!.headers['x-trigger']).toBe('webhook:inbound');
    expect(req!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req!.body);
    // U+0000 cannot be stored in PostgreSQL text; both stores keep U+FFFD (the run's result is not lost).
    expect(body.response).toBe(HOSTILE.replace('\u0000', '\uFFFD'));
    expect((await h.call('GET', `/api/v1/runs/${run.id}`)).body.output).toBe(body.response);
    expect(body.text).toBe(`webhook 'inbound' finished: success\nTeam: Ops Team\nRun: ${run.id}\nError: `);
    // Run history: status, code, request, response, error, duration, run and binding.
    const hist = (await h.call('GET', `${PA}/${id}/runs`)).body;
    expect(hist.total).toBe(1);
    expect(hist.items[0]).toMatchObject({
      status: 'success',
      http_status_code: 200,
      request: { method: 'POST', url: `${recv.url}/vars/success/${run.id}?team=Ops%20Team` },
      response_body: 'ok',
      error: null,
      run_id: run.id,
      binding_id: bindingId,
      attempts: 1,
    });
    expect(hist.items[0].duration_ms).toBeGreaterThanOrEqual(0);
    await h.call('DELETE', `${PA}/${id}`);
  });

  it('sends each of the four auth modes on the wire, from the sealed credentials', async () => {
    const modes = {
      none: { type: 'none' },
      bearer: { type: 'bearer', token: 'tok-123' },
      basic: { type: 'basic', username: 'ada', password: 'p@ss:word' },
      header: { type: 'header', name: 'X-API-Key', value: 'key-456' },
    };
    const ids: string[] = [];
    for (const [mode, auth] of Object.entries(modes)) {
      ids.push(await create({ name: `auth-${mode}`, url: `${recv.url}/auth/${mode}`, auth, body_template: 'plain {{status}}' }));
      await bind(ids.at(-1)!, { trigger_id: 'reviewer' });
    }
    const run = await triggerAndWait(h, 'reviewer', secret, {});
    await settledNotifications(h, run.id, 4);
    const got = (mode: string) => fromPath(`/auth/${mode}`)[0]!;
    expect(got('none').headers.authorization).toBeUndefined();
    expect(got('bearer').headers.authorization).toBe('Bearer tok-123');
    expect(got('basic').headers.authorization).toBe(`Basic ${Buffer.from('ada:p@ss:word').toString('base64')}`);
    expect(got('header').headers['x-api-key']).toBe('key-456');
    expect(got('none').body).toBe('plain success');
    expect(got('none').headers['content-type']).toBe('text/plain; charset=utf-8');
    // The credentials are not in the stored request (sealed), nor in any API answer.
    const rows = await databaseOf(h.hl.store).selectFrom('deliveries').select(['request_enc']).where('run_id', '=', run.id).execute();
    for (const r of rows) expect(r.request_enc).not.toMatch(/tok-123|key-456|p@ss/);
    for (const id of ids) await h.call('DELETE', `${PA}/${id}`);
  });

  it('fires by fire_when × outcome (failure includes timeout); disabled bindings and post-actions stay quiet', async () => {
    const when = {
      any: await create({ name: 'w-any', url: `${recv.url}/when/any` }),
      success: await create({ name: 'w-success', url: `${recv.url}/when/success` }),
      failure: await create({ name: 'w-failure', url: `${recv.url}/when/failure` }),
    };
    for (const [fire_when, id] of Object.entries(when)) await bind(id, { trigger_id: 'reviewer', fire_when });
    const off = await create({ name: 'off', url: `${recv.url}/when/off`, enabled: false });
    await bind(off, { trigger_id: 'reviewer' });
    const offBinding = await create({ name: 'off-binding', url: `${recv.url}/when/off-binding` });
    await bind(offBinding, { trigger_id: 'reviewer', enabled: false });

    const expected: Record<string, string[]> = { ok: ['any', 'success'], failed: ['any', 'failure'], timeout: ['any', 'failure'] };
    for (const [c, wanted] of Object.entries(expected)) {
      const before = recv.received.length;
      const run = await triggerAndWait(h, 'reviewer', secret, { note: `case-${c}` });
      const items = await settledNotifications(h, run.id, wanted.length);
      expect(items.map((i) => i.target).sort()).toEqual(wanted.map((w) => `w-${w}`).sort());
      const paths = recv.received
        .slice(before)
        .map((r) => r.path)
        .filter((p) => p.startsWith('/when/'));
      expect(paths.sort()).toEqual(wanted.map((w) => `/when/${w}`).sort());
      const body = JSON.parse(recv.received.slice(before).find((r) => r.path === '/when/any')!.body || '{}');
      expect(body).toEqual({});
    }
    for (const id of [...Object.values(when), off, offBinding]) await h.call('DELETE', `${PA}/${id}`);
  });

  it('uses the binding body override, and fires for a schedule with its name', async () => {
    const id = await create({ name: 'sched', url: `${recv.url}/sched`, body_template: '{"from": "action"}' });
    const s = await h.call('POST', '/api/v1/schedules', { agent_id: 'reviewer', name: 'nightly-report', cron: '0 3 * * *', prompt: 'case-ok' });
    expect(s.status).toBe(201);
    await bind(id, {
      trigger_type: 'schedule',
      trigger_id: s.body.id,
      body_override: '{"trigger": "{{trigger_type}}", "name": "{{trigger_name}}", "status": "{{status}}"}',
    });
    const r = await h.call('POST', `/api/v1/schedules/${s.body.id}/run`);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    await recv.waitFor(recv.received.length + 1).catch(() => {});
    const req = await until('schedule post-action', async () => fromPath('/sched')[0]);
    expect(JSON.parse(req.body)).toEqual({ trigger: 'schedule', name: 'nightly-report', status: 'success' });
    await h.call('DELETE', `${PA}/${id}`);
    await h.call('DELETE', `/api/v1/schedules/${s.body.id}`);
  });

  it('a manual retry from the notification log resends identical bytes', async () => {
    const id = await create({ name: 'again', url: `${recv.url}/again`, body_template: '{"run": "{{run_id}}", "at": "{{finished_at}}"}' });
    await bind(id, { trigger_id: 'reviewer' });
    const run = await triggerAndWait(h, 'reviewer', secret, {});
    const [n] = await settledNotifications(h, run.id, 1);
    const r = await h.call('POST', `/api/v1/notifications/${n.id}/retry`);
    expect(r.status).toBe(202);
    await until('second attempt', async () => (fromPath('/again').length === 2 ? true : undefined));
    const [a, b] = fromPath('/again');
    expect(b!.body).toBe(a!.body);
    expect(b!.path).toBe(a!.path);
    // The receiver answers before the dispatcher writes the outcome (group commit): wait for it.
    const after = await until('the retried record to settle', async () => {
      const rec = (await h.call('GET', `/v1/notifications/${n.id}`)).body;
      return rec.status === 'pending' ? undefined : rec;
    });
    expect(after).toMatchObject({ status: 'delivered', attempts: 2 });
    await h.call('DELETE', `${PA}/${id}`);
  });
});

describe.each(STORES)('post-action retries (%s)', (kind) => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const runner = new ScriptedRunner();
  const recv = new Receiver();
  let h: Harness;
  let secret: string;
  let status = 503;

  beforeAll(async () => {
    await recv.start();
    recv.respond = (req, res) => void res.writeHead(req.path.startsWith('/fourxx') ? 422 : status).end(`answer ${status}`);
    h = await startHookline(kind, { clock, runnerFor: () => runner, random: () => 0 });
    secret = await createAgent(h, 'flaky');
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  const attemptsOf = async (runId: string) => (await h.call('GET', `/api/v1/notifications?execution_id=${runId}`)).body.items[0];

  it('retries 5xx after 1 s, 2 s … up to retry_count, then fails; 4xx is not retried', async () => {
    const five = await h.call('POST', PA, { name: 'five', method: 'POST', url: `${recv.url}/fivexx`, retry_count: 3 });
    const four = await h.call('POST', PA, { name: 'four', method: 'POST', url: `${recv.url}/fourxx`, retry_count: 5 });
    for (const pa of [five, four])
      expect((await h.call('POST', `${PA}/${pa.body.id}/bindings`, { trigger_type: 'webhook', trigger_id: 'flaky' })).status).toBe(201);
    const run = await triggerAndWait(h, 'flaky', secret, {});
    await h.hl.dispatcher!.drain();
    expect(recv.received.map((r) => r.path).sort()).toEqual(['/fivexx', '/fourxx']);
    const byTarget = async () =>
      Object.fromEntries(((await h.call('GET', `/api/v1/notifications?execution_id=${run.id}`)).body.items as any[]).map((i) => [i.target, i]));
    expect((await byTarget()).four).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 422' });
    expect((await byTarget()).five).toMatchObject({ status: 'pending', attempts: 1 });

    // 1 s later (jitter 0): the second attempt; not a moment before.
    clock.advance(999);
    await h.hl.dispatcher!.drain();
    expect(recv.received.length).toBe(2);
    for (const [step, total] of [
      [1, 3],
      [2000, 4],
      [4000, 5],
    ] as const) {
      clock.advance(step);
      await h.hl.dispatcher!.drain();
      expect(recv.received.length).toBe(total);
    }
    expect((await byTarget()).five).toMatchObject({ status: 'failed', attempts: 4, last_error: 'HTTP 503' });
    clock.advance(60_000);
    await h.hl.dispatcher!.drain();
    expect(recv.received.length).toBe(5);
    const hist = (await h.call('GET', `${PA}/${five.body.id}/runs`)).body.items[0];
    expect(hist).toMatchObject({ status: 'failed', http_status_code: 503, response_body: 'answer 503', error: 'HTTP 503', attempts: 4 });
    expect(await attemptsOf(run.id)).toBeDefined();
  });

  it('a recovered receiver gets the retry: delivered on the next attempt', async () => {
    status = 500;
    const pa = await h.call('POST', PA, { name: 'recover', method: 'PUT', url: `${recv.url}/recover`, retry_count: 1 });
    await h.call('POST', `${PA}/${pa.body.id}/bindings`, { trigger_type: 'webhook', trigger_id: 'flaky' });
    const before = recv.received.length;
    const run = await triggerAndWait(h, 'flaky', secret, {});
    await h.hl.dispatcher!.drain();
    status = 204;
    clock.advance(1000);
    await h.hl.dispatcher!.drain();
    const got = recv.received.slice(before).filter((r) => r.path === '/recover');
    expect(got.map((r) => r.method)).toEqual(['PUT', 'PUT']);
    const n = (await h.call('GET', `/api/v1/notifications?execution_id=${run.id}&channel=post_action`)).body.items.find((i: any) => i.target === 'recover');
    expect(n).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
  });
});
