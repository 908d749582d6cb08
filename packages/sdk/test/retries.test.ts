import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Hookline, HooklineApiError, HooklineConnectionError, HooklineError, HooklineTimeoutError } from '../src/index.js';
import { parseRetryAfter } from '../src/http.js';

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server that answers each request with the next scripted answer (the last one repeats). */
class Scripted {
  server: Server | undefined;
  url = '';
  answers: Answer[] = [];
  seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = this.answers[Math.min(this.seen.length - 1, this.answers.length - 1)]!;
        answer(req, res);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(...answers: Answer[]) {
    this.answers = answers;
    this.seen = [];
  }

  async close() {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
const ok = json(200, { items: [], total: 0, limit: 50, offset: 0 });
const unavailable = json(503, { error: { code: 'database_unavailable', message: 'the database does not answer' } });
/** Drops the connection without an answer: a network error for the client. */
const hangUp: Answer = (req) => req.socket.destroy();
/** Never answers. */
const silent: Answer = () => {};

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
}

describe('retries, timeouts and errors against a real local HTTP server', () => {
  const s = new Scripted();
  // Backoff of a few milliseconds: the tests count attempts, they do not wait for real delays.
  const client = (o: Partial<ConstructorParameters<typeof Hookline>[0]> = {}) =>
    new Hookline({ apiKey: 'hl_sk_test', baseUrl: s.url, retryBaseDelayMs: 1, retryMaxDelayMs: 5, ...o });

  beforeAll(() => s.start());
  afterAll(() => s.close());
  beforeEach(() => s.reset(ok));

  it('sends the key, a JSON body and its User-Agent', async () => {
    s.reset(json(201, { id: 'ep_1' }));
    await client().webhookEndpoints.create({ url: 'https://example.com/', events: ['*'] });
    const [req] = s.seen;
    expect(req).toMatchObject({ method: 'POST', url: '/api/v1/webhooks/endpoints' });
    expect(req!.headers.authorization).toBe('Bearer hl_sk_test');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toMatch(/^hookline-sdk-js\/\d+\.\d+\.\d+$/);
    expect(JSON.parse(req!.body)).toEqual({ url: 'https://example.com/', events: ['*'] });
    await client({ userAgent: 'my-app/1.0' }).settings.get();
    expect(s.seen[1]!.headers['user-agent']).toBe('my-app/1.0');
    expect(s.seen[1]!.headers['content-type']).toBeUndefined();
  });

  it('encodes query parameters and path segments', async () => {
    await client().deliveries.list({ endpoint_id: 'ep 1', status: 'failed', limit: 10 });
    await client()
      .webhookEndpoints.get('a/b?c')
      .catch(() => {});
    expect(s.seen.map((r) => r.url)).toEqual(['/api/v1/deliveries?endpoint_id=ep%201&status=failed&limit=10', '/api/v1/webhooks/endpoints/a%2Fb%3Fc']);
  });

  it('retries a GET on 503 until it succeeds', async () => {
    s.reset(unavailable, unavailable, ok);
    expect(await client().webhookEndpoints.list()).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    expect(s.seen).toHaveLength(3);
  });

  it('gives up after maxRetries and throws the last answer', async () => {
    s.reset(unavailable);
    const err = await failure(client({ maxRetries: 2 }).webhookEndpoints.list());
    expect(err).toBeInstanceOf(HooklineApiError);
    expect(err).toMatchObject({ status: 503, code: 'database_unavailable', message: 'the database does not answer' });
    expect(s.seen).toHaveLength(3);
    s.reset(unavailable);
    await failure(client({ maxRetries: 0 }).webhookEndpoints.list());
    expect(s.seen).toHaveLength(1);
    s.reset(unavailable);
    await failure(client({ maxRetries: 0 }).webhookEndpoints.list({}, { maxRetries: 3 }));
    expect(s.seen).toHaveLength(4);
  });

  it('retries 502 and 504 too, and never a 4xx or a 500', async () => {
    s.reset(json(502, {}), json(504, {}), ok);
    await client().settings.get();
    expect(s.seen).toHaveLength(3);
    for (const status of [400, 404, 409, 422, 500]) {
      s.reset(json(status, { error: { code: `c${status}`, message: 'm' } }), ok);
      expect(await failure(client().settings.get())).toMatchObject({ status, code: `c${status}` });
      expect(s.seen).toHaveLength(1);
    }
  });

  it('honours Retry-After on 429 instead of its own backoff', async () => {
    // A backoff of a minute would time the test out: only Retry-After: 0 lets it pass.
    s.reset(json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '0' }), ok);
    await client({ retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 }).settings.get();
    expect(s.seen).toHaveLength(2);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs: the 429 is thrown with it', async () => {
    s.reset(json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '120' }), ok);
    const err = await failure(client().settings.get());
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 120_000 });
    expect(s.seen).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('5')).toBe(5000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('retries network errors on idempotent calls', async () => {
    s.reset(hangUp, ok);
    await client().webhookEndpoints.list();
    expect(s.seen).toHaveLength(2);
    s.reset(hangUp);
    const err = await failure(client({ maxRetries: 1 }).webhookEndpoints.list());
    expect(err).toBeInstanceOf(HooklineConnectionError);
    expect(err).not.toBeInstanceOf(HooklineTimeoutError);
    expect((err as Error).message).toContain(s.url);
    expect(s.seen).toHaveLength(2);
  });

  it('never retries a POST the server does not treat as idempotent, even with an Idempotency-Key (sent all the same)', async () => {
    s.reset(unavailable, json(201, { id: 'ep_1' }));
    await failure(client().webhookEndpoints.create({ url: 'https://example.com/', events: ['*'] }, { idempotencyKey: 'create-1' }));
    expect(s.seen).toHaveLength(1);
    expect(s.seen[0]!.headers['idempotency-key']).toBe('create-1');
    s.reset(hangUp, ok);
    expect(await failure(client().deliveries.retry('dlv_1'))).toBeInstanceOf(HooklineConnectionError);
    expect(s.seen).toHaveLength(1);
  });

  it('retries the POSTs the server treats as idempotent: publish with an id, report with an external_id, enable', async () => {
    const published = json(200, { event: { id: 'evt-1' }, duplicate: true, deliveries: 0 });
    s.reset(unavailable, published);
    await client().events.publish({ type: 'invoice.paid', id: 'evt-1' });
    expect(s.seen).toHaveLength(2);
    s.reset(unavailable, published);
    await failure(client().events.publish({ type: 'invoice.paid' }));
    expect(s.seen).toHaveLength(1);
    s.reset(hangUp, json(200, { duplicate: true }));
    await client().runs.report({ agent_id: 'a', status: 'completed', external_id: 'x-1' });
    expect(s.seen).toHaveLength(2);
    s.reset(unavailable, json(200, { enabled: true }));
    await client().webhookEndpoints.enable('ep_1');
    expect(s.seen).toHaveLength(2);
  });

  it('times out an attempt that gets no answer, and retries it when it may', async () => {
    s.reset(silent);
    const err = await failure(client({ timeoutMs: 50, maxRetries: 0 }).settings.get());
    expect(err).toBeInstanceOf(HooklineTimeoutError);
    expect(err).toBeInstanceOf(HooklineConnectionError);
    expect(err).toMatchObject({ timeoutMs: 50 });
    expect(s.seen).toHaveLength(1);
    s.reset(silent, ok);
    await client({ timeoutMs: 50, maxRetries: 1 }).webhookEndpoints.list();
    expect(s.seen).toHaveLength(2);
    s.reset(silent);
    expect(await failure(client().settings.get({ timeoutMs: 50, maxRetries: 0 }))).toBeInstanceOf(HooklineTimeoutError);
  });

  it("stops at once when the caller's signal aborts, without retrying", async () => {
    s.reset(silent);
    const controller = new AbortController();
    const call = failure(client({ timeoutMs: 10_000 }).settings.get({ signal: controller.signal }));
    await expect.poll(() => s.seen.length).toBe(1);
    controller.abort(new Error('caller gave up'));
    const err = await call;
    expect(err).toMatchObject({ message: 'caller gave up' });
    expect(err).not.toBeInstanceOf(HooklineError);
    expect(s.seen).toHaveLength(1);
  });

  it('maps a non-JSON error page and keeps x-request-id', async () => {
    s.reset((_req, res) => res.writeHead(502, { 'content-type': 'text/html', 'x-request-id': 'req-42' }).end('<h1>Bad gateway</h1>'));
    const err = await failure(client({ maxRetries: 0 }).settings.get());
    expect(err).toMatchObject({ status: 502, code: 'http_502', requestId: 'req-42' });
    expect((err as Error).message).toBe('GET /api/v1/settings answered HTTP 502');
  });

  it('says so when a 2xx answer is not JSON (a baseUrl that is not Hookline)', async () => {
    s.reset((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>'));
    const err = await failure(client().settings.get());
    expect(err).toBeInstanceOf(HooklineError);
    expect((err as Error).message).toBe(`GET /api/v1/settings: the answer is not JSON; is ${s.url} a Hookline API?`);
  });

  it('resolves DELETE 204 to undefined', async () => {
    s.reset((_req, res) => res.writeHead(204).end());
    expect(await client().webhookEndpoints.delete('ep_1')).toBeUndefined();
    expect(s.seen[0]).toMatchObject({ method: 'DELETE', url: '/api/v1/webhooks/endpoints/ep_1' });
  });

  it('reads HOOKLINE_URL and HOOKLINE_API_KEY when not given', async () => {
    const before = { url: process.env.HOOKLINE_URL, key: process.env.HOOKLINE_API_KEY };
    process.env.HOOKLINE_URL = s.url;
    process.env.HOOKLINE_API_KEY = 'hl_sk_from_env';
    try {
      const c = new Hookline();
      expect(c.baseUrl).toBe(s.url);
      await c.settings.get();
      expect(s.seen[0]!.headers.authorization).toBe('Bearer hl_sk_from_env');
    } finally {
      for (const [k, v] of [
        ['HOOKLINE_URL', before.url],
        ['HOOKLINE_API_KEY', before.key],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
