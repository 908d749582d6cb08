// The surface of tenants/: orgs, environments and the tenant a request acts in (docs/tenants.md).
export { TenantAdmin, type TenantAdminOptions } from './admin.js';
export { INSTALLATION_SCOPE, type KeyScope, scopeCovers, type Tenant, type TenantRequest } from './tenant.js';
export { TenantQuotas } from './quotas.js';
