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

export const TRIGGER_TYPES = ['webhook', 'schedule', 'manual', 'api'] as const;

/** A run as GET /api/v1/runs/{id} shows it (and as run.* live messages carry it). */
export interface Run {
  id: string;
  crew_id: string;
  agent_id: string;
  status: RunStatus;
  trigger_type: string;
  /** The schedule or named webhook trigger that started it; null for the agent's own URL, manual and reported runs. */
  trigger_id: string | null;
  trigger_name: string | null;
  prompt: string;
  output: string | null;
  error: string | null;
  exit_code: number | null;
  usage: { iterations_used: number | null; tool_calls: number | null; tokens_used: number | null };
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration_seconds: number | null;
}

export const isRunActive = (status: RunStatus) => status === 'queued' || status === 'running';

/** One line of a run's log (GET /api/v1/runs/{id}/logs, and the agent.log live topic). */
export interface RunLogLine {
  run_id: string;
  seq: number;
  at: string;
  stream: 'stdout' | 'stderr' | 'system';
  line: string;
}

export interface Crew {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export type NotifyEvent = 'on_complete' | 'on_error' | 'on_timeout';
export type NotificationRules = Partial<Record<NotifyEvent, { channel: string; target: string }[]>>;

/** An agent as the API shows it: runner secrets are already masked (`********`). */
export interface Agent {
  id: string;
  crew_id: string;
  name: string;
  description: string;
  runner: string;
  runner_config: Record<string, unknown>;
  prompt_template: string;
  timeout_seconds: number;
  max_concurrent_runs: number;
  model: string | null;
  rate_limit_per_minute: number | null;
  /** The path of the agent's own trigger URL, e.g. `/api/v1/webhooks/{crew}/{agent}/trigger`. */
  trigger_url: string;
  source: string;
  source_path: string | null;
  notifications: NotificationRules | null;
  callback_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface Schedule {
  id: string;
  agent_id: string;
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  next_run_at: string | null;
  last_run_at: string | null;
  last_run_id: string | null;
  last_skip_reason: string | null;
}

export interface WebhookTrigger {
  id: string;
  agent_id: string;
  crew_id: string;
  name: string;
  scheme: string;
  enabled: boolean;
  url: string;
  created_at: string;
}

/** An agent's callback (docs/callbacks.md); header values come back masked. `secret` only when just created. */
export interface AgentCallback {
  url: string;
  headers: Record<string, string>;
  signature: { header: string; timestamp_header: string; algorithm: string };
  secret?: string;
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

  // fetch resolves on the headers; the body can still be cut off, by our own abort (a page
  // loading again) or the network. Neither may pass for an answer: an aborted read resolving
  // to undefined once became a page's data and crashed it.
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'network_error', 'The connection to the Hookline server broke while its answer arrived. Try again.');
  }
  const body = parseJson(text);
  if (!res.ok) throw errorFrom(res, body);
  if (body === undefined) throw new ApiError(res.status, 'invalid_response', `The server answered ${res.status} with a body that is not JSON. Check the server's log.`);
  return body as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
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

// Endpoints, deliveries, API keys, settings and the inspector.

export type SigningScheme = 'standard' | 'x-signature' | 'agentgateway' | 'github';
export const SIGNING_SCHEMES: readonly SigningScheme[] = ['standard', 'x-signature', 'agentgateway', 'github'];

export interface Endpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  /** Names only: every value is "********". */
  headers: Record<string, string>;
  timeout_seconds: number;
  retry_schedule: number[] | null;
  signing_scheme: string;
  rate_limit: number | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  consecutive_failures: number;
  secret_rotation_ends_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Only the create and rotate-secret answers carry the secret. */
export type EndpointWithSecret = Endpoint & { secret: string };

/** Advice about a saved endpoint, e.g. an event type that is neither built in nor ever published. */
export interface SaveWarning {
  code: string;
  /** The request field, e.g. `events[1]`. */
  field: string;
  message: string;
}

/** The create answer: `warnings` only when there is advice (the endpoint was saved as given). */
export type EndpointCreated = EndpointWithSecret & { warnings?: SaveWarning[] };

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface DeliveryAttempt {
  attempt: number;
  started_at: string;
  duration_ms: number;
  request: { method: string; url: string };
  status_code: number | null;
  /** The first 4 KB of the response. */
  response_body: string;
  error: { code: string; message: string | null } | null;
}

export type DeliveryDetail = Delivery & { event: { id: string; type: string; timestamp: string; data: unknown } | null; history: DeliveryAttempt[] };

/** The data of the live stream's delivery.* messages. */
export interface DeliveryLive {
  delivery_id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  next_attempt_at?: string | null;
  error: string | null;
}

/** One endpoint's health in GET /api/v1/stats/overview. */
export interface EndpointHealth {
  id: string;
  delivered: number;
  failed: number;
  success_rate: number | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface Settings {
  version: string;
  store: 'sqlite' | 'postgres';
  public_url: string | null;
  slack: { enabled: boolean; configured: boolean; token_source: 'config' | 'env' | null; default_channel: string | null; api_base_url: string; templates_dir: string | null };
  named_webhooks: { name: string; url: string; events: string[] }[];
  delivery: { allow_networks: string[]; blocked: string; timeout_seconds: number; retry_schedule: number[] };
  inspector: { enabled: boolean; max_requests_per_bin: number; max_body_bytes: number };
}

export const BIN_SCHEMES = ['auto', 'standard', 'x-signature', 'agentgateway', 'github', 'callback'] as const;
export type BinScheme = (typeof BIN_SCHEMES)[number];

/** What each signing scheme sends, for the hints under the endpoint and inspector forms (`auto` is the inspector's only). */
export const SCHEME_HINTS: Readonly<Record<string, string>> = {
  auto: 'Picks the scheme from each request: webhook-signature → standard, x-agentgateway-signature → agentgateway, x-hub-signature-256 → github, x-signature with x-timestamp → callback, x-signature alone → x-signature.',
  standard: 'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), as Svix sends; the secret is the whsec_… string. Verify with the standardwebhooks or svix libraries.',
  'x-signature': 'X-Signature: hex HMAC-SHA256 of the raw body.',
  agentgateway: 'X-AgentGateway-Timestamp and X-AgentGateway-Signature: hex HMAC of "timestamp.body" (as named notification webhooks are signed).',
  github: 'X-Hub-Signature-256: sha256=<hex HMAC of the body>, as GitHub sends.',
  callback: "X-Signature: sha256=<hex HMAC of \"timestamp.body\"> with X-Timestamp, as Hookline signs a run's callback.",
} satisfies Record<BinScheme, string>;

export interface Bin {
  name: string;
  /** The absolute capture URL. */
  url: string;
  scheme: BinScheme;
  has_secret: boolean;
  request_count: number;
  last_request_at: string | null;
  created_at: string;
}

export interface SignatureCheck {
  scheme: string;
  valid: boolean;
  reason: string;
}

export interface CapturedRequest {
  id: string;
  bin: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  body_base64: string | null;
  body_truncated: boolean;
  size_bytes: number;
  content_type: string | null;
  remote_address: string;
  received_at: string;
  signature: SignatureCheck | null;
}
