import { generateApiKey, hashApiKey, looksLikeApiKey } from '../crypto/index.js';
import type { ApiKeyRecord, KeyWatch, Store } from '../store/index.js';
import { type Clock, systemClock, newId, iso } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { KeyView } from '../wire/index.js';
import { INSTALLATION_SCOPE, type KeyScope, scopeCovers } from '../tenants/index.js';

export type KeyRole = 'admin' | 'read';

export type { KeyView };

/** Live keys remembered at most; past it the cache starts over. */
const MAX_CACHED_KEYS = 10_000;

/** API keys: minted once, shown once, stored as a hash, revocable at once. */
export class ApiKeys {
  private readonly revokedListeners = new Set<(id: string) => void>();
  /** Live keys by hash, used only while `watch` says no other connection changed a key. */
  private readonly cache = new Map<string, ApiKeyRecord>();
  /** Moves whenever the cache is dropped, so a lookup that raced a revocation is not cached. */
  private generation = 0;
  private keyWatch: KeyWatch | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Calls `listener` with a key's id right after this process revokes it, so that connections
   * authenticated once (live-stream sockets) end at once rather than at their next check.
   * Returns the function that removes the listener.
   */
  onRevoked(listener: (id: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  view(r: ApiKeyRecord): KeyView {
    return {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      role: r.role,
      org_id: r.org_id,
      env_id: r.env_id,
      created_at: iso(r.created_at),
      revoked_at: iso(r.revoked_at),
      last_used_at: iso(r.last_used_at),
    };
  }

  /**
   * Mints a key limited to `scope` (an org, one of its environments, or nothing), made by a key
   * of `creator`'s scope: a key can only mint keys inside its own tenant, and a tenant it cannot
   * see answers as missing.
   */
  async create(
    name: string,
    role: KeyRole = 'admin',
    scope: KeyScope = INSTALLATION_SCOPE,
    creator: KeyScope = INSTALLATION_SCOPE,
  ): Promise<KeyView & { key: string }> {
    await this.checkScope(scope, creator);
    const g = generateApiKey();
    const row: ApiKeyRecord = {
      id: newId('key', this.clock),
      name,
      prefix: g.prefix,
      hash: g.hash,
      role,
      org_id: scope.orgId,
      env_id: scope.envId,
      created_at: this.clock.now(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.store.keys.insert(row);
    return { ...this.view(row), key: g.key };
  }

  /** Installs a key the operator chose (HOOKLINE_ADMIN_KEY); a no-op when it is already there. */
  async ensure(key: string, name: string): Promise<void> {
    const hash = hashApiKey(key);
    if (await this.store.keys.findByHash(hash)) return;
    await this.store.keys.insert({
      id: newId('key', this.clock),
      name,
      prefix: key.slice(0, 12),
      hash,
      role: 'admin',
      org_id: null,
      env_id: null,
      created_at: this.clock.now(),
      revoked_at: null,
      last_used_at: null,
    });
  }

  /**
   * Starts caching live keys, kept exact across processes: on SQLite a commit by another
   * connection (the CLI's `keys revoke`) moves the file's data_version, read at every check;
   * on PostgreSQL a revocation returns only once every caching process heard its NOTIFY and
   * dropped its cache. Either drops the whole cache; so do this process's own revocations.
   * Without a watch (or while PostgreSQL's LISTEN is down), every check reads the database.
   */
  async watch(): Promise<void> {
    this.keyWatch ??= await this.store.keys.watch(() => this.forget());
  }

  async unwatch(): Promise<void> {
    const w = this.keyWatch;
    this.keyWatch = undefined;
    this.forget();
    await w?.stop();
  }

  /** The key's row when `key` is a live key, else undefined. Records use at minute granularity. */
  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const hash = hashApiKey(key);
    const cacheable = this.keyWatch?.unchanged() ?? false;
    if (!cacheable) this.forget();
    let row = this.cache.get(hash);
    if (!row) {
      const generation = this.generation;
      row = await this.store.keys.findByHash(hash);
      if (!row || row.revoked_at !== null) return undefined;
      if (cacheable && generation === this.generation) {
        if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
        this.cache.set(hash, row);
      }
    }
    const now = this.clock.now();
    // One write a minute per key (and process) at most: a busy client must not turn every read into a write.
    if (row.last_used_at === null || now - row.last_used_at > 60_000) {
      row.last_used_at = now;
      await this.store.keys.touch(row.id, now);
    }
    return row;
  }

  /** Keys deleted with their tenant: forgotten at once, and their live sockets told, as after `revoke`. */
  deleted(ids: string[]): void {
    if (!ids.length) return;
    this.forget();
    for (const id of ids) for (const listener of this.revokedListeners) listener(id);
  }

  private async checkScope(scope: KeyScope, creator: KeyScope): Promise<void> {
    if (scope.envId !== null && scope.orgId === null) throw new UserError('validation_failed', 'a key limited to an environment needs its org_id too');
    if (!scopeCovers(creator, scope)) throw notFound(scope.envId !== null ? 'environment' : 'org', (scope.envId ?? scope.orgId)!);
    if (scope.orgId !== null && !(await this.store.tenants.getOrg(scope.orgId))) throw notFound('org', scope.orgId);
    if (scope.envId !== null) {
      const env = await this.store.tenants.getEnv(scope.envId);
      if (!env || env.org_id !== scope.orgId) throw notFound('environment', scope.envId);
    }
  }

  private forget(): void {
    this.generation++;
    this.cache.clear();
  }

  /** The keys a key of `scope` may see: those inside its own tenant. */
  async list(scope: KeyScope = INSTALLATION_SCOPE): Promise<KeyView[]> {
    return (await this.store.keys.list()).filter((r) => scopeCovers(scope, scopeOfKey(r))).map((r) => this.view(r));
  }

  async revoke(id: string, scope: KeyScope = INSTALLATION_SCOPE): Promise<void> {
    const row = await this.store.keys.get(id);
    if (!row || !scopeCovers(scope, scopeOfKey(row))) throw notFound('active API key', id);
    if (!(await this.store.keys.revoke(id, this.clock.now()))) throw notFound('active API key', id);
    this.forget(); // at once: this process's own commit does not move the watch
    for (const listener of this.revokedListeners) listener(id);
  }

  count(): Promise<number> {
    return this.store.keys.count();
  }
}
/** The tenant scope a stored key is limited to. */
export const scopeOfKey = (row: Pick<ApiKeyRecord, 'org_id' | 'env_id'>): KeyScope => ({ orgId: row.org_id, envId: row.env_id });

export { type Session, Sessions } from './sessions.js';
export { patternWithin, PORTAL_TOKEN_PREFIX, type PortalSession, type PortalSessionInput, PortalSessions } from './portal-sessions.js';
