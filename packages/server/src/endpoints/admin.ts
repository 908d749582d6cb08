import type { SecretBox, SigningScheme } from '../crypto/index.js';
import { generateWebhookSecret } from '../crypto/index.js';
import { checkDestinationUrl, type SsrfGuard } from '../net/index.js';
import { checkPattern, matchesBuiltin, type Publisher, type SubscriptionWarning, unknownTypeWarnings } from '../events/index.js';
import type { EndpointRecord, Page, Store } from '../store/index.js';
import { type Clock, systemClock, parseDuration, newId, iso } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { EndpointView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';

export interface EndpointInput {
  url: string;
  events: string[];
  description?: string;
  headers?: Record<string, string>;
  timeout_seconds?: number;
  retry_schedule?: (string | number)[] | null;
  signing_scheme?: SigningScheme;
  rate_limit?: number | null;
  enabled?: boolean;
}

export type { EndpointView };

/** An endpoint as saved, with advice about what was accepted anyway; `warnings` is there only when there is some. */
export type SavedEndpoint<T = EndpointView> = T & { warnings?: SubscriptionWarning[] };

/** Published types a "did you mean" may suggest (beyond the built-in ones). */
const SUGGESTION_POOL = 1000;

/** Header names we set ourselves; a custom header must not override them. */
const RESERVED_HEADERS =
  /^(content-type|content-length|host|user-agent|connection|transfer-encoding|webhook-.*|x-hub-signature-256|x-signature|x-agentgateway-.*|x-hookline-.*)$/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface EndpointAdminOptions {
  store: Store;
  box: SecretBox;
  guard: SsrfGuard;
  publisher: Publisher;
  rotationGraceMs: number;
  clock?: Clock;
}

/** Endpoint registration: validation, secrets, rotation, enabling, test events and replay. */
export class EndpointAdmin {
  private readonly clock: Clock;
  constructor(private readonly options: EndpointAdminOptions) {
    this.clock = options.clock ?? systemClock;
  }

  view(row: EndpointRecord): EndpointView {
    const headers = row.headers_enc ? (JSON.parse(this.options.box.open(row.headers_enc)) as Record<string, string>) : {};
    const now = this.clock.now();
    return {
      id: row.id,
      url: row.url,
      description: row.description,
      events: row.events,
      // Custom headers often carry credentials: names only, values hidden.
      headers: Object.fromEntries(Object.keys(headers).map((k) => [k, '********'])),
      timeout_seconds: row.timeout_ms / 1000,
      retry_schedule: row.retry_schedule ? row.retry_schedule.map((ms) => ms / 1000) : null,
      signing_scheme: row.signing_scheme,
      rate_limit: row.rate_limit,
      enabled: row.enabled,
      disabled_reason: row.disabled_reason,
      disabled_at: iso(row.disabled_at),
      consecutive_failures: row.consecutive_failures,
      secret_rotation_ends_at: row.prev_secret_expires_at && row.prev_secret_expires_at > now ? iso(row.prev_secret_expires_at) : null,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    };
  }

  private checkUrl(raw: string): string {
    return checkDestinationUrl(raw, {
      field: 'url',
      example: 'https://example.com/webhooks',
      credentialsHint: 'put them in `headers` (stored encrypted) instead',
      guard: this.options.guard,
    }).toString();
  }

  private checkEvents(events: string[]): string[] {
    for (const p of events) {
      const bad = checkPattern(p);
      if (bad) throw new UserError('invalid_event_type', bad);
    }
    return [...new Set(events)];
  }

  /** Warnings for subscriptions to types that are neither built in nor ever published in the tenant (kept: they may be published later). */
  private async eventTypeWarnings(tenant: Tenant, events: string[]): Promise<SubscriptionWarning[]> {
    const custom = events.filter((p) => !matchesBuiltin(p));
    if (!custom.length) return [];
    const records = this.options.store.eventTypes;
    const published = await records.matching(tenant.envId, custom);
    if (custom.every((p) => published.has(p))) return [];
    return unknownTypeWarnings(events, published, await records.list(tenant.envId, SUGGESTION_POOL));
  }

  private checkHeaders(h: Record<string, string>): Record<string, string> {
    for (const [name, value] of Object.entries(h)) {
      if (!HEADER_NAME.test(name)) throw new UserError('invalid_header', `header name "${name}" is not a valid HTTP header name`);
      if (RESERVED_HEADERS.test(name)) throw new UserError('invalid_header', `header "${name}" is set by Hookline and cannot be overridden`);
      if (/[\r\n\0]/.test(value)) throw new UserError('invalid_header', `header "${name}" has a line break or NUL in its value`);
    }
    return h;
  }

  private checkSchedule(s: (string | number)[] | null | undefined): number[] | null {
    if (!s) return null;
    const ms = s.map((d) => parseDuration(d));
    ms.forEach((v, i) => {
      if (v === null || v < 1000 || v > 7 * 86_400_000) {
        throw new UserError(
          'invalid_retry_schedule',
          `retry_schedule[${i}] = ${JSON.stringify(s[i])} is not a delay between 1s and 7d; use seconds (30) or a duration ("30s", "2m", "1h")`,
        );
      }
    });
    return ms as number[];
  }

  async create(tenant: Tenant, input: EndpointInput): Promise<SavedEndpoint<EndpointView & { secret: string }>> {
    const now = this.clock.now();
    const secret = generateWebhookSecret();
    const events = this.checkEvents(input.events);
    const warnings = await this.eventTypeWarnings(tenant, input.events);
    const row: EndpointRecord = {
      id: newId('ep', this.clock),
      env_id: tenant.envId,
      url: this.checkUrl(input.url),
      description: input.description ?? '',
      events,
      headers_enc: input.headers && Object.keys(input.headers).length ? this.options.box.seal(JSON.stringify(this.checkHeaders(input.headers))) : null,
      timeout_ms: (input.timeout_seconds ?? 30) * 1000,
      retry_schedule: this.checkSchedule(input.retry_schedule),
      signing_scheme: input.signing_scheme ?? 'standard',
      rate_limit: input.rate_limit ?? null,
      enabled: input.enabled !== false,
      disabled_reason: input.enabled === false ? 'disabled by the API' : null,
      disabled_at: input.enabled === false ? now : null,
      consecutive_failures: 0,
      secret_enc: this.options.box.seal(secret),
      prev_secret_enc: null,
      prev_secret_expires_at: null,
      created_at: now,
      updated_at: now,
    };
    await this.options.store.endpoints.insert(row, events);
    return { ...this.view(row), secret, ...(warnings.length ? { warnings } : {}) };
  }

  async get(tenant: Tenant, id: string): Promise<EndpointRecord> {
    const row = await this.options.store.endpoints.get(tenant.envId, id);
    if (!row) throw notFound('endpoint', id);
    return row;
  }

  async list(tenant: Tenant, page: Page): Promise<{ items: EndpointView[]; total: number }> {
    const { rows, total } = await this.options.store.endpoints.list(tenant.envId, page);
    return { items: rows.map((r) => this.view(r)), total };
  }

  async update(tenant: Tenant, id: string, input: Partial<EndpointInput>): Promise<SavedEndpoint> {
    const now = this.clock.now();
    const patch: Partial<EndpointRecord> = { updated_at: now };
    if (input.url !== undefined) patch.url = this.checkUrl(input.url);
    if (input.description !== undefined) patch.description = input.description;
    const events = input.events ? this.checkEvents(input.events) : undefined;
    if (events) patch.events = events;
    if (input.headers !== undefined)
      patch.headers_enc = Object.keys(input.headers).length ? this.options.box.seal(JSON.stringify(this.checkHeaders(input.headers))) : null;
    if (input.timeout_seconds !== undefined) patch.timeout_ms = input.timeout_seconds * 1000;
    if (input.retry_schedule !== undefined) patch.retry_schedule = this.checkSchedule(input.retry_schedule);
    if (input.signing_scheme !== undefined) patch.signing_scheme = input.signing_scheme;
    if (input.rate_limit !== undefined) patch.rate_limit = input.rate_limit;
    if (input.enabled === true) Object.assign(patch, { enabled: true, disabled_reason: null, disabled_at: null, consecutive_failures: 0 });
    if (input.enabled === false) Object.assign(patch, { enabled: false, disabled_reason: 'disabled by the API', disabled_at: now });
    const row = await this.options.store.endpoints.update(tenant.envId, id, patch, events);
    if (!row) throw notFound('endpoint', id);
    const warnings = input.events ? await this.eventTypeWarnings(tenant, input.events) : [];
    return { ...this.view(row), ...(warnings.length ? { warnings } : {}) };
  }

  /** Re-enables; what happened while it was off stays undelivered (docs/endpoints-and-signing.md). */
  enable(tenant: Tenant, id: string): Promise<EndpointView> {
    return this.update(tenant, id, { enabled: true });
  }

  async remove(tenant: Tenant, id: string): Promise<void> {
    if (!(await this.options.store.endpoints.delete(tenant.envId, id, this.clock.now()))) throw notFound('endpoint', id);
  }

  /** New secret now; the old one keeps signing beside it for `graceSeconds`. */
  async rotateSecret(tenant: Tenant, id: string, graceSeconds?: number): Promise<EndpointView & { secret: string }> {
    const row = await this.get(tenant, id);
    const now = this.clock.now();
    const graceMs = graceSeconds === undefined ? this.options.rotationGraceMs : graceSeconds * 1000;
    const secret = generateWebhookSecret();
    const updated = await this.options.store.endpoints.update(tenant.envId, id, {
      secret_enc: this.options.box.seal(secret),
      prev_secret_enc: graceMs > 0 ? row.secret_enc : null,
      prev_secret_expires_at: graceMs > 0 ? now + graceMs : null,
      updated_at: now,
    });
    if (!updated) throw notFound('endpoint', id);
    return { ...this.view(updated), secret };
  }

  async sendTest(tenant: Tenant, id: string): Promise<{ event_id: string }> {
    const row = await this.get(tenant, id);
    if (!row.enabled)
      throw new UserError(
        'endpoint_disabled',
        `endpoint ${id} is disabled (${row.disabled_reason}); enable it first with POST /api/v1/webhooks/endpoints/${id}/enable`,
      );
    const published = await this.options.publisher.publish(
      { tenant, type: 'webhook.test', data: { endpoint_id: id, message: 'This is a test event from Hookline.' } },
      id,
    );
    return { event_id: published.event.id };
  }

  async replay(tenant: Tenant, id: string, since: number, until: number): Promise<{ enqueued: number }> {
    const row = await this.get(tenant, id);
    if (!row.enabled) throw new UserError('endpoint_disabled', `endpoint ${id} is disabled; enable it before replaying`);
    if (!(since < until)) throw new UserError('invalid_window', '`since` must be earlier than `until`');
    const enqueued = await this.options.publisher.replay(row, row.events, since, until);
    return { enqueued };
  }
}
