import { notFound, UserError } from '../errors/index.js';
import type { EnvRecord, OrgRecord, OrgSettings, Store } from '../store/index.js';
import { type Clock, iso, newId, parseDuration } from '../util/index.js';
import type { EnvView, OrgView } from '../wire/index.js';
import { type KeyScope, scopeCovers, type Tenant, type TenantRequest } from './tenant.js';

/** How old the count of environments may get before singleEnvironment() counts again (other processes create them too). */
const ENV_RECOUNT_MS = 30_000;
/** Rows deleted per statement when a tenant is erased: short statements, so other tenants' writes never wait long. */
const ERASE_BATCH = 500;

export interface TenantAdminOptions {
  store: Store;
  clock: Clock;
  /** Called with the ids of keys deleted with their tenant, so this process forgets them and closes their sockets at once. */
  onKeysDeleted?: (ids: string[]) => void;
}

/**
 * Orgs and their environments (docs/tenants.md): the installation's default tenant, the
 * tenant a request addresses, and creating, changing and erasing tenants.
 */
export class TenantAdmin {
  private defaultTenant: Tenant | undefined;
  /** An environment's org never changes, so what was looked up once is kept (bounded: starts over past 10,000). */
  private readonly orgOfEnv = new Map<string, string>();
  private envCount = { n: 1, at: -Infinity, counting: false };

  constructor(private readonly options: TenantAdminOptions) {}

  /**
   * Writes the installation's default org and environment on first start, with the ids of
   * `org_id` and `env_id`, and gives them every row stored before tenants existed. Later starts
   * read them back: the stored default wins over a changed configuration (returned so the
   * caller can say so).
   */
  async ensureDefault(orgId: string, envId: string): Promise<Tenant> {
    const { store, clock } = this.options;
    const tenant = await store.transaction(async (tx) => {
      const found = await tx.tenants.defaultTenant();
      if (found) return { orgId: found.org.id, envId: found.env.id };
      const now = clock.now();
      await tx.tenants.insertOrg({ id: orgId, name: orgId, is_default: true, settings: {}, created_at: now, updated_at: now });
      await tx.tenants.insertEnv({ id: envId, org_id: orgId, name: envId.replace(/^env_/, ''), is_default: true, created_at: now });
      await tx.tenants.adoptUntenanted(envId);
      return { orgId, envId };
    });
    this.defaultTenant = tenant;
    await this.recountEnvs();
    return tenant;
  }

  /** The tenant of requests that name none; ensureDefault must have run. */
  get fallback(): Tenant {
    if (!this.defaultTenant) throw new Error('TenantAdmin.ensureDefault was not called');
    return this.defaultTenant;
  }

  /**
   * Whether the installation has one environment only (a single team): the delivery engine then
   * keeps no slots back for other tenants. Answered from memory; re-counted in the background at
   * most every 30 s, and at once after this process creates or deletes one.
   */
  singleEnvironment(): boolean {
    const now = this.options.clock.now();
    if (now - this.envCount.at > ENV_RECOUNT_MS && !this.envCount.counting) void this.recountEnvs();
    return this.envCount.n <= 1;
  }

  private async recountEnvs(): Promise<void> {
    this.envCount.counting = true;
    try {
      this.envCount = { n: await this.options.store.tenants.countEnvs(), at: this.options.clock.now(), counting: false };
    } catch {
      this.envCount.counting = false; // the store is down: keep the last count, try again later
    }
  }

  /** The tenant of a stored row's `env_id` (its org looked up once; in `within`, a caller's transaction, when given). */
  async tenantOf(envId: string, within?: Store): Promise<Tenant> {
    let orgId = this.orgOfEnv.get(envId);
    if (orgId === undefined) {
      const env = await (within ?? this.options.store).tenants.getEnv(envId);
      if (!env) throw notFound('environment', envId);
      orgId = env.org_id;
      if (this.orgOfEnv.size >= 10_000) this.orgOfEnv.clear();
      this.orgOfEnv.set(envId, orgId);
    }
    return { orgId, envId };
  }

