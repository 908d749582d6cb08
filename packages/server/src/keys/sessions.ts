import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/index.js';
import { safeEqual } from '../crypto/index.js';
import type { ApiKeyRecord, Store } from '../store/index.js';
import { type Clock, iso } from '../util/index.js';
import type { ApiKeys } from './index.js';

/** What a dashboard session cookie carries, sealed (AES-256-GCM: tamper-proof and opaque). */
interface SessionClaims {
  /** The API key the session was opened with; checked on every request, so revoking it ends the session. */
  k: string;
  /** Expiry (ms). */
  e: number;
  /** The CSRF token every state-changing request must echo in X-CSRF-Token. */
  c: string;
}

export interface Session {
  key: ApiKeyRecord;
  csrfToken: string;
  expiresAt: number;
}

/**
 * Browser sessions for the dashboard: signing in with an API key yields a sealed cookie, so
 * the key itself never sits in the browser's storage. Stateless: nothing to clean up, and a
 * revoked key ends every session opened with it at once.
 */
export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly keys: ApiKeys,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    readonly ttlMs: number,
  ) {}

  /** A cookie value for a live API key, or undefined for a wrong or revoked one. */
  async open(apiKey: string): Promise<{ token: string; session: Session } | undefined> {
    const key = await this.keys.verify(apiKey);
    if (!key) return undefined;
    const claims: SessionClaims = { k: key.id, e: this.clock.now() + this.ttlMs, c: randomBytes(24).toString('base64url') };
    return { token: this.box.seal(JSON.stringify(claims)), session: { key, csrfToken: claims.c, expiresAt: claims.e } };
  }

  /** The session a cookie value stands for, if it is genuine, unexpired and its key still live. */
  async verify(token: string): Promise<Session | undefined> {
    let claims: SessionClaims;
    try {
      claims = JSON.parse(this.box.open(token)) as SessionClaims;
    } catch {
      return undefined;
    }
    if (typeof claims.e !== 'number' || claims.e <= this.clock.now()) return undefined;
    const key = await this.store.keys.get(claims.k);
    if (!key || key.revoked_at !== null) return undefined;
    return { key, csrfToken: claims.c, expiresAt: claims.e };
  }

  /** Constant-time check of the X-CSRF-Token header against the session's token. */
  csrfOk(session: Session, header: string | undefined): boolean {
    return header !== undefined && safeEqual(header, session.csrfToken);
  }

  view(s: Session) {
    return { key: { id: s.key.id, name: s.key.name, role: s.key.role }, csrf_token: s.csrfToken, expires_at: iso(s.expiresAt) };
  }
}
