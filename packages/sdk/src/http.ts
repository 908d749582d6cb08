import { HooklineApiError, HooklineConnectionError, HooklineError, HooklineTimeoutError } from './errors.js';
import { SDK_VERSION } from './version.js';

/** Options every call takes as its last argument. */
export interface RequestOptions {
  /** Sent as `Idempotency-Key`. See the README: it does not by itself make a POST retried. */
  idempotencyKey?: string;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Cancels the call (and any wait between retries). */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface TransportOptions {
  apiKey: string | undefined;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof fetch;
  userAgent: string | undefined;
  /** First retry delay; doubles per retry, with jitter. */
  retryBaseDelayMs: number;
  /** Ceiling for one computed delay. */
  retryMaxDelayMs: number;
  /** The longest Retry-After honoured; asked to wait longer, the call fails with the 429/503 instead. */
  maxRetryAfterMs: number;
  /** Sent as Hookline-Org on every call: the org the calls act in. */
  org?: string | undefined;
  /** Sent as Hookline-Env on every call: the environment the calls act in. */
  env?: string | undefined;
}

export interface CallSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query | undefined;
  body?: unknown;
  /** A POST the server treats as idempotent (publish with an id, enable, report with external_id…). */
  idempotent?: boolean;
  options?: RequestOptions | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** Path segment: ids never contain `/`, but a caller's typo should not reach another route. */
export const seg = (v: string | number): string => encodeURIComponent(String(v));

export function toQueryString(q: Query | undefined): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const TIMED_OUT = Symbol('timed out');

/** JSON over fetch with timeouts, retries and Hookline's error shape. */
export class Transport {
  constructor(readonly o: TransportOptions) {}

  /** The delay before retry number `retry` (1-based): exponential, with full jitter in its upper half. */
  backoff(retry: number): number {
    const ceiling = Math.min(this.o.retryMaxDelayMs, this.o.retryBaseDelayMs * 2 ** (retry - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  async request<T>(spec: CallSpec): Promise<T> {
    const opts = spec.options ?? {};
    const retryable = SAFE_METHODS.has(spec.method) || spec.idempotent === true;
    const maxRetries = retryable ? Math.max(0, opts.maxRetries ?? this.o.maxRetries) : 0;
    for (let attempt = 0; ; attempt++) {
      let delay: number | undefined;
      try {
        return await this.once<T>(spec, opts);
      } catch (err) {
        if (attempt >= maxRetries || opts.signal?.aborted) throw err;
        if (err instanceof HooklineApiError) {
          if (!RETRY_STATUSES.has(err.status)) throw err;
          if (err.retryAfterMs !== undefined) {
            // Asked to come back later than we are willing to wait: the caller decides.
            if (err.retryAfterMs > this.o.maxRetryAfterMs) throw err;
            delay = err.retryAfterMs;
          }
        } else if (!(err instanceof HooklineConnectionError)) {
          throw err;
        }
      }
      await sleep(delay ?? this.backoff(attempt + 1), opts.signal);
    }
  }

  private headers(spec: CallSpec, opts: RequestOptions, hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (this.o.apiKey) h.authorization = `Bearer ${this.o.apiKey}`;
    if (this.o.org) h['hookline-org'] = this.o.org;
    if (this.o.env) h['hookline-env'] = this.o.env;
    if (hasBody) h['content-type'] = 'application/json';
    h['user-agent'] = this.o.userAgent ?? `hookline-sdk-js/${SDK_VERSION}`;
    if (opts.idempotencyKey !== undefined && spec.method !== 'GET') h['idempotency-key'] = opts.idempotencyKey;
    return { ...h, ...opts.headers };
  }

  private async once<T>(spec: CallSpec, opts: RequestOptions): Promise<T> {
    const url = this.o.baseUrl.replace(/\/+$/, '') + spec.path + toQueryString(spec.query);
    const hasBody = spec.body !== undefined;
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs;
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(opts.signal!.reason);
    if (opts.signal?.aborted) throw opts.signal.reason;
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    try {
      let res: Response;
      let text: string;
      try {
        res = await this.o.fetch(url, {
          method: spec.method,
          headers: this.headers(spec, opts, hasBody),
          ...(hasBody ? { body: JSON.stringify(spec.body) } : {}),
          signal: controller.signal,
        });
        text = await res.text();
      } catch (err) {
        if (controller.signal.reason === TIMED_OUT)
          throw new HooklineTimeoutError(`${spec.method} ${spec.path}: no complete answer within ${timeoutMs} ms`, timeoutMs);
        if (opts.signal?.aborted) throw opts.signal.reason;
        const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
        throw new HooklineConnectionError(`${spec.method} ${spec.path}: could not reach Hookline at ${this.o.baseUrl} (${reason})`, { cause: err });
      }
      if (res.ok) return parseOk<T>(text, spec, this.o.baseUrl);
      throw errorFrom(res, text, spec);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function parseOk<T>(text: string, spec: CallSpec, baseUrl: string): T {
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new HooklineError(`${spec.method} ${spec.path}: the answer is not JSON; is ${baseUrl} a Hookline API?`);
  }
}

function errorFrom(res: Response, text: string, spec: CallSpec): HooklineApiError {
  let code = `http_${res.status}`;
  let message = `${spec.method} ${spec.path} answered HTTP ${res.status}`;
  let details: unknown;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (body?.error && typeof body.error === 'object') {
      if (typeof body.error.code === 'string') code = body.error.code;
      if (typeof body.error.message === 'string') message = body.error.message;
      details = body.error.details;
    }
  } catch {
    // Not Hookline's JSON (a proxy's HTML page, say): keep the generic message.
  }
  return new HooklineApiError({
    status: res.status,
    code,
    message,
    details,
    requestId: res.headers.get('x-request-id') ?? undefined,
    retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
    method: spec.method,
    path: spec.path,
  });
}