  /**
   * The tenant a request acts in: the one its headers name, else the key's own, else (for an
   * installation key) the default. A tenant outside the key's scope is answered as missing,
   * never as forbidden, so a key cannot learn which ids exist elsewhere.
   */
  async resolve(scope: KeyScope, named: TenantRequest): Promise<Tenant> {
    const { store } = this.options;
    if (named.envId !== undefined) {
      const env = await store.tenants.getEnv(named.envId);
      const tenant = env && { orgId: env.org_id, envId: env.id };
      if (!tenant || (named.orgId !== undefined && named.orgId !== tenant.orgId) || !scopeCovers(scope, tenant)) throw notFound('environment', named.envId);
      return tenant;
    }
    const orgId = named.orgId ?? scope.orgId;
    if (orgId === null || orgId === undefined) return this.fallback;
    if (scope.orgId !== null && scope.orgId !== orgId) throw notFound('org', orgId);
    if (scope.envId !== null) return { orgId, envId: scope.envId };
    const env = await store.tenants.defaultEnv(orgId);
    if (!env) throw notFound('org', orgId);
    return { orgId, envId: env.id };
  }

  /** Creating or deleting orgs is the installation's: a scoped key is told so (it knows its own scope, so nothing leaks). */
  installationOnly(): UserError {
    return new UserError('forbidden', 'only an installation key (one with no org_id) can create or delete orgs');
  }

  /** Changing an org or its environments takes an org or installation key. */
  orgKeyNeeded(orgId: string): UserError {
    return new UserError('forbidden', `an environment key cannot change org ${orgId}; use an org or installation key`);
  }

  orgView(org: OrgRecord): OrgView {
    return { id: org.id, name: org.name, default: org.is_default, settings: org.settings, created_at: iso(org.created_at)!, updated_at: iso(org.updated_at)! };
  }

  envView(env: EnvRecord): EnvView {
    return { id: env.id, org_id: env.org_id, name: env.name, default: env.is_default, created_at: iso(env.created_at)! };
  }

  /** A new org with its first environment (`env_name`, default `production`). */
  async createOrg(input: { name: string; settings?: OrgSettings; env_name?: string }): Promise<OrgView & { envs: EnvView[] }> {
    const { store, clock } = this.options;
    const now = clock.now();
    const org: OrgRecord = { id: newId('org', clock), name: input.name, is_default: false, settings: input.settings ?? {}, created_at: now, updated_at: now };
    const env: EnvRecord = { id: newId('env', clock), org_id: org.id, name: input.env_name ?? 'production', is_default: true, created_at: now };
    await store.transaction(async (tx) => {
      await tx.tenants.insertOrg(org);
      await tx.tenants.insertEnv(env);
    });
    await this.recountEnvs();
    return { ...this.orgView(org), envs: [this.envView(env)] };
  }

  async listOrgs(scope: KeyScope): Promise<OrgView[]> {
    const orgs = await this.options.store.tenants.listOrgs();
    return orgs.filter((org) => scope.orgId === null || org.id === scope.orgId).map((org) => this.orgView(org));
  }

  async getOrg(scope: KeyScope, id: string): Promise<OrgRecord> {
    const org = await this.options.store.tenants.getOrg(id);
    if (!org || (scope.orgId !== null && scope.orgId !== id)) throw notFound('org', id);
    return org;
  }

  /** Renames an org or replaces its settings (the whole object: an absent field returns to the installation's value). */
  async updateOrg(scope: KeyScope, id: string, patch: { name?: string; settings?: OrgSettings }): Promise<OrgView> {
    await this.getOrg(scope, id);
    if (scope.envId !== null) throw this.orgKeyNeeded(id);
    const updated = await this.options.store.tenants.updateOrg(id, { ...patch, updated_at: this.options.clock.now() });
    return this.orgView(updated!);
  }

