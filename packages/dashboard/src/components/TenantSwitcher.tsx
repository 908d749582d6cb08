// Which tenant the dashboard shows. An installation key picks any org's environment here
// (kept in localStorage, sent as Hookline-Org/Hookline-Env); a scoped key sees its tenant's
// name, since its key decides.
import { useEffect, useState } from 'react';
import { api, isAbort, type Env, type Org } from '../api.js';
import { useSignedIn } from '../session.js';
import { chooseTenant, chosenTenant, onTenantListChange, useTenantKey } from '../tenant.js';

interface OrgEnvs {
  org: Org;
  envs: Env[];
}

/** Every org with its environments; the switcher's own calls name no tenant, so a deleted choice cannot lock it out. */
async function loadTenants(signal: AbortSignal): Promise<OrgEnvs[]> {
  const orgs = await api<{ items: Org[] }>('/api/v1/orgs', { signal, noTenant: true });
  return Promise.all(
    orgs.items.map(async (org) => ({
      org,
      envs: (await api<{ items: Env[] }>(`/api/v1/orgs/${encodeURIComponent(org.id)}/envs`, { signal, noTenant: true })).items,
    })),
  );
}

function useTenants(): { tenants: OrgEnvs[] | null; failed: boolean } {
  const [tenants, setTenants] = useState<OrgEnvs[] | null>(null);
  const [failed, setFailed] = useState(false);
  // Orgs and environments change on the Orgs page, which says so.
  const [generation, setGeneration] = useState(0);
  useEffect(() => onTenantListChange(() => setGeneration((g) => g + 1)), []);
  useEffect(() => {
    const ctl = new AbortController();
    loadTenants(ctl.signal).then(
      (t) => {
        setTenants(t);
        setFailed(false);
      },
      (err: unknown) => isAbort(err) || setFailed(true),
    );
    return () => ctl.abort();
  }, [generation]);
  return { tenants, failed };
}

const value = (orgId: string, envId: string) => `${orgId}/${envId}`;

export function TenantSwitcher() {
  const { key } = useSignedIn();
  const installation = key.org_id === null;
  const chosen = useTenantKey();
  const { tenants, failed } = useTenants();

  // A stored choice that no longer exists (deleted elsewhere) goes back to the default tenant.
  useEffect(() => {
    const c = chosenTenant();
    if (!installation || !tenants || !c) return;
    if (!tenants.some((t) => t.org.id === c.orgId && t.envs.some((e) => e.id === c.envId))) chooseTenant(null);
  }, [installation, tenants]);

  if (!installation) {
    const org = tenants?.find((t) => t.org.id === key.org_id);
    const env = org?.envs.find((e) => e.id === key.env_id);
    // While the names load the span stays empty rather than flashing the raw id; if they cannot
    // load, the id is the best name there is.
    const name = org ? (key.env_id === null ? org.org.name : `${org.org.name} / ${env?.name ?? key.env_id}`) : failed ? key.org_id : '';
    return (
      <span className="tenant-name" data-testid="tenant-name" aria-busy={!tenants && !failed} title="This key is limited to this tenant.">
        {name}
      </span>
    );
  }
  if (failed || !tenants) return null;
  const defaultOrg = tenants.find((t) => t.org.default);
  const defaultEnv = defaultOrg?.envs.find((e) => e.default);
  return (
    <label className="tenant-switcher">
      <span className="visually-hidden">Tenant</span>
      <select
        data-testid="tenant-switcher"
        value={chosen}
        onChange={(e) => {
          const [orgId, envId] = e.target.value.split('/');
          chooseTenant(orgId && envId ? { orgId, envId } : null);
        }}
        title="The org and environment every page shows and changes"
      >
        <option value="">{defaultOrg && defaultEnv ? `${defaultOrg.org.name} / ${defaultEnv.name} (default)` : 'Default tenant'}</option>
        {tenants.map((t) => (
          <optgroup key={t.org.id} label={t.org.name}>
            {t.envs.map((e) => (
              <option key={e.id} value={value(t.org.id, e.id)}>
                {t.org.name} / {e.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
