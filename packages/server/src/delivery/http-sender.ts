/**
 * Sends one webhook HTTP request, through the SSRF-guarded connector of net/guarded-connect.ts
 * (the guard is checked against the exact address dialled, which defeats DNS rebinding).
 */
import { performance } from 'node:perf_hooks';
import type { Agent, Dispatcher } from 'undici';
import { type Clock, systemClock } from '../util/index.js';
import { classifyNetError, errorWithCode, guardedAgent, type NetErrorCode, type Resolver, type SsrfGuard } from '../net/index.js';

export type { Resolver } from '../net/index.js';

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

/** The result of a request that got no answer: refused before sending, or lost on the way. */
export function noAnswer(error: NonNullable<SendResult['error']>, durationMs = 0): SendResult {
  return { statusCode: null, retryAfterMs: null, responseBody: '', durationMs, error };
}

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
const PUBLIC_HEADERS = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'x-hookline-event-type',
  'webhook-id',
  'webhook-timestamp',
  'x-timestamp',
  'x-agentgateway-timestamp',
]);
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
 * `received` counts every body byte that arrived, including those past the snippet.
 */
function recordedBody(chunks: Buffer[], received: number, headers: Record<string, string>): string {
  if (received === 0) return '';
  let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  const truncated = received > SNIPPET_BYTES;
  // Most answers ("", "ok") are too short to hold a whole secret, and only a cut answer can
  // end in part of one: then the secrets need not even be listed.
  if (!truncated && text.length < MIN_SECRET_CHARS) return text;
  const secrets = secretValues(headers);
  for (const s of secrets) if (text.includes(s)) text = text.split(s).join('[redacted]');
  if (!truncated) return text;
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

/** How late a deadline may fire; deadlines never fire early. */
const DEADLINE_TICK_MS = 50;

/**
 * Every request's deadline, watched by one coarse timer instead of an AbortController and a
 * timer per request (which cost ~40 µs a send). Requests with equal timeouts expire in the
 * order they started, so each timeout keeps a queue (a Set iterates in insertion order) and a
 * sweep stops at the first entry not yet due. The timer runs only while requests are open.
 * Shared by every sender in the process.
 */
class DeadlineWheel {
  private readonly queues = new Map<number, Set<Exchange>>();
  private sweeper: NodeJS.Timeout | null = null;

  add(exchange: Exchange): void {
    let queue = this.queues.get(exchange.timeoutMs);
    if (!queue) this.queues.set(exchange.timeoutMs, (queue = new Set()));
    queue.add(exchange);
    // Not unref'd: like the per-request timer it replaces, an open request's deadline keeps the process up.
    this.sweeper ??= setInterval(() => this.sweep(), DEADLINE_TICK_MS);
  }

  remove(exchange: Exchange): void {
    this.queues.get(exchange.timeoutMs)?.delete(exchange);
  }

  private sweep(): void {
    const now = performance.now();
    for (const [timeoutMs, queue] of this.queues) {
      for (const exchange of queue) {
        if (exchange.deadline > now) break;
        queue.delete(exchange);
        exchange.expire();
      }
      if (queue.size === 0) this.queues.delete(timeoutMs);
    }
    if (this.queues.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}

const deadlines = new DeadlineWheel();

/** Handed to undici when the snippet is complete; never reported, the exchange is settled by then. */
const SNIPPET_TAKEN = new Error('response snippet taken; the rest of the body is not read');

/**
 * One request, as an undici dispatch handler: the answer comes straight from the parser's
 * callbacks (no body stream, no promise per chunk). It settles once, on whichever comes first:
 * the end of the answer, an error, the 4 KB snippet being full, or the deadline. The last two
 * abort the request, which closes its connection instead of downloading the rest.
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly deadline: number;
  private statusCode: number | null = null;
  private retryAfterMs: number | null = null;
  private readonly chunks: Buffer[] = [];
  private held = 0;
  private received = 0;
  private abortRequest: ((err: Error) => void) | null = null;
  private abortReason: Error | null = null;
  private timedOut = false;
  private settled = false;

  constructor(
    private readonly req: SendRequest,
    private readonly started: number,
    private readonly clock: Clock,
    private readonly resolve: (result: SendResult) => void,
  ) {
    this.deadline = started + req.timeoutMs;
  }

  get timeoutMs(): number {
    return this.req.timeoutMs;
  }

  onConnect(abort: (err?: Error) => void): void {
    // The deadline passed while this request waited for a connection.
    if (this.abortReason) abort(this.abortReason);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode;
    this.retryAfterMs = parseRetryAfter(headerValue(rawHeaders, 'retry-after'), this.clock.now());
    return true;
  }

  onData(chunk: Buffer): boolean {
    const room = SNIPPET_BYTES - this.held;
    if (room > 0) {
      // A view into the socket's read buffer; it is copied once, when the exchange settles.
      this.chunks.push(chunk.length <= room ? chunk : chunk.subarray(0, room));
      this.held += Math.min(room, chunk.length);
    }
    this.received += chunk.length;
    // Only a byte past the snippet shows the answer is longer; one of exactly 4 KB ends normally
    // and keeps its connection.
    if (this.received > SNIPPET_BYTES) this.stop(SNIPPET_TAKEN);
    return true;
  }

  onComplete(): void {
    this.settle(null);
  }

  onError(err: Error): void {
    this.settle(err);
  }

  /** Called by the deadline wheel: one deadline covers the connect, the headers and the capped body. */
  expire(): void {
    this.timedOut = true;
    this.stop(errorWithCode('delivery timed out', 'ETIMEDOUT'));
  }

  private stop(reason: Error): void {
    this.settle(reason === SNIPPET_TAKEN ? null : reason);
    this.abortReason = reason;
    this.abortRequest?.(reason);
  }

  private settle(err: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    deadlines.remove(this);
    const { req } = this;
    const code = err && classifyNetError(err, this.timedOut);
    this.resolve({
      statusCode: this.statusCode,
      retryAfterMs: this.retryAfterMs,
      responseBody: recordedBody(this.chunks, this.received, req.headers),
      durationMs: Math.round(performance.now() - this.started),
      // If headers arrived before a failure, the status above is still real.
      error: err && code ? { code, message: describe(err, code, req.timeoutMs, req.headers) } : null,
    });
  }
}

/** The first value of a response header, from undici's raw [name, value, …] list. */
function headerValue(rawHeaders: Buffer[], lowerCaseName: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === lowerCaseName.length && name.toString('latin1').toLowerCase() === lowerCaseName) {
      return rawHeaders[i + 1]!.toString('utf8');
    }
  }
  return undefined;
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

  send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const refused = (error: NonNullable<SendResult['error']>): Promise<SendResult> => Promise.resolve(noAnswer(error, Math.round(performance.now() - started)));

    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return refused({ code: 'network_error', message: 'invalid URL' });
    }
    // Literal hosts and well-known names can be refused without touching the network; names
    // needing DNS are vetted by the connector.
    const urlReason = this.guard.checkUrl(url);
    if (urlReason) return refused({ code: 'ssrf_blocked', message: urlReason });

    return new Promise((resolve) => {
      const exchange = new Exchange(req, started, this.clock, resolve);
      deadlines.add(exchange);
      // undici reports its own failures, even synchronous ones, through onError.
      this.agent.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: req.method.toUpperCase() as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body ?? null,
          // Idle limits inside undici; the deadline above bounds the whole exchange.
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        exchange,
      );
    });
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
