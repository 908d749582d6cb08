import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';

const EP = '/api/v1/webhooks/endpoints';
const target = 'http://127.0.0.1:9/hook'; // never contacted: these tests only publish to disabled or unsubscribed endpoints

describe.each(STORES)('API (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline(kind, { overrides: { delivery: { poll_interval: '1h' } } });
    // These tests look at what is queued, not at sending: keep the dispatcher from sending.
    await h.hl.dispatcher!.stop();
  });
  afterAll(() => h.close());

  describe('auth', () => {
    it('requires a bearer key on API routes', async () => {
      expect((await h.call('GET', EP, undefined, null)).status).toBe(401);
      const bad = await h.call('GET', EP, undefined, 'hl_sk_not_a_real_key_0000000000');
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('unauthorized');
      const junk = await fetch(h.url + EP, { headers: { authorization: 'Basic abc' } });
      expect(junk.status).toBe(401);
    });

    it('keeps health, metrics and docs public', async () => {
      for (const p of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']) {
        const r = await fetch(h.url + p);
        expect(r.status, p).toBe(200);
      }
      const metrics = await (await fetch(h.url + '/metrics')).text();
      expect(metrics).toContain('hookline_queue_depth');
      expect(metrics).toContain('hookline_delivery_attempts_total');
      const spec = (await (await fetch(h.url + '/openapi.json')).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([EP, `${EP}/{id}/rotate-secret`, '/api/v1/events', '/api/v1/deliveries/{id}/retry']));
    });

    it('links the guides from /docs (the OpenAPI description) and serves them as plain text, by name only', async () => {
      const spec = (await (await fetch(h.url + '/openapi.json')).json()) as { info: { description: string } };
      expect(spec.info.description).toContain('[Quick start: trigger an agent and get its result, in five minutes](/guides/quickstart.md)');
      expect(spec.info.description).toContain('/guides/recipes/github-pr-review.md');
      const guide = await fetch(h.url + '/guides/quickstart.md');
      expect(guide.status).toBe(200);
      expect(guide.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await guide.text()).toMatch(/^# Quick start/);
      expect((await fetch(h.url + '/guides/recipes/nightly-report-callback.md')).status).toBe(200);
      expect(await (await fetch(h.url + '/guides/')).text()).toContain('/guides/sdks.md');
      // Only the guides found at start: no paths, no other files.
      for (const bad of [
        '/guides/..%2Fpackage.json',
        '/guides/%2e%2e%2fREADME.md',
        '/guides/images',
        '/guides/nope.md',
        '/guides/recipes/..%2F..%2FREADME.md',
      ]) {
        const r = await fetch(h.url + bad);
        expect(r.status, bad).toBe(404);
      }
    });

    it('lets read-only keys look but not change, and revocation works at once', async () => {
      const created = await h.call('POST', '/api/v1/keys', { name: 'viewer', role: 'read' });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      expect(key).toMatch(/^hl_sk_/);
      expect((await h.call('GET', EP, undefined, key)).status).toBe(200);
      const denied = await h.call('POST', EP, { url: target, events: ['*'] }, key);
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('forbidden');
      const list = await h.call('GET', '/api/v1/keys');
      expect(JSON.stringify(list.body)).not.toContain(key);
      expect((await h.call('DELETE', `/api/v1/keys/${created.body.id}`)).status).toBe(204);
      expect((await h.call('GET', EP, undefined, key)).status).toBe(401);
    });
  });

  describe('endpoints', () => {
    it("creates an endpoint exactly as the SDK README's example does, with the secret only in that response", async () => {
      const r = await h.call('POST', EP, {
        url: 'https://your-app.example/webhooks/agentpost',
        events: ['message.received', 'message.bounced'],
        description: 'Production webhook receiver',
      });
      expect(r.status).toBe(201);
      expect(r.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
      expect(r.body).toMatchObject({
        id: expect.stringMatching(/^ep_/),
        events: ['message.received', 'message.bounced'],
        description: 'Production webhook receiver',
        enabled: true,
        timeout_seconds: 30,
        signing_scheme: 'standard',
        retry_schedule: null,
      });
      const got = await h.call('GET', `${EP}/${r.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body.secret).toBeUndefined();
      expect(JSON.stringify(got.body)).not.toContain(r.body.secret);
      const listed = await h.call('GET', EP);
      expect(JSON.stringify(listed.body)).not.toContain(r.body.secret);
    });

    it('stores custom headers encrypted and never shows their values again', async () => {
      const r = await h.call('POST', EP, { url: target, events: ['*'], headers: { 'X-Api-Key': 'sentinel-header-value-123' }, enabled: false });
      expect(r.status).toBe(201);
      expect(r.body.headers).toEqual({ 'X-Api-Key': '********' });
      const row = await h.hl.store.endpoints.get(h.hl.tenants.fallback.envId, r.body.id);
      expect(row!.headers_enc).not.toContain('sentinel');
      expect(JSON.stringify(row)).not.toContain('sentinel-header-value-123');
    });

    it('updates, lists with pagination, and deletes', async () => {
      const a = await h.call('POST', EP, { url: target, events: ['a.*'], enabled: false });
      const up = await h.call('PATCH', `${EP}/${a.body.id}`, {
        description: 'renamed',
        timeout_seconds: 300,
        retry_schedule: [1, '2m'],
        rate_limit: 5,
        signing_scheme: 'github',
      });
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({
        description: 'renamed',
        timeout_seconds: 300,
        retry_schedule: [1, 120],
        rate_limit: 5,
        signing_scheme: 'github',
        enabled: false,
      });
      const page = await h.call('GET', `${EP}?limit=1&offset=0`);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.total).toBeGreaterThanOrEqual(3);
      expect(page.body).toMatchObject({ limit: 1, offset: 0 });
      expect((await h.call('DELETE', `${EP}/${a.body.id}`)).status).toBe(204);
      const gone = await h.call('GET', `${EP}/${a.body.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.error.code).toBe('not_found');
      expect((await h.call('DELETE', `${EP}/${a.body.id}`)).status).toBe(404);
    });

    it.each([
      ['missing events', { url: target }, 422, 'validation_failed', /missing required field "events"/],
      [
        'unknown field',
        { url: target, events: ['*'], retries: 3 },
        400,
        'unknown_field',
        /body\.retries: unknown field "retries"; the fields here are url, events, /,
      ],
      ['misspelt field', { url: target, evnts: ['*'] }, 400, 'unknown_field', /body\.evnts: unknown field "evnts"; did you mean "events"\?/],
      ['timeout above 300', { url: target, events: ['*'], timeout_seconds: 301 }, 422, 'validation_failed', /timeout_seconds/],
      ['timeout below 1', { url: target, events: ['*'], timeout_seconds: 0 }, 422, 'validation_failed', /timeout_seconds/],
      ['not a URL', { url: 'not a url', events: ['*'] }, 422, 'invalid_url', /not a valid absolute URL/],
      ['ftp scheme', { url: 'ftp://example.com/x', events: ['*'] }, 422, 'invalid_url', /http or https/],
      ['credentials in URL', { url: 'https://u:p@example.com/x', events: ['*'] }, 422, 'invalid_url', /credentials/],
      ['loopback literal', { url: 'http://127.0.0.2/x', events: ['*'] }, 422, 'ssrf_blocked', /loopback/],
      ['metadata address', { url: 'http://169.254.169.254/latest/meta-data', events: ['*'] }, 422, 'ssrf_blocked', /allow_networks/],
      ['decimal loopback', { url: 'http://2130706434/', events: ['*'] }, 422, 'ssrf_blocked', /loopback/],
      ['IPv4-mapped IPv6', { url: 'http://[::ffff:10.0.0.1]/', events: ['*'] }, 422, 'ssrf_blocked', /.+/],
      ['metadata name', { url: 'http://metadata.google.internal/computeMetadata/v1/', events: ['*'] }, 422, 'ssrf_blocked', /metadata/],
      ['bad event pattern', { url: target, events: ['Run.*'] }, 422, 'invalid_event_type', /dotted lower-case/],
      ['unknown reserved type', { url: target, events: ['run.complete'] }, 422, 'invalid_event_type', /did you mean "run.completed"/],
      ['bad retry schedule', { url: target, events: ['*'], retry_schedule: ['soon'] }, 422, 'invalid_retry_schedule', /retry_schedule\[0\]/],
      ['too long a retry delay', { url: target, events: ['*'], retry_schedule: ['30d'] }, 422, 'invalid_retry_schedule', /between 1s and 7d/],
      ['unknown signing scheme', { url: target, events: ['*'], signing_scheme: 'md5' }, 422, 'validation_failed', /signing_scheme/],
      ['reserved header', { url: target, events: ['*'], headers: { 'webhook-signature': 'x' } }, 422, 'invalid_header', /set by Hookline/],
      ['header injection', { url: target, events: ['*'], headers: { 'X-A': 'a\r\nX-B: b' } }, 422, 'invalid_header', /line break/],
    ])('refuses %s', async (_name, body, status, code, message) => {
      const before = (await h.call('GET', EP)).body.total;
      const r = await h.call('POST', EP, body);
      expect(r.status).toBe(status);
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.message).toMatch(message);
      expect((await h.call('GET', EP)).body.total).toBe(before);
    });

    it('answers malformed JSON with 400, a huge body with 413, and a non-JSON type with 415', async () => {
      const bad = await h.call('POST', EP, '{"url": ');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_json');
      const huge = await h.call('POST', EP, JSON.stringify({ url: target, events: ['*'], description: 'x'.repeat(1_100_000) }));
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('body_too_large');
      const text = await fetch(h.url + EP, {
        method: 'POST',
        headers: { authorization: `Bearer ${'hl_sk_test_admin_0123456789abcdef'}`, 'content-type': 'text/plain' },
        body: 'hi',
      });
      expect(text.status).toBe(415);
      expect(((await text.json()) as any).error.code).toBe('unsupported_media_type');
    });

    it('answers unknown routes and ids with 404 in the error format', async () => {
      const r = await h.call('GET', '/api/v1/nope');
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('route_not_found');
      expect((await h.call('POST', `${EP}/ep_missing/enable`)).status).toBe(404);
      expect((await h.call('POST', `${EP}/ep_missing/rotate-secret`, {})).status).toBe(404);
    });

    it('validates query parameters', async () => {
      const r = await h.call('GET', '/api/v1/deliveries?limit=0');
      expect(r.status).toBe(422);
      expect((await h.call('GET', '/api/v1/deliveries?status=lost')).status).toBe(422);
      expect((await h.call('GET', '/api/v1/deliveries?colour=red')).status).toBe(422);
    });
  });

  describe('events', () => {
    it('publishes once per id, with one delivery per subscribed enabled endpoint', async () => {
      const sub = await h.call('POST', EP, { url: target, events: ['order.*'] });
      const other = await h.call('POST', EP, { url: target, events: ['invoice.paid'] });
      const off = await h.call('POST', EP, { url: target, events: ['*'] });
      await h.call('POST', `${EP}/${off.body.id}/disable`);
      const first = await h.call('POST', '/api/v1/events', { type: 'order.created', data: { n: 1 }, id: 'order-1' });
      expect(first.status).toBe(202);
      expect(first.body.event).toMatchObject({ id: 'order-1', type: 'order.created', org_id: 'org_default', env_id: 'env_default', data: { n: 1 } });
      expect(new Date(first.body.event.timestamp).toISOString()).toBe(first.body.event.timestamp);
      const again = await h.call('POST', '/api/v1/events', { type: 'order.created', data: { n: 2 }, id: 'order-1' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ duplicate: true, deliveries: 0, event: { data: { n: 1 } } });
      const d = await h.call('GET', '/api/v1/deliveries?event_type=order.created');
      expect(d.body.total).toBe(first.body.deliveries);
      expect(d.body.items.map((x: any) => x.endpoint_id)).toContain(sub.body.id);
      expect(d.body.items.map((x: any) => x.endpoint_id)).not.toContain(other.body.id);
      expect(d.body.items.map((x: any) => x.endpoint_id)).not.toContain(off.body.id);
      expect(d.body.items[0]).toMatchObject({ status: 'pending', attempts: 0, event_id: 'order-1' });
    });

    it('generates evt_ ids and refuses reserved or malformed types', async () => {
      const r = await h.call('POST', '/api/v1/events', { type: 'custom.thing', data: {} });
      expect(r.body.event.id).toMatch(/^evt_[0-9A-Z]{26}$/);
      const forged = await h.call('POST', '/api/v1/events', { type: 'run.completed', data: {} });
      expect(forged.status).toBe(422);
      expect(forged.body.error.code).toBe('invalid_event_type');
      expect((await h.call('POST', '/api/v1/events', { type: 'Bad Type' })).status).toBe(422);
      expect((await h.call('POST', '/api/v1/events', { type: 'a.b', id: 'has space' })).status).toBe(422);
    });

    it('re-enabling does not deliver what happened while disabled, and replay re-enqueues a window', async () => {
      const ep = await h.call('POST', EP, { url: target, events: ['shipment.*'] });
      await h.call('POST', `${EP}/${ep.body.id}/disable`);
      await h.call('POST', '/api/v1/events', { type: 'shipment.sent', data: {} });
      const on = await h.call('POST', `${EP}/${ep.body.id}/enable`);
      expect(on.body).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
      expect((await h.call('GET', `/api/v1/deliveries?endpoint_id=${ep.body.id}`)).body.total).toBe(0);
      const replay = await h.call('POST', `${EP}/${ep.body.id}/replay`, { since: new Date(Date.now() - 60_000).toISOString() });
      expect(replay.status).toBe(202);
      expect(replay.body.enqueued).toBe(1);
      expect((await h.call('GET', `/api/v1/deliveries?endpoint_id=${ep.body.id}`)).body.total).toBe(1);
      const badWindow = await h.call('POST', `${EP}/${ep.body.id}/replay`, { since: 'yesterday' });
      expect(badWindow.status).toBe(422);
      expect(badWindow.body.error.code).toBe('invalid_time');
    });

    it('sends webhook.test to one endpoint only, whatever it subscribes to', async () => {
      const ep = await h.call('POST', EP, { url: target, events: ['nothing.here'] });
      const t = await h.call('POST', `${EP}/${ep.body.id}/test`);
      expect(t.status).toBe(202);
      const d = await h.call('GET', `/api/v1/deliveries?event_type=webhook.test`);
      expect(d.body.items.filter((x: any) => x.event_id === t.body.event_id).map((x: any) => x.endpoint_id)).toEqual([ep.body.id]);
      await h.call('POST', `${EP}/${ep.body.id}/disable`);
      expect((await h.call('POST', `${EP}/${ep.body.id}/test`)).status).toBe(409);
    });
  });

  it('shows a delivery with its frozen event and an empty history', async () => {
    await h.call('POST', EP, { url: target, events: ['detail.*'] });
    const pub = await h.call('POST', '/api/v1/events', { type: 'detail.x', data: { q: '"quoted"\n' } });
    const list = await h.call('GET', '/api/v1/deliveries?event_type=detail.x');
    const one = await h.call('GET', `/api/v1/deliveries/${list.body.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.event).toEqual(pub.body.event);
    expect(one.body.history).toEqual([]);
    expect((await h.call('GET', '/api/v1/deliveries/dlv_missing')).status).toBe(404);
  });
});

describe.each(STORES)('API details (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline(kind, { overrides: { delivery: { poll_interval: '1h' } } });
    await h.hl.dispatcher!.stop();
  });
  afterAll(() => h.close());

  it('rotates a secret with no request body, using the default grace period', async () => {
    const ep = await h.call('POST', EP, { url: target, events: ['*'] });
    const r = await fetch(`${h.url}${EP}/${ep.body.id}/rotate-secret`, {
      method: 'POST',
      headers: { authorization: 'Bearer hl_sk_test_admin_0123456789abcdef' },
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as any;
    expect(body.secret).toMatch(/^whsec_/);
    expect(Date.parse(body.secret_rotation_ends_at) - Date.now()).toBeGreaterThan(23 * 3600_000);
  });

  it('refuses an empty update', async () => {
    const ep = await h.call('POST', EP, { url: target, events: ['*'] });
    const r = await h.call('PATCH', `${EP}/${ep.body.id}`, {});
    expect(r.status).toBe(422);
    expect((await h.call('GET', `${EP}/${ep.body.id}`)).body.updated_at).toBe(ep.body.updated_at);
  });

  it('does not replay test events addressed to other endpoints', async () => {
    const a = await h.call('POST', EP, { url: target, events: ['nothing.x'] });
    const all = await h.call('POST', EP, { url: target, events: ['*'] });
    await h.call('POST', `${EP}/${a.body.id}/test`);
    await h.call('POST', '/api/v1/events', { type: 'real.event', data: {} });
    const replay = await h.call('POST', `${EP}/${all.body.id}/replay`, { since: '0' });
    expect(replay.body.enqueued).toBeGreaterThanOrEqual(1);
    const types = (await h.call('GET', `/api/v1/deliveries?endpoint_id=${all.body.id}&limit=1000`)).body.items.map((d: any) => d.event_type);
    expect(types).not.toContain('webhook.test');
  });

  it("records a key's last use", async () => {
    const k = await h.call('POST', '/api/v1/keys', { name: 'tracked' });
    expect(k.body.last_used_at).toBeNull();
    await h.call('GET', EP, undefined, k.body.key);
    const listed = (await h.call('GET', '/api/v1/keys')).body.items.find((x: any) => x.id === k.body.id);
    expect(listed.last_used_at).not.toBeNull();
  });
});

describe('partial updates', () => {
  it('change only the fields given', async () => {
    const h = await startHookline('sqlite');
    try {
      const ep = await h.call('POST', EP, { url: target, events: ['*'], timeout_seconds: 120, rate_limit: 3, enabled: false });
      const up = await h.call('PATCH', `${EP}/${ep.body.id}`, { description: 'only this' });
      expect(up.body).toMatchObject({ description: 'only this', timeout_seconds: 120, rate_limit: 3, enabled: false, events: ['*'] });
    } finally {
      await h.close();
    }
  });
});
