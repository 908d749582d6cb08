import { UserError } from '../errors/index.js';
import type { OrgSettings, Store } from '../store/index.js';
import { type Clock, RateLimiter } from '../util/index.js';
import type { Tenant } from './tenant.js';

/** How long an org's settings and an environment's stored bytes are trusted before being read again. */
const REFRESH_MS = 5_000;

type Quotas = NonNullable<OrgSettings['quotas']>;

/**
 * Per-tenant quotas (docs/tenants.md#quotas): the org's `settings.quotas`, applied to each of
 * its environments. A tenant over one is refused with 429, `Retry-After` and a code naming the
 * quota. The rate is per process, like an endpoint's `rate_limit`; counts are read from the
 * store when checked; stored bytes are read at most every few seconds and grown by what this
 * process accepts in between, so a publish costs no query.
 */
export class TenantQuotas {
  private readonly limiter = new RateLimiter();
  private readonly settings = new Map<string, { quotas: Quotas; at: number }>();
  private readonly stored = new Map<string, { bytes: number; at: number }>();

  constructor(private readonly options: { store: Store; clock: Clock }) {}

  /** Refuses an event the tenant may not publish now (rate, stored bytes); else counts its bytes. */
  async admitEvent(tenant: Tenant, payloadBytes: number): Promise<void> {
    const quotas = await this.quotasOf(tenant.orgId);
    const now = this.options.clock.now();
    if (quotas.events_per_second !== undefined) {
      // Keyed by the rate too: a changed quota starts a full bucket rather than inheriting an empty one.
      const waitMs = this.limiter.take(`${tenant.envId}:${quotas.events_per_second}`, quotas.events_per_second, now);
      if (waitMs > 0)
        throw refusal(
          'quota_events_per_second',
          `environment ${tenant.envId} may publish ${quotas.events_per_second} events a second (its org's quotas.events_per_second)`,
          waitMs,
        );
    }
    if (quotas.stored_bytes !== undefined) {
      let stored = this.stored.get(tenant.envId);
      if (!stored || now - stored.at > REFRESH_MS) {
        stored = { bytes: await this.options.store.tenants.storedBytes(tenant.envId), at: now };
        this.stored.set(tenant.envId, stored);
      }
      if (stored.bytes + payloadBytes > quotas.stored_bytes)
        throw refusal(
          'quota_stored_bytes',
          `environment ${tenant.envId} holds ${stored.bytes} bytes of events, its org's quotas.stored_bytes is ${quotas.stored_bytes}; retention frees room`,
          60_000,
        );
      stored.bytes += payloadBytes;
    }
  }

  /** Refuses one more endpoint or agent past the org's quota. */
  async admitNew(tenant: Tenant, what: 'endpoints' | 'agents'): Promise<void> {
    const limit = (await this.quotasOf(tenant.orgId))[what];
    if (limit === undefined) return;
    const count = await this.options.store.tenants.countIn(what, tenant.envId);
    if (count >= limit)
      throw refusal(
        what === 'endpoints' ? 'quota_endpoints' : 'quota_agents',
        `environment ${tenant.envId} has ${count} ${what}, its org's quotas.${what} is ${limit}; delete one or raise the quota`,
        60_000,
      );
  }

  /** Forgets an org's cached settings (after PATCH /api/v1/orgs/{id}), so a new quota applies at once in this process. */
  forget(orgId: string): void {
    this.settings.delete(orgId);
  }

  private async quotasOf(orgId: string): Promise<Quotas> {
    const now = this.options.clock.now();
    const cached = this.settings.get(orgId);
    if (cached && now - cached.at <= REFRESH_MS) return cached.quotas;
    const org = await this.options.store.tenants.getOrg(orgId);
    const quotas = org?.settings.quotas ?? {};
    if (this.settings.size >= 10_000) this.settings.clear();
    this.settings.set(orgId, { quotas, at: now });
    return quotas;
  }
}

function refusal(name: 'quota_events_per_second' | 'quota_endpoints' | 'quota_agents' | 'quota_stored_bytes', message: string, waitMs: number): UserError {
  const error = new UserError(name, `${message}; retry after ${Math.ceil(waitMs / 1000)} s`);
  error.retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return error;
}
