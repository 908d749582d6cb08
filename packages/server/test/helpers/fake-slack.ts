/**
 * A real HTTP server on 127.0.0.1 that answers like Slack: the Web API's chat.postMessage
 * (bearer token, HTTP 200 with `{"ok":…}`, 429 + Retry-After when rate limited) and incoming
 * webhooks (plain-text `ok`, or a 4xx with the error as text).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as sent. */
  body: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
  /** When it arrived (ms since the epoch, wall clock). */
  at: number;
}

/** How a failed request is answered; named ones answer the way real Slack does. */
export type FakeSlackFailure = 'channel_not_found' | 'ratelimited' | 'internal_error' | { status: number; body: string };

export interface FakeSlackOptions {
  token?: string;
  channels?: string[];
}

export interface FakeSlack {
  /** The Web API base, e.g. `http://127.0.0.1:PORT/api` (methods are `${url}/chat.postMessage`). */
  readonly url: string;
  readonly token: string;
  /** Channels that exist (`#name`); a message to another gets `channel_not_found`. */
  readonly channels: string[];
  /** Every request received, in order. */
  readonly requests: FakeSlackRequest[];
  /** An incoming-webhook URL on this server. */
  webhookUrl(name: string): string;
  /** The next `n` requests (either kind) fail as `how`. */
  failNext(n: number, how: FakeSlackFailure): void;
  /** Resolves once `n` requests in total have arrived; rejects after `ms`. */
  waitFor(n: number, ms?: number): Promise<void>;
  /** Requests that posted a message successfully (chat.postMessage or webhook). */
  delivered(): FakeSlackRequest[];
  close(): Promise<void>;
}

const API_PREFIX = '/api/';
const WEBHOOK_PREFIX = '/services/';

/** A stable fake channel id per name, shaped like Slack's (C + 10 uppercase alphanumerics). */
const channelId = (name: string): string => `C${Buffer.from(name).toString('hex').toUpperCase().padEnd(10, '0').slice(0, 10)}`;

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = opts.token ?? 'xoxb-test-token';
  const channels = opts.channels ?? ['#alerts', '#reports', '#general'];
  const requests: FakeSlackRequest[] = [];
  const ok = new Set<FakeSlackRequest>();
  const failures: FakeSlackFailure[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  let posted = 0;

  const json = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void =>
    void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  // Real incoming webhooks answer text/html, whatever the outcome.
  const text = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void =>
    void res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(body);

  function fail(how: FakeSlackFailure, webhook: boolean, res: ServerResponse): void {
    if (typeof how === 'object') return void res.writeHead(how.status).end(how.body);
    if (how === 'ratelimited') {
      if (webhook) return text(res, 429, 'rate_limited', { 'retry-after': '1' });
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    }
    if (webhook) return text(res, how === 'internal_error' ? 500 : 404, how);
    json(res, 200, { ok: false, error: how });
  }

  function webApi(method: string, r: FakeSlackRequest, res: ServerResponse): void {
    const auth = r.headers.authorization;
    if (!auth) return json(res, 200, { ok: false, error: 'not_authed' });
    if (auth !== `Bearer ${token}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    if (method === 'auth.test') return json(res, 200, { ok: true, team: 'Fake', user: 'hookline', bot_id: 'BFAKE0001' });
    if (method !== 'chat.postMessage') return json(res, 404, { ok: false, error: 'unknown_method' });
    const msg = r.json as { channel?: unknown; text?: unknown; blocks?: unknown } | undefined;
    if (!msg || typeof msg !== 'object') return json(res, 200, { ok: false, error: 'invalid_json' });
    const wanted = typeof msg.channel === 'string' ? msg.channel : '';
    const name = channels.find((c) => c === wanted || c === `#${wanted}` || channelId(c) === wanted);
    if (!name) return json(res, 200, { ok: false, error: 'channel_not_found' });
    if (msg.blocks !== undefined && !Array.isArray(msg.blocks)) return json(res, 200, { ok: false, error: 'invalid_blocks' });
    if (!msg.text && !(Array.isArray(msg.blocks) && msg.blocks.length)) return json(res, 200, { ok: false, error: 'no_text' });
    // Slack's message ts: epoch seconds, a dot, six digits; unique per message.
    const at = `1700000000.${String(++posted).padStart(6, '0')}`;
    ok.add(r);
    json(res, 200, {
      ok: true,
      channel: channelId(name),
      ts: at,
      message: { type: 'message', subtype: 'bot_message', text: msg.text ?? '', blocks: msg.blocks ?? [], bot_id: 'BFAKE0001', ts: at },
    });
  }

  function webhook(r: FakeSlackRequest, res: ServerResponse): void {
    const msg = r.json as { text?: unknown; blocks?: unknown } | undefined;
    if (!msg || typeof msg !== 'object') return text(res, 400, 'invalid_payload');
    if (!msg.text && !(Array.isArray(msg.blocks) && msg.blocks.length)) return text(res, 400, 'no_text');
    ok.add(r);
    text(res, 200, 'ok');
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const r: FakeSlackRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: parsed, at: Date.now() };
      requests.push(r);
      const path = r.path.split('?')[0]!;
      const isWebhook = path.startsWith(WEBHOOK_PREFIX);
      const failure = failures.shift();
      if (failure) fail(failure, isWebhook, res);
      else if (r.method !== 'POST') text(res, 405, 'method_not_allowed');
      else if (isWebhook) webhook(r, res);
      else if (path.startsWith(API_PREFIX)) webApi(path.slice(API_PREFIX.length), r, res);
      else text(res, 404, 'not_found');
      for (const w of waiters.filter((x) => requests.length >= x.n)) w.resolve();
      waiters = waiters.filter((x) => requests.length < x.n);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api`,
    token,
    channels,
    requests,
    webhookUrl: (name) => `${origin}${WEBHOOK_PREFIX}T0FAKE/B0FAKE/${encodeURIComponent(name)}`,
    failNext(n, how) {
      for (let i = 0; i < n; i++) failures.push(how);
    },
    waitFor(n, ms = 10_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`fake Slack: ${requests.length} of ${n} requests after ${ms} ms`)), ms);
        waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
    delivered: () => requests.filter((r) => ok.has(r)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
