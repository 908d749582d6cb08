/**
 * Sends one webhook HTTP request. The SSRF guard is enforced inside undici's connect step,
 * not before the request, because only there do we know the exact address being dialled:
 * checking a URL and then letting undici resolve the name again would let a DNS server answer
 * "public" to us and "127.0.0.1" to the socket (DNS rebinding).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { type Clock, systemClock } from '../util/clock.js';
import type { SsrfGuard } from './ssrf-guard.js';

export interface SendRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type SendErrorCode =
  | 'ssrf_blocked' | 'timeout' | 'connection_refused' | 'connection_reset' | 'dns_failed' | 'tls_error' | 'network_error';

export interface SendResult {
  /** null when no response arrived. */
  statusCode: number | null;
  retryAfterMs: number | null;
  /** At most the first 4096 bytes of the body, decoded as UTF-8 (lossy). */
  responseBody: string;
  durationMs: number;
  error: null | { code: SendErrorCode; message: string };
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export interface HttpSenderOptions {
  guard: SsrfGuard;
  clock?: Clock;
  /** Maximum sockets per origin. */
  connections?: number;
  resolve?: Resolver;
}

const SNIPPET_BYTES = 4096;
/** Bounds TCP/TLS setup and DNS, so a stuck connect cannot wedge an origin's pool forever. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How many resolved addresses to try, in resolver order, before reporting the connect error. */
const MAX_DIAL_ATTEMPTS = 3;

class SsrfBlockedError extends Error {
  readonly code = 'HOOKLINE_SSRF_BLOCKED';
}

const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

function errorWithCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function resolveWithin(resolve: Resolver, hostname: string, ms: number): ReturnType<Resolver> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(errorWithCode(`DNS lookup of ${hostname} timed out`, 'EAI_AGAIN')), ms);
    resolve(hostname).then(ok, fail).finally(() => clearTimeout(timer));
  });
}

/**
 * Wraps undici's stock connector: resolve the name ourselves, vet every answer, then dial the
 * vetted IPs (pinned) while keeping the name for SNI and certificate validation.
 */
function guardedConnector(guard: SsrfGuard, resolve: Resolver): buildConnector.connector {
  const dial = buildConnector({ timeout: CONNECT_TIMEOUT_MS });

  async function vettedAddresses(hostname: string): Promise<{ ips: string[]; vetPeer: boolean }> {
    if (isIP(hostname)) {
      const reason = guard.checkAddress(hostname);
      if (reason) throw new SsrfBlockedError(reason);
      return { ips: [hostname], vetPeer: true };
    }
    const nameAllowed = guard.hostAllowed(hostname);
    const answers = await resolveWithin(resolve, hostname, CONNECT_TIMEOUT_MS);
    if (answers.length === 0) throw errorWithCode(`no addresses for ${hostname}`, 'ENOTFOUND');
    if (!nameAllowed) {
      // Refuse if ANY answer is blocked: a mixed answer is the rebinding shape, and picking
      // the public one would only help an attacker who controls later lookups.
      for (const { address } of answers) {
        const reason = guard.checkAddress(address);
        if (reason) throw new SsrfBlockedError(`${hostname} resolved to a blocked address: ${reason}`);
      }
    }
    // A few fallbacks help dual-stack hosts where one family is down; all were vetted above.
    return { ips: answers.slice(0, MAX_DIAL_ATTEMPTS).map((a) => a.address), vetPeer: !nameAllowed };
  }

  return (opts, callback) => {
    const servername = opts.servername || (isIP(opts.hostname) ? undefined : opts.hostname.replace(/\.$/, ''));
    const attempt = (ips: string[], index: number, vetPeer: boolean): void => {
      dial({ ...opts, hostname: ips[index]!, servername }, (err, socket) => {
        if (err) return index + 1 < ips.length ? attempt(ips, index + 1, vetPeer) : callback(err, null);
        // Belt and braces: the socket must really be talking to an address we accept.
        const reason = vetPeer ? guard.checkAddress(socket.remoteAddress ?? '') : null;
        if (reason) {
          socket.destroy();
          return callback(new SsrfBlockedError(`connected peer ${reason}`), null);
        }
        callback(null, socket);
      });
    };
    vettedAddresses(opts.hostname)
      .then(({ ips, vetPeer }) => attempt(ips, 0, vetPeer))
      // Any failure must reach undici, or the origin's client would wait on this connect forever.
      .catch((err: Error) => callback(err, null));
  };
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

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

function classify(err: unknown, timedOut: boolean): SendErrorCode {
  const codes = codesOf(err);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  if (has('HOOKLINE_SSRF_BLOCKED')) return 'ssrf_blocked';
  if (timedOut || has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return 'timeout';
  }
  if (has('ECONNREFUSED')) return 'connection_refused';
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')) return 'connection_reset';
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA')) return 'dns_failed';
  const tls = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;
  if (codes.some((c) => tls.test(c))) return 'tls_error';
  return 'network_error';
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
    this.agent = new Agent({
      connections: opts.connections ?? 64,
      connect: guardedConnector(opts.guard, opts.resolve ?? systemResolver),
    });
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
      return done({ statusCode, retryAfterMs, responseBody: snippet(chunks) });
    } catch (err) {
      const code = classify(err, timedOut);
      const message = describe(err, code, req.timeoutMs, req.headers);
      // If headers arrived before the failure, keep what we learned: the status is real.
      return done({ statusCode, retryAfterMs, responseBody: snippet(chunks), error: { code, message } });
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
