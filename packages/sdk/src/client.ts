import { HooklineError } from './errors.js';
import { Transport, type TransportOptions } from './http.js';
import { Keys, Inspector, Portal, SettingsResource, Stats } from './resources/admin.js';
import { Agents, Callbacks, Crews } from './resources/agents.js';
import { Deliveries, Events, WebhookEndpoints } from './resources/endpoints.js';
import { Bindings, Notifications, PostActions } from './resources/post-actions.js';
import { Runs } from './resources/runs.js';
import { Orgs } from './resources/tenants.js';
import { Schedules, WebhookTriggers } from './resources/triggers.js';

export interface HooklineOptions {
  /** An API key, hl_sk_…. Default: the HOOKLINE_API_KEY environment variable, where there is one. */
  apiKey?: string;
  /** Default: HOOKLINE_URL, else http://127.0.0.1:8787. */
  baseUrl?: string;
  /** Per attempt, from sending the request to the end of the answer's body. Default 30 s. */
  timeoutMs?: number;
  /** Retries of a failed idempotent call (429, 502, 503, 504, network errors, timeouts). Default 2. */
  maxRetries?: number;
  /** First retry delay; it doubles per retry, with jitter. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Ceiling of one computed retry delay. Default 8 s. */
  retryMaxDelayMs?: number;
  /** The longest Retry-After the client waits for before retrying; longer, it gives up. Default 60 s. */
  maxRetryAfterMs?: number;
  /** A fetch implementation (a test double, a proxy agent, a framework's fetch). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Replaces the default `hookline-sdk-js/<version>` User-Agent. */
  userAgent?: string;
  /**
   * The org every call acts in, sent as Hookline-Org. Default: HOOKLINE_ORG, else the key's own
   * (docs/tenants.md). `''` names none, whatever the environment variable says.
   */
  org?: string;
  /** The environment every call acts in, sent as Hookline-Env. Default: HOOKLINE_ENV, else the key's own; `''` none. */
  env?: string;
}

/** The tenant a client's calls act in: an org, one of its environments, or both. */
export interface TenantChoice {
  org?: string;
  env?: string;
}

/** Reads an environment variable where there is such a thing (Node, Bun, Deno with --allow-env); never throws. */
function env(name: string): string | undefined {
  try {
    const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
    const v = p?.env?.[name];
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

/**
 * The Hookline API client.
 *
 * ```ts
 * const client = new Hookline({ apiKey: 'hl_sk_…' });
 * const endpoint = await client.webhookEndpoints.create({ url, events: ['run.*'] });
 * ```
 */
export class Hookline {
  readonly baseUrl: string;
  /** The org and environment sent with every call (undefined: the key's own tenant). */
  readonly org: string | undefined;
  readonly env: string | undefined;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly events: Events;
  readonly deliveries: Deliveries;
  readonly crews: Crews;
  readonly agents: Agents;
  readonly runs: Runs;
  readonly callbacks: Callbacks;
  readonly schedules: Schedules;
  readonly webhookTriggers: WebhookTriggers;
  readonly postActions: PostActions;
  readonly bindings: Bindings;
  readonly notifications: Notifications;
  readonly keys: Keys;
  readonly portal: Portal;
  readonly inspector: Inspector;
  readonly stats: Stats;
  readonly settings: SettingsResource;
  readonly orgs: Orgs;
  /** The settings resolved at construction, for withTenant(). */
  private readonly transportOptions: TransportOptions;

  constructor(options: HooklineOptions = {}) {
    const fetchImpl =
      options.fetch ?? (typeof globalThis.fetch === 'function' ? (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init) : undefined);
    if (!fetchImpl) throw new HooklineError('no fetch available in this runtime; pass `fetch` in the options');
    this.baseUrl = (options.baseUrl ?? env('HOOKLINE_URL') ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
    // An empty string names no tenant and, unlike undefined, keeps the environment variable out.
    this.org = (options.org ?? env('HOOKLINE_ORG')) || undefined;
    this.env = (options.env ?? env('HOOKLINE_ENV')) || undefined;
    this.transportOptions = {
      apiKey: options.apiKey ?? env('HOOKLINE_API_KEY'),
      baseUrl: this.baseUrl,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      fetch: fetchImpl,
      userAgent: options.userAgent,
      org: this.org,
      env: this.env,
    };
    const t = new Transport(this.transportOptions);
    this.webhookEndpoints = new WebhookEndpoints(t);
    this.events = new Events(t);
    this.deliveries = new Deliveries(t);
    this.crews = new Crews(t);
    this.agents = new Agents(t);
    this.runs = new Runs(t);
    this.callbacks = new Callbacks(t);
    this.schedules = new Schedules(t);
    this.webhookTriggers = new WebhookTriggers(t);
    this.postActions = new PostActions(t);
    this.bindings = new Bindings(t);
    this.notifications = new Notifications(t);
    this.keys = new Keys(t);
    this.portal = new Portal(t);
    this.inspector = new Inspector(t);
    this.stats = new Stats(t);
    this.settings = new SettingsResource(t);
    this.orgs = new Orgs(t);
  }

  /**
   * A client acting in another tenant, with this one's key, server, fetch, timeouts and retries.
   * It names exactly the tenant given: `withTenant({ env })` sends no org, `withTenant({})` none.
   */
  withTenant(tenant: TenantChoice): Hookline {
    const o = this.transportOptions;
    return new Hookline({
      ...(o.apiKey !== undefined ? { apiKey: o.apiKey } : {}),
      baseUrl: o.baseUrl,
      timeoutMs: o.timeoutMs,
      maxRetries: o.maxRetries,
      retryBaseDelayMs: o.retryBaseDelayMs,
      retryMaxDelayMs: o.retryMaxDelayMs,
      maxRetryAfterMs: o.maxRetryAfterMs,
      fetch: o.fetch,
      ...(o.userAgent !== undefined ? { userAgent: o.userAgent } : {}),
      org: tenant.org ?? '',
      env: tenant.env ?? '',
    });
  }
}

export default Hookline;
