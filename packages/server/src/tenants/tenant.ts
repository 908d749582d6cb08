/**
 * The tenant a request, a resource or a delivery belongs to: an environment of an org
 * (docs/tenants.md). Environment ids are unique in the installation, so `envId` alone
 * identifies the tenant; `orgId` rides along for the envelope and the org's settings.
 */
export interface Tenant {
  readonly orgId: string;
  readonly envId: string;
}

/** What an API key is limited to: nothing (installation key), an org, or one environment of an org. */
export interface KeyScope {
  readonly orgId: string | null;
  readonly envId: string | null;
}

export const INSTALLATION_SCOPE: KeyScope = { orgId: null, envId: null };

/** The tenant a request names, from the `Hookline-Org` and `Hookline-Env` headers; both optional. */
export interface TenantRequest {
  readonly orgId?: string | undefined;
  readonly envId?: string | undefined;
}

/**
 * Whether a key of `scope` reaches `inner`: a tenant it may act in, or a narrower (or the same)
 * scope, such as an environment key's inside its org's.
 */
export const scopeCovers = (scope: KeyScope, inner: Tenant | KeyScope): boolean =>
  (scope.orgId === null || scope.orgId === inner.orgId) && (scope.envId === null || scope.envId === inner.envId);