  /** Erases an org: every environment's data in short batches, then its keys, environments and the org. */
  async deleteOrg(scope: KeyScope, id: string, confirm: string | undefined): Promise<void> {
    const org = await this.getOrg(scope, id);
    if (org.is_default) throw new UserError('default_tenant', `org ${id} is the installation's default org and cannot be deleted`);
    const envs = await this.options.store.tenants.listEnvs(id);
    await this.requireConfirmation('org', id, envs, confirm);
    for (const env of envs) await this.erase(env.id);
    const { store } = this.options;
    this.options.onKeysDeleted?.(await store.keys.deleteScope(id, null));
    await store.transaction(async (tx) => {
      for (const env of envs) await tx.tenants.deleteEnv(env.id);
      await tx.tenants.deleteOrg(id);
    });
    await this.recountEnvs();
    await store.tenants.settleErasure();
  }

  async createEnv(scope: KeyScope, orgId: string, name: string): Promise<EnvView> {
    await this.getOrg(scope, orgId);
    if (scope.envId !== null) throw this.orgKeyNeeded(orgId);
    if ((await this.options.store.tenants.listEnvs(orgId)).some((env) => env.name === name))
      throw new UserError('conflict', `org ${orgId} already has an environment named ${name}`);
    const env: EnvRecord = { id: newId('env', this.options.clock), org_id: orgId, name, is_default: false, created_at: this.options.clock.now() };
    await this.options.store.tenants.insertEnv(env);
    await this.recountEnvs();
    return this.envView(env);
  }

  async listEnvs(scope: KeyScope, orgId: string): Promise<EnvView[]> {
    await this.getOrg(scope, orgId);
    const envs = await this.options.store.tenants.listEnvs(orgId);
    return envs.filter((env) => scope.envId === null || env.id === scope.envId).map((env) => this.envView(env));
  }

  async getEnv(scope: KeyScope, orgId: string, envId: string): Promise<EnvRecord> {
    await this.getOrg(scope, orgId);
    const env = await this.options.store.tenants.getEnv(envId);
    if (!env || env.org_id !== orgId || (scope.envId !== null && scope.envId !== envId)) throw notFound('environment', envId);
    return env;
  }

  async deleteEnv(scope: KeyScope, orgId: string, envId: string, confirm: string | undefined): Promise<void> {
    const env = await this.getEnv(scope, orgId, envId);
    if (scope.envId !== null) throw this.orgKeyNeeded(orgId);
    if (env.is_default) throw new UserError('default_tenant', `environment ${envId} is its org's default environment; delete the org instead`);
    await this.requireConfirmation('environment', envId, [env], confirm);
    await this.erase(envId);
    const { store } = this.options;
    this.options.onKeysDeleted?.(await store.keys.deleteScope(orgId, envId));
    await store.tenants.deleteEnv(envId);
    await this.recountEnvs();
    await store.tenants.settleErasure();
  }

  /** The orgs that set their own retention windows, with their environments (read by each retention pass). */
  async retentionOverrides(): Promise<{ envIds: string[]; attemptsMs?: number; eventsMs?: number }[]> {
    const { store } = this.options;
    const overrides = [];
    for (const org of await store.tenants.listOrgs()) {
      const retention = org.settings.retention;
      if (!retention?.events && !retention?.attempts) continue;
      const envIds = (await store.tenants.listEnvs(org.id)).map((env) => env.id);
      // The settings schema admits only durations, so these parse.
      const attemptsMs = retention.attempts ? parseDuration(retention.attempts) : null;
      const eventsMs = retention.events ? parseDuration(retention.events) : null;
      overrides.push({ envIds, ...(attemptsMs !== null ? { attemptsMs } : {}), ...(eventsMs !== null ? { eventsMs } : {}) });
    }
    return overrides;
  }

  /** Deletes everything an environment holds, a batch per statement. */
  async erase(envId: string): Promise<void> {
    while ((await this.options.store.tenants.eraseBatch(envId, ERASE_BATCH)) > 0) {
      // each batch commits on its own
    }
  }

  private async requireConfirmation(what: string, id: string, envs: EnvRecord[], confirm: string | undefined): Promise<void> {
    if (confirm === id) return;
    for (const env of envs) {
      if (await this.options.store.tenants.holdsData(env.id))
        throw new UserError('confirmation_required', `${what} ${id} holds data; deleting it erases all of it. Repeat the request with ?confirm=${id}`);
    }
  }
}
