/**
 * Sends one webhook HTTP request, through the SSRF-guarded connector of guarded-connect.ts
 * (the guard is checked against the exact address dialled, which defeats DNS rebinding).
 */
import { performance } from 'node:perf_hooks';
import type { Agent, Dispatcher } from 'undici';
import { type Clock, systemClock } from '../util/clock.js';
import { classifyNetError, errorWithCode, guardedAgent, type NetErrorCode, type Resolver } from './guarded-connect.js';
import type { SsrfGuard } from './ssrf-guard.js';

export type { Resolver } from './guarded-connect.js';

export interface SendRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** Set by a channel's judge() when an answer means failure despite its status (Slack's `{"ok":false}`). */
export type ChannelErrorCode = 'slack_error' | 'slack_bad_response';

export type SendErrorCode = NetErrorCode | ChannelErrorCode;

export interface SendResult {
  /** null when no response arrived. */
  statusCode: number | null;
  retryAfterMs: number | null;
  /** At most the first 4096 bytes of the body, decoded as UTF-8 (lossy). */
  responseBody: string;
  durationMs: number;
  error: null | { code: SendErrorCode; message: string };
}

export interface HttpSenderOptions {
  guard: SsrfGuard;
  clock?: Clock;
  /** Maximum sockets per origin. */
  connections?: number;
  resolve?: Resolver;
}

const SNIPPET_BYTES = 4096;

/** Retry-After is either delta-seconds or an HTTP-date; dates are relative to the injected clock. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // All three HTTP-date formats start with a day name; this stops Date.parse("-3") meaning a year.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Hookline's own framing headers: their values are not credentials, and may well appear in a body. */
const PUBLIC_HEADERS = new Set(['content-type', 'content-length', 'user-agent', 'x-hookline-event-type', 'webhook-id', 'webhook-timestamp', 'x-timestamp', 'x-agentgateway-timestamp']);
/** Shorter values are left alone: redacting "acme" from every answer would garble bodies, and a credential is longer. */
const MIN_SECRET_CHARS = 8;

/**
 * The values a receiver must not get into our records by echoing them: every header value we
 * sent except the public framing ones (custom headers are stored encrypted, so they count as
 * secret), and for `Scheme credential` values the credential alone (Basic: decoded too).
 */
function secretValues(headers: Record<string, string>): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (PUBLIC_HEADERS.has(name.toLowerCase())) continue;
    out.add(value);
    const auth = /^(\S+) +(\S.*)$/.exec(value);
    if (!auth) continue;
    out.add(auth[2]!);
    if (auth[1]!.toLowerCase() !== 'basic') continue;
    const decoded = Buffer.from(auth[2]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    out.add(decoded);
    if (colon >= 0) out.add(decoded.slice(0, colon)).add(decoded.slice(colon + 1));
  }
  const forms = [...out].flatMap((v) => [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1)]);
  return [...new Set(forms)].filter((v) => v.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
}

/**
 * The recorded start of an answer, with every secret we sent redacted: a receiver (or a proxy)
 * that echoes the request back must not leave our credentials in plain text in the attempt
 * record, which any API key can read. A secret cut off by the 4 KB limit loses its start too.
 */
function redactEcho(chunks: Buffer[], secrets: string[]): string {
  let text = snippet(chunks);
  for (const s of secrets) text = text.split(s).join('[redacted]');
  if (chunks.reduce((n, c) => n + c.length, 0) <= SNIPPET_BYTES) return text;
  for (const s of secrets) {
    for (let k = s.length - 1; k >= 4; k--) {
      if (text.endsWith(s.slice(0, k))) return `${text.slice(0, -k)}[redacted]`;
    }
  }
  return text;
}

/** Error text for logs and the delivery record; header values (signatures, tokens) are scrubbed. */
function describe(err: unknown, code: SendErrorCode, timeoutMs: number, headers: Record<string, string>): string {
  if (code === 'timeout') return `no complete response within ${timeoutMs} ms`;
  let text = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  if (cause && !text.includes(cause)) text = `${text}: ${cause}`;
  for (const value of Object.values(headers)) {
    if (value.length >= 4) text = text.split(value).join('[redacted]');
  }
  return text.slice(0, 500) || code;
}

export class HttpSender {
  private readonly agent: Agent;
  private readonly clock: Clock;
  private readonly guard: SsrfGuard;

  constructor(opts: HttpSenderOptions) {
    this.clock = opts.clock ?? systemClock;
    this.agent = guardedAgent({ guard: opts.guard, resolve: opts.resolve, connections: opts.connections ?? 64 });
    this.guard = opts.guard;
  }

  async send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const done = (partial: Partial<SendResult>): SendResult => ({
      statusCode: null, retryAfterMs: null, responseBody: '', error: null,
      ...partial,
      durationMs: Math.round(performance.now() - started),
    });

    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return done({ error: { code: 'network_error', message: 'invalid URL' } });
    }
    // Literal hosts and well-known names can be refused without touching the network; names
    // needing DNS are vetted by the connector.
    const urlReason = this.guard.checkUrl(url);
    if (urlReason) return done({ error: { code: 'ssrf_blocked', message: urlReason } });

    // One deadline for the whole exchange: connect, headers and the capped body read.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(errorWithCode('delivery timed out', 'ETIMEDOUT'));
    }, req.timeoutMs);

    let statusCode: number | null = null;
    let retryAfterMs: number | null = null;
    const chunks: Buffer[] = [];
    try {
      const res = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method.toUpperCase() as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body ?? null,
        signal: controller.signal,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      statusCode = res.statusCode;
      retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.clock.now());
      await readCapped(res.body, chunks);
      return done({ statusCode, retryAfterMs, responseBody: redactEcho(chunks, secretValues(req.headers)) });
    } catch (err) {
      const code = classifyNetError(err, timedOut);
      const message = describe(err, code, req.timeoutMs, req.headers);
      // If headers arrived before the failure, keep what we learned: the status is real.
      return done({ statusCode, retryAfterMs, responseBody: redactEcho(chunks, secretValues(req.headers)), error: { code, message } });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for in-flight requests, then closes all pooled sockets. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Aborts whatever is still open (shutdown after the grace period; leases bring it back). */
  async destroy(): Promise<void> {
    await this.agent.destroy();
  }
}

/**
 * Reads until SNIPPET_BYTES are held, then destroys the stream so the rest of a huge (or
 * endless) body is never downloaded; undici drops that connection instead of reusing it.
 */
async function readCapped(body: Dispatcher.ResponseData['body'], chunks: Buffer[]): Promise<void> {
  let held = 0;
  // Destroying emits RequestAbortedError on the stream; it is expected, not a failure.
  body.on('error', () => {});
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buf);
      held += buf.length;
      if (held >= SNIPPET_BYTES) break;
    }
  } finally {
    if (!body.destroyed) body.destroy();
  }
}

function snippet(chunks: Buffer[]): string {
  return Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
}
