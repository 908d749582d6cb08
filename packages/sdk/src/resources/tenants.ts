import { type RequestOptions, type Transport, seg } from '../http.js';
import { type Page, wholeList } from '../pagination.js';
import type { Environment, EnvironmentCreate, Org, OrgCreate, OrgUpdate, OrgWithEnvironments, TenantDeleteParams } from '../types.js';
import { Resource } from './base.js';

const ORGS = '/api/v1/orgs';

/** An org's environments: `client.orgs.envs`. */
class Environments extends Resource {
  /** The server answers the whole list at once. */
  async list(orgId: string, options?: RequestOptions): Promise<Page<Environment>> {
    return wholeList(await this.call<{ items: Environment[] }>({ method: 'GET', path: `${ORGS}/${seg(orgId)}/envs`, options }));
  }

  get(orgId: string, envId: string, options?: RequestOptions): Promise<Environment> {
    return this.call({ method: 'GET', path: `${ORGS}/${seg(orgId)}/envs/${seg(envId)}`, options });
  }

  create(orgId: string, body: EnvironmentCreate, options?: RequestOptions): Promise<Environment> {
    return this.call({ method: 'POST', path: `${ORGS}/${seg(orgId)}/envs`, body, options });
  }

  /** Erases everything in it; one that holds data needs `{ confirm: envId }` (else 409 `confirmation_required`). */
  delete(orgId: string, envId: string, params: TenantDeleteParams = {}, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `${ORGS}/${seg(orgId)}/envs/${seg(envId)}`, query: { ...params }, options });
  }
}

/** Orgs (tenants) and their environments: `client.orgs`. A key limited to an org sees only its own. */
export class Orgs extends Resource {
  readonly envs: Environments;
  constructor(t: Transport) {
    super(t);
    this.envs = new Environments(t);
  }

  /** The orgs this key can see. The server answers the whole list at once. */
  async list(options?: RequestOptions): Promise<Page<Org>> {
    return wholeList(await this.call<{ items: Org[] }>({ method: 'GET', path: ORGS, options }));
  }

  get(orgId: string, options?: RequestOptions): Promise<Org> {
    return this.call({ method: 'GET', path: `${ORGS}/${seg(orgId)}`, options });
  }

  /** Installation keys only. The answer's `envs` holds its first environment (`env_name`, default `production`). */
  create(body: OrgCreate, options?: RequestOptions): Promise<OrgWithEnvironments> {
    return this.call({ method: 'POST', path: ORGS, body, options });
  }

  /** Renames it or replaces its settings (retention, quotas, portal origins, brand). */
  update(orgId: string, body: OrgUpdate, options?: RequestOptions): Promise<Org> {
    return this.call({ method: 'PATCH', path: `${ORGS}/${seg(orgId)}`, body, options });
  }

  /** Installation keys only. Erases everything in it; one that holds data needs `{ confirm: orgId }`. */
  delete(orgId: string, params: TenantDeleteParams = {}, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `${ORGS}/${seg(orgId)}`, query: { ...params }, options });
  }
}
