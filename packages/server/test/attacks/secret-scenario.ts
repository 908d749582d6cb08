/**
 * The secret-sentinel scenario: sets up every resource that holds a secret, drives deliveries,
 * runs, rotations, retries and bad requests through a running Hookline, then reads every
 * resource back. Every API answer becomes evidence; the ones that create or rotate a secret are
 * the only places that secret is allowed.
 */
import { createHmac } from 'node:crypto';
import type { StreamClient } from '../helpers/stream-client.js';
import { until } from '../helpers/wait.js';
import type { Evidence, Secrets } from './secret-evidence.js';

export interface ScenarioContext {
  base: string;
  /** The echo receiver's origin. */
  rx: string;
  secrets: Secrets;
  adminKey: string;
  fileAgentSecret: string;
  evidence: Evidence[];
  openStream: (key: string) => Promise<StreamClient>;
}

interface Answer {
  status: number;
  body: any;
  id: string;
  headers: Headers;
}
interface CallOptions {
  id?: string;
  key?: string | null;
  headers?: Record<string, string>;
  raw?: string;
  record?: boolean;
}

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
const ENDED = (r: any) => r && !['queued', 'running'].includes(r.status);

export async function exercise(
  c: ScenarioContext,
): Promise<{ runs: Record<string, string>; attempted: number; badRequests: { status: number; id: string }[] }> {
  const S = c.secrets;
  let n = 0;
  const api = async (method: string, path: string, body?: unknown, o: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...(o.key === null ? {} : { authorization: `Bearer ${o.key ?? c.adminKey}` }), ...o.headers };
    if (body !== undefined || o.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(c.base + path, { method, headers, ...((o.raw ?? body) !== undefined ? { body: o.raw ?? JSON.stringify(body) } : {}) });
    const text = await res.text();
    const id = `answer to ${o.id ?? `${method} ${path} #${++n}`}`;
    if (o.record !== false) c.evidence.push({ id, text: `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}` });
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: kept as text in the evidence */
    }
    return { status: res.status, body: parsed, id, headers: res.headers };
  };
  const ok = (a: Answer, what: string) => {
    if (a.status >= 300) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
    return a;
  };
  const expect409or201 = (a: Answer) => void (a.status === 409 || ok(a, 'crew'));
  const poll = (method: string, path: string) => api(method, path, undefined, { record: false });

  // Keys first: the read-only key watches the live stream for the whole scenario.
  const key = ok(await api('POST', '/api/v1/keys', { name: 'reader', role: 'read' }, { id: 'create API key' }), 'key');
  const readKey = S.track('API key (read)', key.body.key, key.id);
  const stream = await c.openStream(readKey);
  stream.subscribe('all', ['*']).catch(() => {});
  const signIn = ok(await api('POST', '/api/v1/session', { api_key: readKey }, { key: null, id: 'dashboard sign-in' }), 'session');
  const cookie = /hl_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1] ?? '';
  S.track('dashboard session cookie', cookie, signIn.id);

  // Agents: every runner, and the secrets each holds.
  // The AGENT.md file agent has already made crew `ops` at start.
  expect409or201(await api('POST', '/api/v1/crews', { id: 'ops', name: 'Ops' }));
  const slackOk = `${c.rx}/services/T0/B0/${S.make('Slack incoming-webhook URL')}`;
  const slackFail = `${c.rx}/services/fail/B0/${S.make('Slack incoming-webhook URL (failing)')}`;
  const agentSecrets: Record<string, string> = {};
  const agent = async (id: string, runner: string, runnerConfig: object, notifications: object = {}) => {
    const a = ok(
      await api(
        'POST',
        '/api/v1/agents',
        { id, crew_id: 'ops', name: id, runner, runner_config: runnerConfig, notifications, model: 'm' },
        { id: `create agent ${id}` },
      ),
      id,
    );
    agentSecrets[id] = S.track(`agent ${id} webhook secret`, a.body.webhook_secret, a.id);
  };
  await agent(
    'cat',
    'command',
    { command: '/bin/cat', env: { SECRET_ENV: S.make('command runner env') } },
    {
      on_complete: [
        { channel: 'slack', target: '#alerts' },
        { channel: 'slack', target: '#fail' },
        { channel: 'slack', target: slackOk },
        { channel: 'slack', target: slackFail },
        { channel: 'webhook', target: 'hooks' },
      ],
    },
  );
  await agent(
    'fail',
    'command',
    { command: '/bin/sh', args: ['-c', 'cat >/dev/null; echo boom >&2; exit 3'] },
    {
      on_error: [
        { channel: 'webhook', target: 'hooks' },
        { channel: 'slack', target: '#alerts' },
      ],
    },
  );
  // Prints its whole environment as output: none of Hookline's own secrets may be in it.
  await agent('env', 'command', { command: '/usr/bin/env' });
  await agent('http-ok', 'http', { url: `${c.rx}/runner/ok`, headers: { Authorization: `Bearer ${S.make('http runner header')}` } });
  await agent('http-fail', 'http', { url: `${c.rx}/runner/fail`, headers: { 'X-Api-Key': S.make('http runner header (failing)') } });
  await agent('openai-ok', 'openai', { base_url: `${c.rx}/openai/ok`, api_key: S.make('openai api key') });
  await agent('openai-fail', 'openai', { base_url: `${c.rx}/openai/fail`, api_key: S.make('openai api key (failing)') });

  // Callbacks (custom headers; the signing secret is generated), named trigger, post-actions, endpoints, bin.
  const cb = ok(
    await api(
      'PUT',
      '/api/v1/agents/cat/callback',
      {
        url: `${c.rx}/callback/ok`,
        headers: { Authorization: `Bearer ${S.make('callback Authorization header')}`, 'X-Extra': S.make('callback extra header') },
      },
      { id: 'set callback of cat' },
    ),
    'callback',
  );
  S.track('callback secret (cat)', cb.body.secret, cb.id);
  const cbFail = ok(
    await api(
      'PUT',
      '/api/v1/agents/fail/callback',
      { url: `${c.rx}/callback/fail`, headers: { 'X-Api-Key': S.make('callback header (failing)') } },
      { id: 'set callback of fail' },
    ),
    'callback',
  );
  S.track('callback secret (fail)', cbFail.body.secret, cbFail.id);
  const triggerSecret = S.make('named trigger secret');
  const trig = ok(await api('POST', '/api/v1/agents/cat/webhook-triggers', { name: 'ci', secret: triggerSecret }, { id: 'create named trigger' }), 'trigger');
  S.allow(triggerSecret, trig.id);
  const triggerSecret2 = S.make('named trigger secret (rotated)');
  S.allow(
    triggerSecret2,
    ok(await api('POST', `/api/v1/webhook-triggers/${trig.body.id}/rotate-secret`, { secret: triggerSecret2 }, { id: 'rotate named trigger' }), 'rotate').id,
  );
  const postAction = async (name: string, path: string, auth: object, headers: object = {}) => {
    const pa = ok(
      await api('POST', '/api/v1/post-actions', { name, method: 'POST', url: `${c.rx}${path}`, auth, headers, body_template: '{"status": "{{status}}"}' }),
      name,
    );
    ok(await api('POST', `/api/v1/post-actions/${pa.body.id}/bindings`, { trigger_type: 'webhook', trigger_id: 'cat', fire_when: 'any' }), 'binding');
  };
  await postAction(
    'pa-bearer',
    '/pa/ok/bearer',
    { type: 'bearer', token: S.make('post-action bearer token') },
    { 'X-Custom': S.make('post-action custom header') },
  );
  await postAction('pa-basic', '/pa/fail/basic', { type: 'basic', username: S.make('post-action basic user'), password: S.make('post-action basic password') });
  await postAction('pa-header', '/pa/fail/header', { type: 'header', name: 'X-Api-Key', value: S.make('post-action header value') });
  const epOk = ok(
    await api(
      'POST',
      '/api/v1/webhooks/endpoints',
      { url: `${c.rx}/ep/ok`, events: ['run.*', 'webhook.test'], headers: { Authorization: S.make('endpoint Authorization header') } },
      { id: 'create endpoint ok' },
    ),
    'endpoint',
  );
  S.track('endpoint signing secret (ok)', epOk.body.secret, epOk.id);
  const epFail = ok(
    await api(
      'POST',
      '/api/v1/webhooks/endpoints',
      { url: `${c.rx}/ep/fail`, events: ['custom.*'], headers: { 'X-Token': S.make('endpoint X-Token header') }, signing_scheme: 'github' },
      { id: 'create endpoint fail' },
    ),
    'endpoint',
  );
  S.track('endpoint signing secret (fail)', epFail.body.secret, epFail.id);
  const rotated = ok(await api('POST', `/api/v1/webhooks/endpoints/${epOk.body.id}/rotate-secret`, {}, { id: 'rotate endpoint secret' }), 'rotate');
  S.track('endpoint signing secret (rotated)', rotated.body.secret, rotated.id);
  ok(await api('POST', '/api/v1/inspector/bins', { name: 'bin1', secret: S.make('inspector bin secret') }), 'bin');

  // Runs: the agent's URL signed, the deprecated X-Webhook-Secret header, the named trigger, and by hand.
  const runIds: Record<string, string> = {};
  const trigger = async (name: string, path: string, secret: string, how: 'sign' | 'header') => {
    const body = JSON.stringify({ event: 'deploy', data: { n: name } });
    const res = await fetch(`${c.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(how === 'sign' ? { 'x-signature': sign(secret, body) } : { 'x-webhook-secret': secret }) },
      body,
    });
    const text = await res.text();
    c.evidence.push({ id: `answer to trigger ${name}`, text: `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}` });
    if (res.status !== 202) throw new Error(`trigger ${name}: ${res.status} ${text}`);
    runIds[name] = (JSON.parse(text) as { run_id: string }).run_id;
  };
  await trigger('cat', '/api/v1/webhooks/ops/cat/trigger', agentSecrets.cat!, 'sign');
  await trigger('cat-header', '/api/v1/webhooks/ops/cat/trigger', agentSecrets.cat!, 'header');
  await trigger('cat-named', '/api/v1/webhooks/ops/cat/ci', triggerSecret2, 'sign');
  await trigger('fail', '/api/v1/webhooks/ops/fail/trigger', agentSecrets.fail!, 'sign');
  await trigger('file-agent', '/api/v1/webhooks/ops/file-agent/trigger', c.fileAgentSecret, 'sign');
  for (const id of ['env', 'http-ok', 'http-fail', 'openai-ok', 'openai-fail', 'default-agent'])
    runIds[id] = ok(await api('POST', `/api/v1/agents/${id}/runs?wait=true`, { prompt: 'go' }), id).body.id;
  ok(await api('POST', '/api/v1/events', { type: 'custom.thing', data: { x: 1 } }), 'event');
  ok(await api('POST', `/api/v1/webhooks/endpoints/${epOk.body.id}/test`), 'test');
  const runs: Record<string, string> = {};
  for (const [name, id] of Object.entries(runIds)) {
    const r = await until(
      `run ${name} to end`,
      async () => {
        const x = (await poll('GET', `/api/v1/runs/${id}`)).body;
        return ENDED(x) ? x : undefined;
      },
      30_000,
    );
    runs[name] = r.status;
  }

  // Every delivery has had its first attempt; then one manual retry of each kind.
  const settled = async () =>
    until(
      'every delivery to be attempted',
      async () => {
        const all = [
          ...(await poll('GET', '/api/v1/notifications?limit=1000')).body.items,
          ...(await poll('GET', '/api/v1/deliveries?limit=1000')).body.items,
        ] as any[];
        return all.length && all.every((d) => d.attempts > 0 || d.status !== 'pending') ? all : undefined;
      },
      30_000,
    );
  const first = await settled();
  const failedPa = (await poll('GET', '/api/v1/notifications?channel=post_action&status=failed&limit=1000')).body.items[0];
  ok(await api('POST', `/api/v1/notifications/${failedPa.id}/retry`), 'retry notification');
  const failedEp = (await poll('GET', `/api/v1/deliveries?endpoint_id=${epFail.body.id}`)).body.items[0];
  ok(await api('POST', `/api/v1/deliveries/${failedEp.id}/retry`), 'retry delivery');
  await until(
    'the retries to be attempted',
    async () =>
      (await poll('GET', `/api/v1/notifications/${failedPa.id}`)).body.attempts > 1 &&
      (await poll('GET', `/api/v1/deliveries/${failedEp.id}`)).body.attempts > 1
        ? true
        : undefined,
    30_000,
  );
  await settled();

  // Rotations after use, so that the old secrets are in history too.
  S.track(
    'agent cat webhook secret (rotated)',
    ok(await api('POST', '/api/v1/agents/cat/webhook-secret/rotate', {}, { id: 'rotate agent secret' }), 'rotate').body.webhook_secret,
    'answer to rotate agent secret',
  );
  S.track(
    'callback secret (rotated)',
    ok(await api('POST', '/api/v1/agents/cat/callback/rotate-secret', {}, { id: 'rotate callback secret' }), 'rotate').body.secret,
    'answer to rotate callback secret',
  );

  // Bad requests that carry a secret: none may echo it.
  const bad = [
    await api('POST', '/api/v1/keys', undefined, { raw: S.make('bad JSON body') }),
    await api('POST', '/api/v1/keys', undefined, { raw: `{"name": ${S.make('bad JSON value')}}` }),
    await api('POST', '/api/v1/post-actions', {
      name: 'bad',
      method: 'POST',
      url: `${c.rx}/pa`,
      auth: { type: 'bearer', token: S.make('bad auth token'), password: 'x' },
    }),
    await api('PUT', '/api/v1/agents/env/callback', { url: `${c.rx}/cb`, headers: { 'X-Bad': `${S.make('bad callback header')}\r\nInjected: 1` } }),
    await api('POST', '/api/v1/agents/cat/webhook-triggers', { name: 'bad', scheme: 'svix', secret: S.make('bad trigger secret') }),
    await api('POST', '/api/v1/agents', {
      id: 'bad',
      crew_id: 'ops',
      name: 'bad',
      runner: 'http',
      runner_config: { url: `${c.rx}/r`, headers: { 'Bad Name': S.make('bad runner header') } },
    }),
    await api('POST', '/api/v1/webhooks/endpoints', { url: `${c.rx}/ep`, events: ['*'], headers: { Host: S.make('bad endpoint header') } }),
    await api('POST', '/api/v1/session', { api_key: S.make('bad session key') }, { key: null }),
    await api('GET', '/api/v1/agents', undefined, { key: S.make('bad bearer key', 'hl_sk_') }),
    await api('GET', '/api/v1/agents', undefined, { key: null, headers: { cookie: `hl_session=${S.make('bad session cookie')}` } }),
    await api('POST', '/api/v1/webhooks/ops/cat/trigger', { event: 'x' }, { key: null, headers: { 'x-webhook-secret': S.make('bad trigger header') } }),
    await api('POST', '/api/v1/inspector/bins', { name: 'bin2', scheme: 'nope', secret: S.make('bad bin secret') }),
  ];
  const streamWithKeyInUrl = await fetch(`${c.base}/api/v1/stream?token=${S.make('key in a URL', 'hl_sk_')}`, {
    headers: { connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
  }).catch(() => undefined);
  await streamWithKeyInUrl?.body?.cancel();

  // Read everything back, the way a dashboard and a curious read-only key would.
  const get = (path: string, key?: string) => api('GET', path, undefined, { ...(key ? { key } : {}) });
  for (const p of [
    '/api/v1/crews',
    '/api/v1/keys',
    '/api/v1/schedules',
    '/api/v1/stats/overview',
    '/api/v1/settings',
    '/api/v1/webhook-triggers',
    '/api/v1/inspector/bins/bin1',
    '/api/v1/inspector/bins/bin1/requests',
    '/healthz',
    '/readyz',
  ])
    await get(p);
  await api('GET', '/api/v1/session', undefined, { key: null, headers: { cookie: `hl_session=${cookie}` } });
  for (const a of (await get('/api/v1/agents?limit=1000', readKey)).body.items) {
    for (const sub of ['', '/callback', '/webhook-triggers', '/runs', '/logs', '/schedules']) await get(`/api/v1/agents/${a.id}${sub}`);
  }
  for (const e of (await get('/api/v1/webhooks/endpoints?limit=1000')).body.items) await get(`/api/v1/webhooks/endpoints/${e.id}`);
  for (const d of (await get('/api/v1/deliveries?limit=1000', readKey)).body.items) {
    await get(`/api/v1/deliveries/${d.id}`);
    await get(`/api/v1/events/${d.event_id}`);
  }
  for (const x of (await get('/api/v1/notifications?limit=1000')).body.items) {
    await get(`/api/v1/notifications/${x.id}`);
    await get(`/v1/notifications/${x.id}`);
    await get(`/api/v1/deliveries/${x.id}`, readKey);
  }
  for (const r of (await get('/api/v1/runs?limit=1000')).body.items) for (const sub of ['', '/logs']) await get(`/api/v1/runs/${r.id}${sub}`);
  for (const pa of (await get('/api/v1/post-actions?limit=1000')).body.items)
    for (const sub of ['', '/bindings', '/runs']) await get(`/api/v1/post-actions/${pa.id}${sub}`);
  await get('/metrics');
  stream.ws.close();
  c.evidence.push({ id: 'live stream frames', text: stream.frames.map((f) => JSON.stringify(f)).join('\n') });
  return { runs, attempted: first.filter((d) => d.attempts > 0).length, badRequests: bad.map((b) => ({ status: b.status, id: b.id })) };
}
