// Every call to Hookline's public API goes through here: the session cookie rides along
// (credentials: 'same-origin'), mutations carry the CSRF token, and every failure becomes an
// ApiError whose message is the API's own `error.message`, ready to show to the user.

/** An API failure; `message` is what the user should read. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type Role = 'admin' | 'read';

export interface Session {
  key: { id: string; name: string; role: Role };
  /** Null only when the request was authenticated by a bearer key rather than the session cookie. */
  csrf_token: string | null;
  expires_at: string | null;
}

export type NotificationStatus = 'pending' | 'delivered' | 'failed';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['pending', 'delivered', 'failed'];
export const NOTIFICATION_CHANNELS = ['slack', 'webhook', 'post_action', 'callback', 'endpoint'] as const;

export interface NotificationRecord {
  id: string;
  execution_id: string;
  agent_id: string;
  event_type: string;
  channel: string;
  target: string;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'timeout', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface Run {
  id: string;
  agent_id: string;
  status: RunStatus;
  trigger_type: string;
  created_at: string | null;
  finished_at: string | null;
}

// Kept in memory only: a reload asks GET /api/v1/session for it again.
let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 outside the sign-in call itself, so the app can send the user to sign in. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

const SESSION_PATH = '/api/v1/session';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the API; resolves to the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  // No Content-Type without a body: the server rejects an empty body declared as JSON.
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the Hookline server. Check that it is running and that you are online, then try again.');
  }

  if (res.status === 401 && path !== SESSION_PATH) unauthorizedHandler?.();
  if (res.status === 204) return undefined as T;

  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw errorFrom(res, body);
  return body as T;
}

function errorFrom(res: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error.message === 'string') {
    return new ApiError(res.status, typeof error.code === 'string' ? error.code : 'error', error.message);
  }
  const reason = res.statusText ? `${res.status} ${res.statusText}` : String(res.status);
  return new ApiError(res.status, 'http_error', `The server answered ${reason} without an explanation. Check the server's log.`);
}

/** The user-facing text of any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** A query string from the set values only (empty strings and undefined are left out). */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const sessionApi = {
  get: () => api<Session>(SESSION_PATH),
  signIn: (apiKey: string) => api<Session>(SESSION_PATH, { method: 'POST', body: { api_key: apiKey } }),
  signOut: () => api<void>(SESSION_PATH, { method: 'DELETE' }),
};
