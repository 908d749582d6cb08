import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';

const node = process.execPath;
// An agent: echoes what it was asked, reports usage on its last line.
const ECHO = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{console.log('ANSWER:'+s.length);console.log(JSON.stringify({hookline_usage:{tokens_used:7,tool_calls:1,iterations_used:2}}))})`;
const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
const headers = (h: Record<string, string | string[] | undefined>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));

describe.each(STORES)('agents, their trigger URL and runs (%s)', (kind) => {
  let h: Harness;
  let rx: Receiver;
  let secret: string;
  const trigger = (body: string, extra: Record<string, string> = {}, path = '/api/v1/webhooks/acme/reviewer/trigger') =>
    fetch(h.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body });
  const waitRun = (id: string) =>
    until(`run ${id} to finish`, async () => {
      const r = (await h.call('GET', `/api/v1/runs/${id}`)).body;
      return ['queued', 'running'].includes(r.status) ? undefined : r;
    });
  const waitRunning = (id: string) =>
    until(`run ${id} to start`, async () => ((await h.call('GET', `/api/v1/runs/${id}`)).body.status === 'running' ? true : undefined));

  beforeAll(async () => {
    rx = await new Receiver().start();
    h = await startHookline(kind);
    expect((await h.call('POST', '/api/v1/crews', { id: 'acme', name: 'Acme Engineering' })).status).toBe(201);
    const a = await h.call('POST', '/api/v1/agents', {
      id: 'reviewer',
      crew_id: 'acme',
      name: 'Code reviewer',
      runner: 'command',
      runner_config: { command: node, args: ['-e', ECHO], env: { API_TOKEN: 'sentinel-agent-token' } },
      prompt_template: 'Review the pull request.',
      model: 'local-echo',
      rate_limit_per_minute: 600,
    });
    expect(a.status).toBe(201);
    secret = a.body.webhook_secret;
  });
  afterAll(async () => {
    await h.close();
    await rx.close();
  });

  it('shows the webhook secret only on creation and hides runner environment values', async () => {
    expect(secret).toMatch(/^hltr_/);
    const got = await h.call('GET', '/api/v1/agents/reviewer');
    expect(JSON.stringify(got.body)).not.toContain(secret);
    expect(JSON.stringify(got.body)).not.toContain('sentinel-agent-token');
    expect(got.body).toMatchObject({
      crew_id: 'acme',
      timeout_seconds: 600,
      max_concurrent_runs: 1,
      trigger_url: '/api/v1/webhooks/acme/reviewer/trigger',
      runner_config: { env: { API_TOKEN: '********' } },
    });
  });

  it('accepts a body signed with X-Signature (202, status accepted, run id) and runs the agent with the trigger message', async () => {
    const body = JSON.stringify({ event: 'pull_request.opened', source: 'github', data: { repository: 'org/repo', pr_number: 42 } });
    const r = await trigger(body, { 'x-signature': hmac(secret, body) });
    expect(r.status).toBe(202);
    const out = (await r.json()) as any;
    expect(out).toMatchObject({ status: 'accepted', run_id: expect.stringMatching(/^run_/) });
    expect(r.headers.get('deprecation')).toBeNull();
    const run = await waitRun(out.run_id);
    expect(run).toMatchObject({ status: 'completed', trigger_type: 'webhook', exit_code: 0, usage: { tokens_used: 7, tool_calls: 1, iterations_used: 2 } });
    expect(run.prompt).toContain('Review the pull request.');
    expect(run.prompt).toContain('Webhook event received:\nEvent: pull_request.opened\nSource: github\nData: {"repository":"org/repo","pr_number":42}');
    expect(run.prompt).toMatch(/UNTRUSTED_WEBHOOK_PAYLOAD/);
    expect(run.output.trim()).toBe(`ANSWER:${Buffer.byteLength(run.prompt)}`);
  });

  it.each([
    ['no signature header', {}, 'send X-Signature'],
    ['a wrong signature', { 'x-signature': 'ab'.repeat(32) }, 'does not match'],
    ['a truncated signature', { 'x-signature': 'abc' }, 'does not match'],
    ['a wrong plaintext secret', { 'x-webhook-secret': 'nope' }, 'wrong'],
  ])('answers 401 for %s and starts no run', async (_n, extra, reason) => {
    const before = (await h.call('GET', '/api/v1/runs?agent_id=reviewer')).body.total;
    const r = await trigger('{"event":"x"}', extra as Record<string, string>);
    expect(r.status).toBe(401);
    expect(((await r.json()) as any).error.message).toContain(reason);
    expect((await h.call('GET', '/api/v1/runs?agent_id=reviewer')).body.total).toBe(before);
  });

  it('signs the exact raw bytes: a re-serialised body fails', async () => {
    const sent = '{"event": "push",  "data": {"a": 1}}';
    const reserialised = JSON.stringify(JSON.parse(sent));
    expect((await trigger(sent, { 'x-signature': hmac(secret, reserialised) })).status).toBe(401);
    expect((await trigger(sent, { 'x-signature': hmac(secret, sent) })).status).toBe(202);
  });

  it('still accepts the deprecated X-Webhook-Secret, with Deprecation and Sunset headers', async () => {
    const r = await trigger('{"event":"legacy"}', { 'x-webhook-secret': secret });
    expect(r.status).toBe(202);
    expect(r.headers.get('deprecation')).toBe('true');
    expect(r.headers.get('sunset')).toBe('Thu, 31 Dec 2026 23:59:59 GMT');
  });

  it('answers 404 for an unknown crew or agent, or an agent of another crew', async () => {
    const body = '{}';
    const sig = { 'x-signature': hmac(secret, body) };
    expect((await trigger(body, sig, '/api/v1/webhooks/acme/nobody/trigger')).status).toBe(404);
    expect((await trigger(body, sig, '/api/v1/webhooks/other/reviewer/trigger')).status).toBe(404);
  });

  it('checks X-Timestamp freshness when sent (signature over "{ts}.{body}")', async () => {
    const body = '{"event":"ts"}';
    const now = Math.floor(Date.now() / 1000);
    expect((await trigger(body, { 'x-timestamp': String(now), 'x-signature': hmac(secret, `${now}.${body}`) })).status).toBe(202);
    const old = now - 301;
    const stale = await trigger(body, { 'x-timestamp': String(old), 'x-signature': hmac(secret, `${old}.${body}`) });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as any).error.message).toMatch(/5-minute/);
    // A timestamp header must be covered by the signature.
    expect((await trigger(body, { 'x-timestamp': String(now), 'x-signature': hmac(secret, body) })).status).toBe(401);
  });

  it('gives the same run for the same Idempotency-Key', async () => {
    const body = '{"event":"idem"}';
    const sig = { 'x-signature': hmac(secret, body), 'idempotency-key': 'delivery-123' };
    const a = (await (await trigger(body, sig)).json()) as any;
    const b = (await (await trigger(body, sig)).json()) as any;
    expect(b.run_id).toBe(a.run_id);
    expect(b.duplicate).toBe(true);
    expect((await h.call('GET', '/api/v1/runs?agent_id=reviewer&limit=1000')).body.items.filter((r: any) => r.id === a.run_id)).toHaveLength(1);
  });

  it('answers 400 for a signed body that is not JSON, and 413 for an oversized body', async () => {
    expect((await trigger('not json', { 'x-signature': hmac(secret, 'not json') })).status).toBe(400);
    const big = JSON.stringify({ data: 'x'.repeat(1_100_000) });
    expect((await trigger(big, { 'x-signature': hmac(secret, big) })).status).toBe(413);
  });

  it('rotating the secret stops the old one at once', async () => {
    const r = await h.call('POST', '/api/v1/agents/reviewer/webhook-secret/rotate');
    expect(r.status).toBe(200);
    const body = '{"event":"rot"}';
    expect((await trigger(body, { 'x-signature': hmac(secret, body) })).status).toBe(401);
    secret = r.body.webhook_secret;
    expect((await trigger(body, { 'x-signature': hmac(secret, body) })).status).toBe(202);
  });

  it('end to end: signed trigger → command agent → run.completed delivered, signed, with the callback payload fields', async () => {
    const ep = (await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/runs`, events: ['run.*'] })).body;
    const body = '{"event":"alert.fired","source":"grafana","data":{"alert":"disk"}}';
    const res = (await (await trigger(body, { 'x-signature': hmac(secret, body) })).json()) as any;
    await waitRun(res.run_id);
    const completed = (r: { body: string }) => JSON.parse(r.body).data.execution_id === res.run_id && JSON.parse(r.body).type === 'run.completed';
    const got = await until('run.completed delivered', async () => rx.received.find(completed));
    const evt = new Webhook(ep.secret).verify(got.body, headers(got.headers)) as any;
    expect(evt.type).toBe('run.completed');
    expect(evt.data).toMatchObject({
      agent_loop_id: 'reviewer',
      agent_loop_name: 'Code reviewer',
      execution_id: res.run_id,
      status: 'completed',
      result: { output: expect.stringContaining('ANSWER:'), iterations_used: 2, tool_calls: 1 },
      metadata: { model: 'local-echo', tokens_used: 7, started_at: expect.any(String), completed_at: expect.any(String), duration_seconds: expect.any(Number) },
      error: null,
      crew_id: 'acme',
      crew_name: 'Acme Engineering',
      trigger_type: 'webhook',
    });
    await h.call('DELETE', `/api/v1/webhooks/endpoints/${ep.id}`);
  });

  it('records failures and timeouts as run.failed / run.timeout, and queues runs beyond max_concurrent_runs', async () => {
    await h.call('POST', '/api/v1/agents', {
      id: 'flaky',
      crew_id: 'acme',
      name: 'Flaky',
      runner: 'command',
      runner_config: { command: node, args: ['-e', 'console.error("boom");process.exit(3)'] },
    });
    await h.call('POST', '/api/v1/agents', {
      id: 'slow',
      crew_id: 'acme',
      name: 'Slow',
      runner: 'command',
      runner_config: { command: node, args: ['-e', 'setTimeout(()=>{},60000)'] },
      timeout_seconds: 1,
    });
    const failed = await h.call('POST', '/api/v1/agents/flaky/runs', { prompt: 'go' });
    expect(failed.status).toBe(202);
    expect(await waitRun(failed.body.id)).toMatchObject({
      status: 'failed',
      exit_code: 3,
      trigger_type: 'manual',
      error: expect.stringContaining('exited with code 3'),
    });
    const a = (await h.call('POST', '/api/v1/agents/slow/runs', {})).body;
    const b = (await h.call('POST', '/api/v1/agents/slow/runs', {})).body;
    // One at a time: the second waits in the queue while the first runs.
    await waitRunning(a.id);
    expect((await h.call('GET', `/api/v1/runs/${b.id}`)).body.status).toBe('queued');
    const aDone = await waitRun(a.id);
    expect(aDone).toMatchObject({ status: 'timeout', error: expect.stringMatching(/timed out/) });
    const bDone = await waitRun(b.id);
    expect(bDone.status).toBe('timeout');
    // And the second began only once the first had ended.
    expect(new Date(bDone.started_at).getTime()).toBeGreaterThanOrEqual(new Date(aDone.finished_at).getTime());
    const events = await h.call('GET', '/api/v1/deliveries?limit=1');
    expect(events.status).toBe(200);
  });

  it('cancels a queued or running run', async () => {
    const a = (await h.call('POST', '/api/v1/agents/slow/runs', {})).body;
    const b = (await h.call('POST', '/api/v1/agents/slow/runs', {})).body;
    const cb = await h.call('POST', `/api/v1/runs/${b.id}/cancel`);
    expect(cb.body.status).toBe('cancelled');
    await waitRunning(a.id);
    const ca = await h.call('POST', `/api/v1/runs/${a.id}/cancel`);
    expect(ca.body.status).toBe('cancelled');
    expect((await h.call('POST', `/api/v1/runs/${a.id}/cancel`)).status).toBe(409);
  });

  it('PATCH with null clears a nullable field (not coerced to an empty string)', async () => {
    await h.call('POST', '/api/v1/agents', {
      id: 'nullable',
      crew_id: 'acme',
      name: 'Nullable',
      runner: 'command',
      runner_config: { command: node },
      model: 'm1',
      rate_limit_per_minute: 5,
    });
    const r = await h.call('PATCH', '/api/v1/agents/nullable', { model: null, rate_limit_per_minute: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model: null, rate_limit_per_minute: null });
    await h.call('DELETE', '/api/v1/agents/nullable');
  });

  it('refuses an agent in an unknown crew and a crew with agents', async () => {
    const r = await h.call('POST', '/api/v1/agents', { crew_id: 'nope', name: 'x', runner: 'command', runner_config: { command: 'true' } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unknown_crew');
    expect((await h.call('DELETE', '/api/v1/crews/acme')).status).toBe(409);
  });

  it('announces run.started when a run starts, before run.completed', async () => {
    const ep = (await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/lifecycle`, events: ['run.started', 'run.completed'] })).body;
    const run = (await h.call('POST', '/api/v1/agents/reviewer/runs', { prompt: 'hi' })).body;
    await waitRun(run.id);
    const mine = () => rx.received.filter((r) => r.path === '/lifecycle' && JSON.parse(r.body).data.execution_id === run.id);
    await until('run.started and run.completed delivered', async () => (mine().length >= 2 ? true : undefined));
    const types = mine()
      .map((r) => JSON.parse(r.body).type)
      .sort();
    expect(types).toEqual(['run.completed', 'run.started']);
    const started = JSON.parse(mine().find((r) => JSON.parse(r.body).type === 'run.started')!.body);
    expect(started.id).toBe(`evt_${run.id}_started`);
    expect(started.data).toMatchObject({
      execution_id: run.id,
      status: 'running',
      result: null,
      metadata: { started_at: expect.any(String), completed_at: null },
    });
    await h.call('DELETE', `/api/v1/webhooks/endpoints/${ep.id}`);
  });

  it('records an externally executed run once and notifies like a local run', async () => {
    const ep = (await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/external`, events: ['run.failed'] })).body;
    const report = {
      agent_id: 'reviewer',
      status: 'failed',
      error: 'Tool call failed: HTTP 500 from API',
      started_at: '2026-01-15T10:00:00Z',
      finished_at: '2026-01-15T10:02:30Z',
      usage: { tokens_used: 1250 },
      external_id: 'ext-1',
    };
    const first = await h.call('POST', '/api/v1/runs/report', report);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'failed', trigger_type: 'api', duration_seconds: 150, duplicate: false });
    const again = await h.call('POST', '/api/v1/runs/report', report);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
    await until('run.failed delivered', async () => (rx.received.some((r) => r.path === '/external') ? true : undefined));
    // A second delivery (of a second run.failed) would be due now: the drain sends it before we count.
    await h.hl.dispatcher!.drain();
    const got = rx.received.filter((r) => r.path === '/external');
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body).data).toMatchObject({
      execution_id: first.body.id,
      status: 'failed',
      result: null,
      error: 'Tool call failed: HTTP 500 from API',
      metadata: { duration_seconds: 150, tokens_used: 1250 },
    });
    expect((await h.call('POST', '/api/v1/runs/report', { ...report, external_id: 'ext-2', finished_at: '2026-01-15T09:00:00Z' })).status).toBe(422);
    expect((await h.call('POST', '/api/v1/runs/report', { ...report, agent_id: 'nobody' })).status).toBe(404);
    await h.call('DELETE', `/api/v1/webhooks/endpoints/${ep.id}`);
  });

  it("keeps a run's log lines (stdout and stderr, in order) and an agent's recent lines", async () => {
    await h.call('POST', '/api/v1/agents', {
      id: 'chatty',
      crew_id: 'acme',
      name: 'Chatty',
      runner: 'command',
      runner_config: { command: node, args: ['-e', 'console.log("one");console.error("two");console.log("three")'] },
    });
    const run = (await h.call('POST', '/api/v1/agents/chatty/runs', {})).body;
    await waitRun(run.id);
    const logs = await h.call('GET', `/api/v1/runs/${run.id}/logs`);
    expect(logs.status).toBe(200);
    expect(logs.body.run_status).toBe('completed');
    expect(logs.body.items.filter((l: any) => l.stream === 'stdout').map((l: any) => l.line)).toEqual(['one', 'three']);
    expect(logs.body.items.filter((l: any) => l.stream === 'stderr').map((l: any) => l.line)).toEqual(['two']);
    expect(logs.body.items.map((l: any) => l.seq)).toEqual([...logs.body.items.map((l: any) => l.seq)].sort((a: number, b: number) => a - b));
    const after = await h.call('GET', `/api/v1/runs/${run.id}/logs?after_seq=${logs.body.items[1].seq}`);
    expect(after.body.items).toHaveLength(logs.body.items.length - 2);
    const agentLogs = await h.call('GET', '/api/v1/agents/chatty/logs?limit=2');
    expect(agentLogs.body.items).toHaveLength(2);
    expect((await h.call('GET', '/api/v1/runs/run_missing/logs')).status).toBe(404);
  });

  it('keeps at most 10,000 log lines per run and says how many it dropped', async () => {
    await h.call('POST', '/api/v1/agents', {
      id: 'flood',
      crew_id: 'acme',
      name: 'Flood',
      runner: 'command',
      runner_config: { command: node, args: ['-e', 'for (let i = 0; i < 10050; i++) console.log("line " + i)'] },
    });
    const run = (await h.call('POST', '/api/v1/agents/flood/runs', {})).body;
    await waitRun(run.id);
    const logs = await h.call('GET', `/api/v1/runs/${run.id}/logs?after_seq=9999&limit=10`);
    expect(logs.body.items.map((l: any) => [l.stream, l.line])).toEqual([
      ['stdout', 'line 9999'],
      ['system', '[50 more lines were not kept: the limit is 10000 lines per run]'],
    ]);
  });

  it('?wait=true answers 200 with the finished run, or 202 when the wait runs out', async () => {
    const done = await h.call('POST', '/api/v1/agents/reviewer/runs?wait=true', { prompt: 'quick' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', output: expect.stringContaining('ANSWER:') });
    await h.call('POST', '/api/v1/agents', {
      id: 'sleeper',
      crew_id: 'acme',
      name: 'Sleeper',
      runner: 'command',
      runner_config: { command: node, args: ['-e', 'setTimeout(()=>{},60000)'] },
      timeout_seconds: 60,
    });
    const slow = await h.call('POST', '/api/v1/agents/sleeper/runs?wait=true&wait_seconds=1', {});
    expect(slow.status).toBe(202);
    expect(['queued', 'running']).toContain(slow.body.status);
    await waitRunning(slow.body.id);
    expect((await h.call('POST', `/api/v1/runs/${slow.body.id}/cancel`)).body.status).toBe('cancelled');
  });
});
