// Every call to Hookline's public API goes through here: the session cookie rides along
// (credentials: 'same-origin'), mutations carry the CSRF token, and every failure becomes an
// ApiError whose message is the API's own `error.message`, ready to show to the user.
import { tenantHeaders } from './tenant.js';
import type {
  ApiKeyRole,
  Callback,
  Operations,
  InspectorBin,
  InspectorBinScheme,
  Notification,
  NotificationRules,
  RunStatus,
  Session,
  SigningScheme,
} from '@hookline/sdk';

// The API's shapes come from the SDK, whose types are generated from the server's OpenAPI
// document: a field the server adds or renames shows here at compile time.
export type {
  Agent,
  ApiKey,
  CapturedRequest,
  Crew,
  Delivery,
  DeliveryAttempt,
  DeliveryDetail,
  DeliveryStatus,
  Endpoint,
  EndpointCreated,
  EndpointWithSecret,
  NotificationRules,
  Page,
  Run,
  RunLogLine,
  RunStatus,
  SaveWarning,
  Schedule,
  Session,
  Settings,
  SignatureCheck,
  SigningScheme,
  WebhookTrigger,
} from '@hookline/sdk';
export type Role = ApiKeyRole;
export type NotificationRecord = Notification;
export type NotificationStatus = Notification['status'];
export type NotifyEvent = keyof NotificationRules;
/** An agent's callback (docs/callbacks.md); header values come back masked. `secret` only when just created. */
export type AgentCallback = Callback;
export type Bin = InspectorBin;
export type BinScheme = InspectorBinScheme;

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

export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['pending', 'delivered', 'failed'];
export const NOTIFICATION_CHANNELS = ['slack', 'webhook', 'post_action', 'callback', 'endpoint'] as const;

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'timeout', 'cancelled'] as const;
export const TRIGGER_TYPES = ['webhook', 'schedule', 'manual', 'api'] as const;

export const isRunActive = (status: RunStatus) => status === 'queued' || status === 'running';

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
  /** Leave out the chosen tenant's headers: for calls that must work even when that tenant is gone (the switcher's own). */
  noTenant?: boolean;
}

/** Calls the API; resolves to the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  // The chosen tenant rides on every call (none for a scoped key, whose key decides).
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.noTenant ? {} : tenantHeaders()) };
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
  if (body === undefined)
    throw new ApiError(res.status, 'invalid_response', `The server answered ${res.status} with a body that is not JSON. Check the server's log.`);
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

/** An org, with its settings (docs/tenants.md). */
export type Org = Operations['GET /api/v1/orgs/{org_id}']['response'];
export type OrgSettings = Org['settings'];
/** An environment of an org; its id alone names the tenant. */
export type Env = Operations['GET /api/v1/orgs/{org_id}/envs/{env_id}']['response'];

export const sessionApi = {
  get: () => api<Session>(SESSION_PATH),
  signIn: (apiKey: string) => api<Session>(SESSION_PATH, { method: 'POST', body: { api_key: apiKey } }),
  signOut: () => api<void>(SESSION_PATH, { method: 'DELETE' }),
};

// Endpoints, deliveries, API keys, settings and the inspector.

export const SIGNING_SCHEMES: readonly SigningScheme[] = ['standard', 'x-signature', 'agentgateway', 'github'];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
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

export const BIN_SCHEMES = ['auto', 'standard', 'x-signature', 'agentgateway', 'github', 'callback'] as const;
/** What each signing scheme sends, for the hints under the endpoint and inspector forms (`auto` is the inspector's only). */
export const SCHEME_HINTS: Readonly<Record<string, string>> = {
  auto: 'Picks the scheme from each request: webhook-signature → standard, x-agentgateway-signature → agentgateway, x-hub-signature-256 → github, x-signature with x-timestamp → callback, x-signature alone → x-signature.',
  standard:
    'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), as Svix sends; the secret is the whsec_… string. Verify with the standardwebhooks or svix libraries.',
  'x-signature': 'X-Signature: hex HMAC-SHA256 of the raw body.',
  agentgateway: 'X-AgentGateway-Timestamp and X-AgentGateway-Signature: hex HMAC of "timestamp.body" (as named notification webhooks are signed).',
  github: 'X-Hub-Signature-256: sha256=<hex HMAC of the body>, as GitHub sends.',
  callback: 'X-Signature: sha256=<hex HMAC of "timestamp.body"> with X-Timestamp, as Hookline signs a run\'s callback.',
} satisfies Record<BinScheme, string>;
