import type { SecretBox } from '../crypto/index.js';
import type { Store } from '../store/index.js';
import type { Tenant } from '../tenants/index.js';
import { type Clock, newId } from '../util/index.js';

/** What marks a portal token, so auth can tell it from an API key at a glance. */
export const PORTAL_TOKEN_PREFIX = 'hl_ps_';

/** What a portal token carries, sealed (AES-256-GCM: tamper-proof and opaque). */
interface PortalClaims {
  /** Tells these claims from a dashboard session's, sealed by the same box. */
  t: 'portal';
  /** Session id: what a logout records. */
  s: string;
  o: string;
  v: string;
  /** The event-type patterns the customer may subscribe to; null: any. */
  x: string[] | null;
  r: boolean;
  /** Expiry (ms). */
  e: number;
}

/** A live portal session: the tenant it shows and what it may do there. */
export interface PortalSession {
  id: string;
  tenant: Tenant;
  eventTypes: string[] | null;
  readOnly: boolean;
  expiresAt: number;
}

export interface PortalSessionInput {
  tenant: Tenant;
  eventTypes: string[] | null;
  readOnly: boolean;
  ttlMs: number;
}

/**
 * Short-lived links to a tenant's customer portal (docs/portal.md). Stateless like dashboard
 * sessions, except that a logout is remembered until the token would have expired anyway.
 */
export class PortalSessions {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  open(input: PortalSessionInput): { token: string; session: PortalSession } {
    const session: PortalSession = {
      id: newId('ps', this.clock),
      tenant: input.tenant,
      eventTypes: input.eventTypes,
      readOnly: input.readOnly,
      expiresAt: this.clock.now() + input.ttlMs,
    };
    const claims: PortalClaims = {
      t: 'portal',
      s: session.id,
      o: session.tenant.orgId,
      v: session.tenant.envId,
      x: session.eventTypes,
      r: session.readOnly,
      e: session.expiresAt,
    };
    return { token: PORTAL_TOKEN_PREFIX + this.box.seal(JSON.stringify(claims)), session };
  }

  /** The session a token stands for, if it is genuine, unexpired and not logged out. */
  async verify(token: string): Promise<PortalSession | undefined> {
    if (!token.startsWith(PORTAL_TOKEN_PREFIX)) return undefined;
    let claims: PortalClaims;
    try {
      claims = JSON.parse(this.box.open(token.slice(PORTAL_TOKEN_PREFIX.length))) as PortalClaims;
    } catch {
      return undefined;
    }
    if (claims.t !== 'portal' || typeof claims.e !== 'number' || claims.e <= this.clock.now()) return undefined;
    if (await this.store.portalSessions.isEnded(claims.s)) return undefined;
    // An erased environment ends its portal sessions with it.
    const env = await this.store.tenants.getEnv(claims.v);
    if (!env || env.org_id !== claims.o) return undefined;
    return { id: claims.s, tenant: { orgId: claims.o, envId: claims.v }, eventTypes: claims.x, readOnly: claims.r, expiresAt: claims.e };
  }

  /** Logs a session out: its token is refused from now on. */
  async end(session: PortalSession): Promise<void> {
    await this.store.portalSessions.end(session.id, session.expiresAt, this.clock.now());
  }
}

/** Whether subscription `pattern` selects only types that `limit` (a portal session's patterns) allows. */
export function patternWithin(pattern: string, limit: readonly string[]): boolean {
  return limit.some(
    (allowed) => allowed === '*' || allowed === pattern || (allowed.endsWith('.*') && pattern !== '*' && pattern.startsWith(allowed.slice(0, -1))),
  );
}
