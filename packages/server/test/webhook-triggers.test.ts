import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';

const node = process.execPath;
const hex = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');
const PR = JSON.stringify({ action: 'opened', number: 42, repository: { full_name: 'org/repo' }, pull_request: { title: 'Fix the flaky test' } });

describe.each(STORES)('named webhook triggers (%s)', (kind) => {
  let h: Harness;
  const post = (name: string, body: string, headers: Record<string, string>, agent = 'triage') =>
    fetch(`${h.url}/api/v1/webhooks/ops/${agent}/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const create = async (body: Record<string, unknown>, agent = 'triage') => {
    const r = await h.call('POST', `/api/v1/agents/${agent}/webhook-triggers`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const run = async (res: Response) => {
    expect(res.status).toBe(202);
    const out = (await res.json()) as any;
    return { ...out, record: (await h.call('GET', `/api/v1/runs/${out.run_id}`)).body };
  };

  beforeAll(async () => {
    h = await startHookline(kind);
    expect((await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Operations' })).status).toBe(201);
    const a = await h.call('POST', '/api/v1/agents', {
      id: 'triage',
      crew_id: 'ops',
      name: 'Triage',
      runner: 'command',
      runner_config: { command: node, args: ['-e', 'process.stdin.resume()'] },
      prompt_template: 'Agent default instructions.',
    });
    expect(a.status).toBe(201);
  });
  afterAll(async () => h.close());

  it('creates a trigger with a URL under the agent, shows the secret once, and validates names and secrets', async () => {
    const t = await create({ name: 'deploys', prompt_template: 'Summarise this deploy.' });
    expect(t).toMatchObject({
      name: 'deploys',
      scheme: 'hookline',
      enabled: true,
      agent_id: 'triage',
      crew_id: 'ops',
      url: '/api/v1/webhooks/ops/triage/deploys',
      secret: expect.stringMatching(/^hltr_/),
    });
    const got = await h.call('GET', `/api/v1/webhook-triggers/${t.id}`);
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(t.secret);
    const listed = await h.call('GET', '/api/v1/agents/triage/webhook-triggers');
    expect(listed.body.items.map((x: any) => x.name)).toContain('deploys');
    expect(JSON.stringify(listed.body)).not.toContain(t.secret);

    expect((await h.call('POST', '/api/v1/agents/triage/webhook-triggers', { name: 'deploys' })).status).toBe(409);
    const reserved = await h.call('POST', '/api/v1/agents/triage/webhook-triggers', { name: 'trigger' });
    expect(reserved.status).toBe(422);
    expect(reserved.body.error.code).toBe('invalid_name');
    const badStd = await h.call('POST', '/api/v1/agents/triage/webhook-triggers', { name: 'std-bad', scheme: 'standard', secret: 'not-a-whsec-secret-at-all' });
    expect(badStd.status).toBe(422);
    expect(badStd.body.error.code).toBe('invalid_secret');
    expect((await h.call('POST', '/api/v1/agents/triage/webhook-triggers', { name: 'x', scheme: 'bitbucket' })).status).toBe(422);
    expect((await h.call('POST', '/api/v1/agents/nobody/webhook-triggers', { name: 'x' })).status).toBe(404);
  });

  it('hookline scheme: X-Signature over the raw body starts a run with the trigger id, name and its own prompt', async () => {
    const t = await create({ name: 'alerts', prompt_template: 'Investigate this alert.' });
    const body = JSON.stringify({ event: 'disk.full', source: 'nagios', data: { host: 'db1' } });
    const r = await run(await post('alerts', body, { 'x-signature': hex(t.secret, body) }));
    expect(r).toMatchObject({ status: 'accepted', run_id: expect.stringMatching(/^run_/) });
    expect(r.record).toMatchObject({ trigger_type: 'webhook', trigger_id: t.id, trigger_name: 'alerts' });
    expect(r.record.prompt).toContain('Investigate this alert.');
    expect(r.record.prompt).not.toContain('Agent default instructions.');
    expect(r.record.prompt).toContain('Event: disk.full\nSource: nagios\nData: {"host":"db1"}');
    // The plaintext header is the agent URL's legacy path only; a named trigger refuses it.
    const plain = await post('alerts', body, { 'x-webhook-secret': t.secret });
    expect(plain.status).toBe(401);
    // A re-serialised body (same JSON, other bytes) fails.
    const spaced = JSON.stringify(JSON.parse(body), null, 2);
    expect((await post('alerts', spaced, { 'x-signature': hex(t.secret, body) })).status).toBe(401);
    // The agent's own secret does not open a named trigger.
    expect((await post('alerts', body, { 'x-signature': hex('hltr_wrong_secret_value', body) })).status).toBe(401);
  });

  it('github scheme: X-Hub-Signature-256, JSON or form bodies, ping answered, X-GitHub-Delivery deduplicates', async () => {
    const t = await create({ name: 'github', scheme: 'github', prompt_template: 'Review the pull request.' });
    const gh = (body: string, extra: Record<string, string> = {}) => ({
      'x-hub-signature-256': 'sha256=' + hex(t.secret, body),
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-1',
      ...extra,
    });
    const first = await run(await post('github', PR, gh(PR)));
    expect(first.record.prompt).toContain('Event: pull_request.opened\nSource: github:org/repo');
    const again = await post('github', PR, gh(PR));
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ run_id: first.run_id, duplicate: true });

    const form = 'payload=' + encodeURIComponent(PR);
    const viaForm = await run(await post('github', form, { ...gh(form, { 'x-github-delivery': 'd-2' }), 'content-type': 'application/x-www-form-urlencoded' }));
    expect(viaForm.run_id).not.toBe(first.run_id);
    expect(viaForm.record.prompt).toContain('Event: pull_request.opened');

    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const pong = await post('github', ping, gh(ping, { 'x-github-event': 'ping', 'x-github-delivery': 'd-3' }));
    expect(pong.status).toBe(200);
    expect(await pong.json()).toMatchObject({ status: 'ignored' });

    expect((await post('github', PR, { ...gh(PR), 'x-hub-signature-256': 'sha256=' + hex('wrong', PR) })).status).toBe(401);
    expect((await post('github', PR, { 'x-github-event': 'push' })).status).toBe(401);
    expect((await post('github', PR, { 'x-hub-signature-256': 'sha256=' + hex(t.secret, PR + ' ') })).status).toBe(401);
  });

  it('standard scheme: Standard Webhooks signatures with a bring-your-own whsec_ secret, timestamp window enforced', async () => {
    const secret = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
    const t = await create({ name: 'svix', scheme: 'standard', secret });
    expect(t.secret).toBe(secret);
    const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1' } });
    const wh = new Webhook(secret);
    const now = new Date();
    const sig = wh.sign('msg_1', now, body);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': `v1,bm90LXRoaXMtb25l ${sig}` };
    const r = await run(await post('svix', body, headers));
    expect(r.record.prompt).toContain('Event: invoice.paid');
    // webhook-id is the sender's message id: a redelivery is the same run.
    expect(await (await post('svix', body, headers)).json()).toMatchObject({ run_id: r.run_id, duplicate: true });

    const old = new Date(now.getTime() - 6 * 60_000);
    const stale = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(Math.floor(old.getTime() / 1000)), 'webhook-signature': wh.sign('msg_2', old, body) };
    const refused = await post('svix', body, stale);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).error.message).toMatch(/5-minute window/);
    expect((await post('svix', body, { ...headers, 'webhook-id': 'msg_other' })).status).toBe(401);
  });

  it('grafana scheme: X-Grafana-Alerting-Signature over the body, or over "{ts}:{body}" with a timestamp header', async () => {
    const t = await create({ name: 'grafana', scheme: 'grafana', prompt_template: 'Diagnose the alert.' });
    const body = JSON.stringify({ receiver: 'hookline', status: 'firing', alerts: [{ labels: { alertname: 'HighLatency' } }] });
    const plain = await run(await post('grafana', body, { 'x-grafana-alerting-signature': hex(t.secret, body) }));
    expect(plain.record.prompt).toContain('Event: alert.firing\nSource: grafana:hookline');
    const ts = String(Math.floor(Date.now() / 1000));
    await run(await post('grafana', body, { 'x-grafana-alerting-timestamp': ts, 'x-grafana-alerting-signature': hex(t.secret, `${ts}:${body}`) }));
    // The timestamp is signed: changing it breaks the signature; an old one is refused.
    expect(
      (await post('grafana', body, { 'x-grafana-alerting-timestamp': String(Number(ts) + 1), 'x-grafana-alerting-signature': hex(t.secret, `${ts}:${body}`) }))
        .status,
    ).toBe(401);
    const old = String(Number(ts) - 600);
    expect((await post('grafana', body, { 'x-grafana-alerting-timestamp': old, 'x-grafana-alerting-signature': hex(t.secret, `${old}:${body}`) })).status).toBe(
      401,
    );
  });

  it('disabled triggers answer 403 only to signed requests; rotation stops the old secret at once; unknown names are 404', async () => {
    const t = await create({ name: 'rotating' });
    const body = JSON.stringify({ event: 'x' });
    expect((await h.call('PATCH', `/api/v1/webhook-triggers/${t.id}`, { enabled: false })).body.enabled).toBe(false);
    const off = await post('rotating', body, { 'x-signature': hex(t.secret, body) });
    expect(off.status).toBe(403);
    expect(((await off.json()) as any).error.code).toBe('trigger_disabled');
    expect((await post('rotating', body, { 'x-signature': hex('guess-guess-guess', body) })).status).toBe(401);
    await h.call('PATCH', `/api/v1/webhook-triggers/${t.id}`, { enabled: true });

    const rotated = await h.call('POST', `/api/v1/webhook-triggers/${t.id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.secret).toMatch(/^hltr_/);
    expect(rotated.body.secret).not.toBe(t.secret);
    expect((await post('rotating', body, { 'x-signature': hex(t.secret, body) })).status).toBe(401);
    expect((await post('rotating', body, { 'x-signature': hex(rotated.body.secret, body) })).status).toBe(202);

    expect((await post('nope', body, { 'x-signature': hex(t.secret, body) })).status).toBe(404);
    expect((await h.call('GET', '/api/v1/webhook-triggers/wht_nope')).status).toBe(404);
  });

  it('the same Idempotency-Key on two triggers of one agent starts two runs; on one trigger, one', async () => {
    const a = await create({ name: 'idem-a' });
    const b = await create({ name: 'idem-b' });
    const body = JSON.stringify({ event: 'same' });
    const ra = await run(await post('idem-a', body, { 'x-signature': hex(a.secret, body), 'idempotency-key': 'k1' }));
    const rb = await run(await post('idem-b', body, { 'x-signature': hex(b.secret, body), 'idempotency-key': 'k1' }));
    expect(ra.run_id).not.toBe(rb.run_id);
    const ra2 = await post('idem-a', body, { 'x-signature': hex(a.secret, body), 'idempotency-key': 'k1' });
    expect(((await ra2.json()) as any).run_id).toBe(ra.run_id);
  });

  it('concurrent requests with one Idempotency-Key (written in one batch) make one run; distinct keys make one each', async () => {
    const t = await create({ name: 'burst' });
    const body = JSON.stringify({ event: 'burst' });
    const send = (key: string) =>
      post('burst', body, { 'x-signature': hex(t.secret, body), 'idempotency-key': key }).then(async (r) => ({ ...((await r.json()) as any), code: r.status }));
    const same = await Promise.all(Array.from({ length: 20 }, () => send('same-key')));
    expect(same.map((r) => r.code)).toEqual(Array(20).fill(202));
    expect(new Set(same.map((r) => r.run_id)).size).toBe(1);
    expect(same.filter((r) => !r.duplicate)).toHaveLength(1);
    const distinct = await Promise.all(Array.from({ length: 20 }, (_, i) => send(`key-${i}`)));
    expect(new Set(distinct.map((r) => r.run_id)).size).toBe(20);
    const runs = await h.call('GET', `/api/v1/runs?agent_id=triage&limit=1000`);
    expect(runs.body.items.filter((r: any) => r.trigger_id === t.id)).toHaveLength(21);
  });

  it('deleting the agent deletes its triggers', async () => {
    await h.call('POST', '/api/v1/agents', { id: 'temp', crew_id: 'ops', name: 'Temp', runner: 'command', runner_config: { command: node } });
    const t = await create({ name: 'gone' }, 'temp');
    expect((await h.call('DELETE', '/api/v1/agents/temp')).status).toBe(204);
    expect((await h.call('GET', `/api/v1/webhook-triggers/${t.id}`)).status).toBe(404);
  });
});
