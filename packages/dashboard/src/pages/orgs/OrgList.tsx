// Orgs: the tenants of this installation (docs/tenants.md). An installation admin sees and
// creates them all; an org admin sees its own. Each org opens to its environments, keys and settings.
import { useState, type FormEvent } from 'react';
import { api, type Env, type Org } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { Time } from '../../components/Time.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate } from '../../router.js';
import { useSignedIn } from '../../session.js';
import { tenantListChanged } from '../../tenant.js';

export function OrgList() {
  const { key } = useSignedIn();
  const canCreate = useCanWrite() && key.org_id === null;
  const orgs = useResource<{ items: Org[] }>('/api/v1/orgs');
  const action = useAction();
  const [name, setName] = useState('');
  const [envName, setEnvName] = useState('production');

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const org = await action.run('create', () =>
      api<Org & { envs: Env[] }>('/api/v1/orgs', { method: 'POST', body: { name: name.trim(), env_name: envName.trim() || 'production' } }),
    );
    if (!org) return;
    tenantListChanged();
    navigate(href('/orgs', org.id));
  };

  return (
    <section className="area-orgs" aria-labelledby="orgs-title">
      <PageHead
        id="orgs-title"
        title="Orgs"
        description="Tenants of this installation: each org has environments, and each environment its own endpoints, agents, runs and keys."
      />
      <ReadOnlyNote what="create or change orgs" />
      <ErrorBanner message={action.error ?? orgs.error} onDismiss={() => action.setError(null)} />
      {orgs.data === null ? (
        orgs.loading && (
          <p className="muted" role="status">
            Loading orgs…
          </p>
        )
      ) : (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="org-table">
            <caption className="visually-hidden">Orgs</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {orgs.data.items.map((o) => (
                <tr key={o.id} data-testid="org-row" data-id={o.id} data-name={o.name}>
                  <td data-label="Name" className="wrap">
                    <Link href={href('/orgs', o.id)}>{o.name}</Link>
                    {o.default && <span className="sub">default org</span>}
                  </td>
                  <td data-label="Id" className="mono wrap-any">
                    {o.id}
                  </td>
                  <td data-label="Created">
                    <Time iso={o.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canCreate && (
        <form className="form form-spaced" onSubmit={(e) => void create(e)} aria-label="New org" data-testid="org-form">
          <h2 className="field-wide">New org</h2>
          <div className="field">
            <label htmlFor="org-name">Name</label>
            <input id="org-name" data-testid="org-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
            <p className="field-hint">The customer or team it holds, e.g. "Acme".</p>
          </div>
          <div className="field">
            <label htmlFor="org-env-name">First environment</label>
            <input id="org-env-name" data-testid="org-env-name" required maxLength={100} value={envName} onChange={(e) => setEnvName(e.target.value)} />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" data-testid="org-create" disabled={action.busy === 'create'}>
              {action.busy === 'create' ? 'Creating…' : 'Create org'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
