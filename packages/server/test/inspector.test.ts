/**
 * The Inspector (docs/inspector.md), over both stores: bins through the API, captures on /inspect/{bin}
 * of any method and body, the per-bin cap and the body cut, signature checks against real
 * Hookline callbacks and endpoint deliveries (and tampered, stale and unsigned ones), the
 * inspector.request stream scoped by bin, and attacks: secrets never shown, hostile names,
 * oversized headers.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/util/clock.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from './helpers/hookline.js';
import { createAgent, ScriptedRunner, triggerAndWait, until } from './helpers/notify.js';
import { StreamClient } from './helpers/stream-client.js';
import { databaseOf } from '../src/store/testing.js';

const BINS = '/api/v1/inspector/bins';
const CAP = 5;
const MAX_BODY = 1024;

describe.each(STORES)('inspector (%s)', (kind) => {
  const clock = new ManualClock(Date.now());
  const runner = new ScriptedRunner();
  let h: Harness;
  let watcher: StreamClient;
  /** Every Inspector API response body, to prove no secret is ever in one. */
  const seen: string[] = [];
  const secrets: string[] = [];

  const api = async (method: string, path: string, body?: unknown, key?: string | null) => {
    const r = await h.call(method, path, body, key);
    if (path.startsWith('/api/v1/inspector')) seen.push(JSON.stringify(r.body));
    return r;
  };
  const makeBin = async (body: Record<string, unknown>) => {
    const r = await api('POST', BINS, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  /** Sends to a capture URL; returns the status and the parsed answer. */
  const send = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(h.url + path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const captured = async (bin: string, id: string) => {
    const r = await api('GET', `${BINS}/${bin}/requests/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  /** The newest capture of a bin, once there is one. */
  const newest = (bin: string, n = 1) =>
    until(`${n} capture(s) in ${bin}`, async () => {
      const r = await api('GET', `${BINS}/${bin}/requests`);
      return r.body.total >= n ? r.body.items[0] : undefined;
    });
  /** Replays a captured request's signature headers with `body` into `bin`. */
  const replay = (bin: string, req: any, body: string) => {
    const headers: Record<string, string> = { 'content-type': req.content_type };
    for (const k of ['x-signature', 'x-timestamp', 'webhook-id', 'webhook-timestamp', 'webhook-signature']) if (req.headers[k]) headers[k] = req.headers[k];
    return send(`/inspect/${bin}`, { method: 'POST', headers, body });
  };

  beforeAll(async () => {
    h = await startHookline(kind, {
      clock,
      runnerFor: () => runner,
      overrides: { inspector: { max_requests_per_bin: CAP, max_body_bytes: MAX_BODY }, server: { body_limit_bytes: 16_384 } },
    });
    watcher = await StreamClient.ready(h.url, (await h.call('POST', '/api/v1/keys', { name: 'watcher', role: 'read' })).body.key);
    await watcher.subscribe('all', ['*']);
  });
  afterAll(async () => {
    watcher?.close();
    await h?.close();
  });

  it('creates, lists, gets, changes and deletes bins, with clear errors', async () => {
    const b1 = await makeBin({ name: 'b1', secret: 'b1-secret-value-123', scheme: 'auto' });
    secrets.push('b1-secret-value-123');
    expect(b1).toEqual({
      name: 'b1',
      url: `${h.url}/inspect/b1`,
      scheme: 'auto',
      has_secret: true,
      request_count: 0,
      last_request_at: null,
      created_at: new Date(clock.now()).toISOString(),
    });
    clock.advance(1000);
    const random = await makeBin({});
    expect(random).toMatchObject({ name: expect.stringMatching(/^bin_[a-z0-9]{10}$/), scheme: 'auto', has_secret: false });
    clock.advance(1000);
    const noBody = await api('POST', BINS);
    expect(noBody.status, JSON.stringify(noBody.body)).toBe(201);

    const list = (await api('GET', `${BINS}?limit=2`)).body;
    expect(list.total).toBeGreaterThanOrEqual(3);
    expect(list.items.map((b: any) => b.name)).toEqual([noBody.body.name, random.name]);
    expect((await api('GET', `${BINS}/b1`)).body).toEqual(b1);

    const dup = await api('POST', BINS, { name: 'b1' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('bin_exists');
    for (const name of ['a b', '../b1', 'a/b', 'x'.repeat(65), '', 'ümlaut']) {
      const r = await api('POST', BINS, { name });
      expect(r.status, name).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'invalid_name', message: expect.stringContaining('1–64 letters, digits, "_" or "-"') });
    }
    expect((await api('POST', BINS, { scheme: 'md5' })).body.error).toMatchObject({
      code: 'invalid_scheme',
      message: expect.stringContaining('auto, standard, x-signature, agentgateway, github, callback'),
    });
    expect((await api('POST', BINS, { secret: '' })).body.error).toMatchObject({
      code: 'invalid_secret',
      message: expect.stringContaining('1–512 characters'),
    });
    expect((await api('POST', BINS, { secret: 'x'.repeat(513) })).body.error.code).toBe('invalid_secret');
    expect((await api('POST', BINS, { scheme: 'standard', secret: 'not-whsec' })).body.error).toMatchObject({
      code: 'invalid_secret',
      message: expect.stringContaining('whsec_'),
    });
    expect(await api('POST', BINS, { name: 'x', colour: 'red' })).toMatchObject({
      status: 400,
      body: { error: { code: 'unknown_field', message: expect.stringContaining('unknown field "colour"') } },
    });

    const notFound = await api('GET', `${BINS}/nope`);
    expect(notFound.status).toBe(404);
    expect(notFound.body.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('no bin named "nope"') });

    expect((await api('PATCH', `${BINS}/b1`, { scheme: 'github' })).body).toMatchObject({ scheme: 'github', has_secret: true });
    expect((await api('PATCH', `${BINS}/b1`, { scheme: 'standard' })).body.error.code).toBe('invalid_secret');
    expect((await api('PATCH', `${BINS}/b1`, { secret: null })).body).toMatchObject({ scheme: 'github', has_secret: false });
    expect((await api('PATCH', `${BINS}/b1`, {})).status).toBe(422);
    expect((await api('PATCH', `${BINS}/nope`, { scheme: 'auto' })).status).toBe(404);

    const readKey = (await api('POST', '/api/v1/keys', { name: 'viewer', role: 'read' })).body.key as string;
    const refused = await api('POST', BINS, { name: 'by-reader' }, readKey);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await api('GET', `${BINS}/b1`, undefined, readKey)).status).toBe(200);
    expect((await api('DELETE', `${BINS}/b1`, undefined, readKey)).status).toBe(403);
    expect((await api('GET', BINS, undefined, null)).status).toBe(401);

    expect((await api('DELETE', `${BINS}/b1`)).status).toBe(204);
    expect((await api('GET', `${BINS}/b1`)).status).toBe(404);
    expect((await api('DELETE', `${BINS}/b1`)).status).toBe(404);

    const spec = (await (await fetch(`${h.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([BINS, `${BINS}/{bin}/requests/{id}`, '/inspect/{bin}']));
  });

  it('captures any method, sub-path, query string and body, as received', async () => {
    await makeBin({ name: 'cap' });
    const get = await send('/inspect/cap/hook/deep?x=1&y=two&x=3', { headers: { 'X-Custom': 'Hello' } });
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ ok: true, id: expect.stringMatching(/^req_/) });
    const json = await send('/inspect/cap', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": [1, 2], "b": "ü"}' });
    const form = await send('/inspect/cap/form', { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=two+words' });
    const binary = await send('/inspect/cap/bin', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from([0xff, 0xfe, 0x00, 0x41]),
    });
    const odd = await send('/inspect/cap', { method: 'PATCH', headers: { 'content-type': 'not a media type' }, body: '{broken json' });
    for (const r of [json, form, binary, odd]) expect(r.status, JSON.stringify(r.body)).toBe(200);

    const list = (await api('GET', `${BINS}/cap/requests`)).body;
    expect(list.total).toBe(5);
    expect(list.items.map((i: any) => i.id)).toEqual([odd, binary, form, json, get].map((r) => r.body.id));
    const at = new Date(clock.now()).toISOString();
    const g = await captured('cap', get.body.id);
    expect(g).toMatchObject({
      bin: 'cap',
      method: 'GET',
      path: '/inspect/cap/hook/deep?x=1&y=two&x=3',
      query: { x: '1, 3', y: 'two' },
      body: '',
      body_base64: null,
      body_truncated: false,
      size_bytes: 0,
      content_type: null,
      received_at: at,
      signature: null,
    });
    expect(g.headers['x-custom']).toBe('Hello');
    expect(g.headers.host).toBe(new URL(h.url).host);
    expect(g.remote_address).toMatch(/127\.0\.0\.1$/);
    expect(await captured('cap', json.body.id)).toMatchObject({
      method: 'POST',
      path: '/inspect/cap',
      query: {},
      body: '{"a": [1, 2], "b": "ü"}',
      body_base64: null,
      size_bytes: 24,
      content_type: 'application/json',
    });
    expect(await captured('cap', form.body.id)).toMatchObject({
      method: 'PUT',
      path: '/inspect/cap/form',
      body: 'a=1&b=two+words',
      content_type: 'application/x-www-form-urlencoded',
    });
    expect(await captured('cap', binary.body.id)).toMatchObject({
      body: '\uFFFD\uFFFD\u0000A',
      body_base64: '//4AQQ==',
      size_bytes: 4,
      content_type: 'application/octet-stream',
    });
    expect(await captured('cap', odd.body.id)).toMatchObject({ method: 'PATCH', body: '{broken json', content_type: 'not a media type' });
    expect((await api('GET', `${BINS}/cap`)).body).toMatchObject({ request_count: 5, last_request_at: at });
    // Only the capture routes read raw bodies: the API still wants JSON.
    const plain = await fetch(`${h.url}${BINS}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(plain.status).toBe(415);
  });

  it('captures the other methods too (DELETE, OPTIONS, HEAD)', async () => {
    await makeBin({ name: 'verbs' });
    for (const method of ['DELETE', 'OPTIONS', 'HEAD']) expect((await fetch(`${h.url}/inspect/verbs/x`, { method })).status, method).toBe(200);
    expect((await api('GET', `${BINS}/verbs/requests`)).body.items.map((r: any) => r.method)).toEqual(['HEAD', 'OPTIONS', 'DELETE']);
  });

  it('stores long bodies cut (at a character boundary) and refuses bodies over the server limit', async () => {
    await makeBin({ name: 'big' });
    const ascii = await send('/inspect/big', { method: 'POST', body: 'a'.repeat(3000) });
    expect(await captured('big', ascii.body.id)).toMatchObject({ body: 'a'.repeat(MAX_BODY), body_truncated: true, size_bytes: 3000 });
    // 'x' then two-byte characters: byte 1024 would split one, so 1023 bytes are kept.
    const text = await send('/inspect/big', { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'x' + 'é'.repeat(1000) });
    expect(await captured('big', text.body.id)).toMatchObject({ body: 'x' + 'é'.repeat(511), body_base64: null, body_truncated: true, size_bytes: 2001 });
    const huge = await send('/inspect/big', { method: 'POST', body: 'z'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: 'body_too_large', message: expect.stringContaining('server.body_limit_bytes') });
    expect((await api('GET', `${BINS}/big/requests`)).body.total).toBe(2);
  });

  it('keeps the newest requests per bin, trimming the oldest; clearing empties the bin', async () => {
    await makeBin({ name: 'capped' });
    for (let i = 1; i <= CAP + 2; i++) expect((await send('/inspect/capped', { method: 'POST', body: `n${i}` })).status).toBe(200);
    const list = (await api('GET', `${BINS}/capped/requests`)).body;
    expect(list.total).toBe(CAP);
    expect(list.items.map((r: any) => r.body)).toEqual(['n7', 'n6', 'n5', 'n4', 'n3']);
    expect((await api('GET', `${BINS}/capped/requests?limit=2&offset=3`)).body.items.map((r: any) => r.body)).toEqual(['n4', 'n3']);
    expect((await api('GET', `${BINS}/capped`)).body.request_count).toBe(CAP);
    expect((await api('DELETE', `${BINS}/capped/requests`)).status).toBe(204);
    expect((await api('GET', `${BINS}/capped`)).body).toMatchObject({ request_count: 0, last_request_at: null });
    expect((await api('GET', `${BINS}/capped/requests/${list.items[0].id}`)).status).toBe(404);
    // Deleting a bin takes its requests with it; a bin made again under that name starts empty.
    await send('/inspect/capped', { method: 'POST', body: 'again' });
    expect((await api('DELETE', `${BINS}/capped`)).status).toBe(204);
    await makeBin({ name: 'capped' });
    expect((await api('GET', `${BINS}/capped/requests`)).body.total).toBe(0);
  });

  it('answers 404 for unknown bins and hostile names, and never captures them elsewhere', async () => {
    await makeBin({ name: 'victim' });
    const unknown = await send('/inspect/nobody', { method: 'POST', body: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    for (const path of ['/inspect/..%2Fvictim', '/inspect/victim%2Fx', '/inspect/%2E%2E%2Fvictim/y']) {
      const r = await send(path, { method: 'POST', body: 'x' });
      expect(r.status, path).toBe(404);
    }
    expect((await api('GET', `${BINS}/..%2Fvictim`)).status).toBe(404);
    expect((await api('GET', `${BINS}/victim%2F..%2F..%2Fkeys/requests`)).status).toBe(404);
    // Raw dot segments, as a client that does not normalize the path sends them.
    const raw = await new Promise<number>((resolve, reject) => {
      const u = new URL(h.url);
      const req = httpRequest({ host: u.hostname, port: u.port, path: '/inspect/../inspect/victim', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject).end('x');
    });
    expect(raw).toBe(404);
    expect((await api('GET', `${BINS}/victim/requests`)).body.total).toBe(0);
  });

  it('survives many and oversized headers', async () => {
    await makeBin({ name: 'heads' });
    const many: Record<string, string> = {};
    for (let i = 0; i < 300; i++) many[`x-h-${i}`] = 'v'.repeat(20);
    const r = await send('/inspect/heads', { method: 'POST', headers: many, body: 'hi' });
    expect(r.status).toBe(200);
    const got = await captured('heads', r.body.id);
    expect(Object.keys(got.headers).filter((k) => k.startsWith('x-h-'))).toHaveLength(300);
    // The stream message is cut to its 7,000-byte budget but still names the request.
    const msg = await watcher.next((f) => f.type === 'message' && f.topic === 'inspector.request' && f.data.id === r.body.id);
    expect(msg.data).toMatchObject({ id: r.body.id, bin: 'heads', truncated: true });
    expect(JSON.stringify(msg.data).length).toBeLessThanOrEqual(7000);
    const status = await fetch(`${h.url}/inspect/heads`, { method: 'POST', headers: { 'x-big': 'b'.repeat(20_000) }, body: 'x' }).then(
      (res) => res.status,
      () => 'connection closed',
    );
    expect([431, 'connection closed']).toContain(status);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await api('GET', `${BINS}/heads/requests`)).body.total).toBe(1);
  });

  describe('signature checks', () => {
    let callback: any;
    let callbackSecret: string;

    it("verifies a real Hookline callback with the callback's secret", async () => {
      const webhookSecret = await createAgent(h, 'pinged');
      await makeBin({ name: 'cb' });
      const put = await api('PUT', '/api/v1/agents/pinged/callback', { url: `${h.url}/inspect/cb/agent-results` });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      callbackSecret = put.body.secret;
      secrets.push(callbackSecret);
      expect((await api('PATCH', `${BINS}/cb`, { secret: callbackSecret })).body.has_secret).toBe(true);
      const run = await triggerAndWait(h, 'pinged', webhookSecret, { note: 'hi' });
      callback = await newest('cb');
      expect(callback).toMatchObject({
        method: 'POST',
        path: '/inspect/cb/agent-results',
        content_type: 'application/json',
        signature: { scheme: 'callback', valid: true, reason: 'signature matches' },
      });
      expect(JSON.parse(callback.body)).toMatchObject({ agent_loop_id: 'pinged', status: 'completed' });
      expect(JSON.parse(callback.body).execution_id).toBe(run.id);
    });

    it('says a tampered body does not match, and names the age of an old timestamp', async () => {
      const tampered = await replay('cb', callback, callback.body + ' ');
      expect((await captured('cb', tampered.body.id)).signature).toEqual({
        scheme: 'callback',
        valid: false,
        reason: expect.stringContaining('signature does not match'),
      });
      const intact = await replay('cb', callback, callback.body);
      expect((await captured('cb', intact.body.id)).signature).toMatchObject({ scheme: 'callback', valid: true });
      clock.advance(420_000);
      const stale = await replay('cb', callback, callback.body);
      expect((await captured('cb', stale.body.id)).signature).toEqual({ scheme: 'callback', valid: false, reason: 'timestamp is 420 s old (limit 300 s)' });
    });

    it("verifies a Standard Webhooks endpoint delivery with the endpoint's secret", async () => {
      await makeBin({ name: 'std' });
      const ep = await api('POST', '/api/v1/webhooks/endpoints', { url: `${h.url}/inspect/std`, events: ['invoice.paid'], signing_scheme: 'standard' });
      expect(ep.status, JSON.stringify(ep.body)).toBe(201);
      secrets.push(ep.body.secret);
      await api('PATCH', `${BINS}/std`, { secret: ep.body.secret, scheme: 'standard' });
      const published = await api('POST', '/api/v1/events', { type: 'invoice.paid', data: { amount: 42 } });
      expect(published.status, JSON.stringify(published.body)).toBe(202);
      const got = await newest('std');
      expect(got.signature).toEqual({ scheme: 'standard', valid: true, reason: 'signature matches' });
      expect(JSON.parse(got.body)).toMatchObject({ type: 'invoice.paid', data: { amount: 42 } });
      const forged = await replay('std', got, got.body.replace('42', '43'));
      expect((await captured('std', forged.body.id)).signature).toMatchObject({
        scheme: 'standard',
        valid: false,
        reason: expect.stringContaining('does not match'),
      });
    });

    it('explains missing secrets and missing headers; nothing to check is null', async () => {
      await makeBin({ name: 'bare' });
      const signedNoSecret = await replay('bare', callback, callback.body);
      expect((await captured('bare', signedNoSecret.body.id)).signature).toEqual({
        scheme: 'callback',
        valid: false,
        reason: 'this bin has no secret to check the signature with',
      });
      const plain = await send('/inspect/bare', { method: 'POST', body: 'hello' });
      expect((await captured('bare', plain.body.id)).signature).toBeNull();
      await api('PATCH', `${BINS}/bare`, { secret: 'gh-secret' });
      const unsigned = await send('/inspect/bare', { method: 'POST', body: 'hello' });
      expect((await captured('bare', unsigned.body.id)).signature).toMatchObject({ valid: false, reason: expect.stringContaining('no signature header') });
      await api('PATCH', `${BINS}/bare`, { scheme: 'github' });
      const { createHmac } = await import('node:crypto');
      const sig = 'sha256=' + createHmac('sha256', 'gh-secret').update('{"zen":"ok"}').digest('hex');
      const gh = await send('/inspect/bare', {
        method: 'POST',
        headers: { 'x-hub-signature-256': sig, 'content-type': 'application/json' },
        body: '{"zen":"ok"}',
      });
      expect((await captured('bare', gh.body.id)).signature).toEqual({ scheme: 'github', valid: true, reason: 'signature matches' });
      const wrongScheme = await send('/inspect/bare', { method: 'POST', headers: { 'x-signature': 'abc' }, body: 'x' });
      expect((await captured('bare', wrongScheme.body.id)).signature).toEqual({
        scheme: 'github',
        valid: false,
        reason: 'no signature header: the github scheme signs in x-hub-signature-256',
      });
    });
  });

  it("streams each capture only to its bin's subscribers, without the body", async () => {
    await makeBin({ name: 'iso-a' });
    await makeBin({ name: 'iso-b' });
    const c = await StreamClient.ready(h.url, ADMIN_KEY);
    try {
      await c.subscribe('a', ['inspector.request'], { bin: 'iso-a' });
      await c.subscribe('b', ['inspector.request'], { bin: 'iso-b' });
      c.send({ type: 'subscribe', id: 'bad', topics: ['inspector.request'], bin: 5 });
      expect((await c.next((f) => f.type === 'error' && f.id === 'bad')).code).toBe('invalid_subscription');
      const a = await send('/inspect/iso-a/x?q=1', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'for a' });
      await c.next((f) => f.type === 'message' && f.subscription === 'a');
      const b = await send('/inspect/iso-b', { method: 'POST', body: 'for b' });
      await c.next((f) => f.type === 'message' && f.subscription === 'b');
      // Messages arrive in emission order: had a's capture reached b, it would be there first.
      expect(c.messages('b').map((m) => m.data.id)).toEqual([b.body.id]);
      expect(c.messages('a').map((m) => m.data.id)).toEqual([a.body.id]);
      const [msg] = c.messages('a');
      expect(msg!.topic).toBe('inspector.request');
      const { body, body_base64, ...summary } = await captured('iso-a', a.body.id);
      expect(body).toBe('for a');
      expect(body_base64).toBeNull();
      expect(msg!.data).toEqual(summary);
      expect(summary).toMatchObject({ bin: 'iso-a', path: '/inspect/iso-a/x?q=1', query: { q: '1' }, content_type: 'text/plain' });
    } finally {
      c.close();
    }
  });

  it('turned off (inspector.enabled: false), captures answer 404 while the API still works', async () => {
    const off = await startHookline(kind, { overrides: { inspector: { enabled: false } } });
    try {
      expect((await off.call('POST', BINS, { name: 'quiet' })).status).toBe(201);
      const res = await fetch(`${off.url}/inspect/quiet`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('inspector.enabled') });
      expect((await off.call('GET', `${BINS}/quiet`)).body.request_count).toBe(0);
    } finally {
      await off.close();
    }
  });

  it('never shows a secret: not in any API response, not on the stream, not stored in the clear', async () => {
    expect(secrets.length).toBe(3);
    const responses = seen.join('\n');
    expect(responses).not.toMatch(/"secret":"/);
    const stream = JSON.stringify(watcher.frames);
    expect(watcher.frames.some((f) => f.topic === 'inspector.request')).toBe(true);
    const stored = JSON.stringify(await databaseOf(h.hl.store).selectFrom('inspector_bins').selectAll().execute());
    expect(stored).toContain('hlbox.v1.');
    for (const s of secrets) {
      expect(responses).not.toContain(s);
      expect(stream).not.toContain(s);
      expect(stored).not.toContain(s);
    }
    expect(responses).toContain('"has_secret":true');
  });
});
