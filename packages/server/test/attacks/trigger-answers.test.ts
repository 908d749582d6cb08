import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, type Harness, STORES, startHookline } from '../helpers/hookline.js';
import { until } from '../helpers/wait.js';
import { createTargets, signedHeaders, type Target, type TargetKind } from './trigger-targets.js';

/**
 * What a trigger URL tells its caller (SECURITY.md). The caller holds a trigger secret, not an API
 * key, and senders keep answers in delivery logs that many people read: every answer, on every
 * trigger route and scheme, success or refusal, must carry nothing of the agent. A sentinel sits
 * in the agent's prompt template, description and runner settings, and in what the run prints;
 * the test first proves the API-key view of the run holds it, then that no trigger answer does.
 */
const SENTINEL = 'SENTINEL-7d1f0c-agent-private';
const KINDS: TargetKind[] = ['agent', 'hookline', 'github', 'standard', 'grafana'];

describe.each(STORES)('trigger answers carry nothing of the agent (%s)', (store) => {
  let h: Harness;
  let targets: Record<TargetKind, Target>;
  let disabled: Target;
  let limited: Target;
  const seen: { what: string; status: number; text: string }[] = [];
  let n = 0;

  const agentSecrets = (crew: string) => ({
    description: `${SENTINEL} description`,
    prompt_template: `${SENTINEL} prompt`,
    runner_config: { command: process.execPath, args: ['-e', `console.log(${JSON.stringify(`${SENTINEL} output`)})`, `${SENTINEL}-${crew}-arg`] },
  });

  beforeAll(async () => {
    h = await startHookline(store);
    ({ targets, disabled } = await createTargets(h, 'ta', 'ta-agent', agentSecrets('ta')));
    limited = (await createTargets(h, 'tl', 'tl-agent', { ...agentSecrets('tl'), rate_limit_per_minute: 1 })).targets.agent;
  });
  afterAll(async () => h?.close());

  /** Sends a request and records its whole answer (status line, headers and body) for the sentinel sweep. */
  const send = async (
    what: string,
    t: Target,
    body: string,
    o: { key?: string; headers?: Record<string, string>; sign?: boolean; contentType?: string } = {},
  ) => {
    const raw = Buffer.from(body);
    const signed = o.sign === false ? {} : signedHeaders(t, raw, { nowSec: Math.floor(Date.now() / 1000), timestamp: true, deliveryId: `ta-${n++}` });
    // contentType '' sends none at all (a body-less request as curl -X POST makes it).
    const type = o.contentType ?? 'application/json';
    const headers: Record<string, string> = { ...(type ? { 'content-type': type } : {}), ...signed, ...o.headers };
    if (o.key) headers['idempotency-key'] = o.key;
    const res = await fetch(h.url + t.path, { method: 'POST', headers, body: raw.length ? raw : undefined });
    const answer = await answerOf(res);
    seen.push({ what, status: answer.status, text: JSON.stringify([...res.headers]) + JSON.stringify(answer.body) });
    return answer;
  };
  const payload = () => JSON.stringify({ event: 'answer.test', source: 'attacker', data: { n: n++ } });

  it.each(KINDS)('%s: a signed request answers exactly {status, run_id}', async (kind) => {
    const r = await send(`${kind} accepted`, targets[kind], payload());
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(Object.keys(r.body).sort()).toEqual(['run_id', 'status']);
    expect(r.body.status).toBe('accepted');
    expect(r.body.run_id).toMatch(/^run_/);
  });

  it.each(KINDS)('%s: a repeated Idempotency-Key after the run ended answers exactly {status, run_id, duplicate}', async (kind) => {
    const key = `ta-key-${kind}`;
    const first = await send(`${kind} first`, targets[kind], payload(), { key });
    expect(first.status).toBe(202);
    // The run has ended and holds the sentinel in its prompt and output: what an old answer leaked.
    const run = await until('the run to end', async () => {
      const got = await h.call('GET', `/api/v1/runs/${first.body.run_id}`);
      return got.body.finished_at ? got.body : undefined;
    });
    expect(run.status).toBe('completed');
    expect(run.prompt).toContain(SENTINEL);
    expect(run.output).toContain(SENTINEL);
    const again = await send(`${kind} duplicate`, targets[kind], payload(), { key });
    expect(again.status).toBe(202);
    expect(Object.keys(again.body).sort()).toEqual(['duplicate', 'run_id', 'status']);
    expect(again.body).toEqual({ status: 'accepted', run_id: first.body.run_id, duplicate: true });
  });

  it('agent URL: the deprecated X-Webhook-Secret answers the same key set', async () => {
    const r = await send('legacy', targets.agent, payload(), { sign: false, headers: { 'x-webhook-secret': targets.agent.secret } });
    expect(r.status).toBe(202);
    expect(r.headers.get('deprecation')).toBe('true');
    expect(Object.keys(r.body).sort()).toEqual(['run_id', 'status']);
  });

  it('a signed empty body (with and without a JSON content type) is accepted with the same key set', async () => {
    for (const contentType of ['application/json', '']) {
      const r = await send(`empty ${contentType}`, targets.agent, '', { contentType });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      expect(Object.keys(r.body).sort()).toEqual(['run_id', 'status']);
    }
  });

  it('github: a form-encoded payload and a ping answer only their own fields', async () => {
    const form = await send('github form', targets.github, `payload=${encodeURIComponent(payload())}`, { contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(202);
    expect(Object.keys(form.body).sort()).toEqual(['run_id', 'status']);
    const ping = await send('github ping', targets.github, payload(), { headers: { 'x-github-event': 'ping' } });
    expect(ping.status).toBe(200);
    expect(Object.keys(ping.body).sort()).toEqual(['reason', 'status']);
  });

  it('refusals (bad signature, disabled trigger, rate limit, bad JSON) answer only {error: {code, message}}', async () => {
    const refusals = [
      await send('wrong signature', targets.hookline, payload(), { sign: false, headers: { 'x-signature': '00'.repeat(32) } }),
      await send('no signature', targets.standard, payload(), { sign: false }),
      await send('disabled', disabled, payload()),
      await send('bad json', targets.grafana, '{"unterminated'),
      await send('limited 1', limited, payload()),
      await send('limited 2', limited, payload()),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 403, 400, 202, 429]);
    for (const r of refusals.filter((answer) => answer.status !== 202)) {
      expect(Object.keys(r.body)).toEqual(['error']);
      expect(Object.keys(r.body.error).sort()).toEqual(['code', 'message']);
    }
  });

  it('X-Signature with a "sha256=" prefix is refused with a hint to drop it (whether or not the digest is right)', async () => {
    const body = payload();
    const correct = signedHeaders(targets.agent, Buffer.from(body), { nowSec: Math.floor(Date.now() / 1000), deliveryId: 'prefix' })['x-signature'];
    for (const value of [`sha256=${correct}`, `sha256=${'ab'.repeat(32)}`]) {
      const r = await send('prefixed', targets.agent, body, { sign: false, headers: { 'x-signature': value } });
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe('X-Signature is the bare hex HMAC-SHA256 of the body; drop the "sha256=" prefix');
    }
  });

  it('no answer above, in its headers or body, holds the sentinel', () => {
    // Every case above ran first (vitest keeps file order), so the sweep covers all of them.
    expect(seen.length).toBeGreaterThanOrEqual(25);
    const leaks = seen.filter((answer) => answer.text.includes(SENTINEL));
    expect(leaks.map((leak) => `${leak.what} (${leak.status})`)).toEqual([]);
  });
});
