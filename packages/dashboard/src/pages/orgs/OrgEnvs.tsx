// An org's environments: create one, delete one (typed confirmation when it holds data), and
// open the customer portal as that tenant in a new tab.
import { useState, type FormEvent } from 'react';
import { api, type Env, type Org } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useCanWrite } from '../../components/ReadOnlyNote.js';
import { Time } from '../../components/Time.js';
import { TypedDelete } from '../../components/TypedDelete.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { useSignedIn } from '../../session.js';
import { chooseTenant, chosenTenant, tenantListChanged } from '../../tenant.js';

const ENV_KEY_HINT = 'An environment key cannot change its org; use an org or installation admin key.';

export function OrgEnvs({ org }: { org: Org }) {
  const base = `/api/v1/orgs/${encodeURIComponent(org.id)}/envs`;
  const envs = useResource<{ items: Env[] }>(base);
  const { key } = useSignedIn();
  const canWrite = useCanWrite() && key.env_id === null;
  const action = useAction();
  const [name, setName] = useState('');

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const env = await action.run('create-env', () => api<Env>(base, { method: 'POST', body: { name: name.trim() } }));
    if (!env) return;
    setName('');
    tenantListChanged();
    await envs.reload();
  };

  const removeEnv = (env: Env) => (confirm: string | undefined) =>
    api<void>(`${base}/${encodeURIComponent(env.id)}${confirm ? `?confirm=${encodeURIComponent(confirm)}` : ''}`, { method: 'DELETE' });
  const removed = (env: Env) => () => {
    if (chosenTenant()?.envId === env.id) chooseTenant(null);
    tenantListChanged();
    void envs.reload();
  };

  // The tab opens at the click (a tab opened after an await is taken for a pop-up and blocked),
  // then goes to the portal's URL, or closes when the server refused.
  const openPortal = (env: Env) =>
    action.run(`portal:${env.id}`, async () => {
      const tab = window.open('', '_blank');
      if (tab) tab.opener = null;
      try {
        const session = await api<{ url: string }>('/api/v1/portal/sessions', { method: 'POST', body: { org_id: org.id, env_id: env.id } });
        if (tab) tab.location.href = session.url;
        else window.open(session.url, '_blank', 'noopener');
        return true;
      } catch (err) {
        tab?.close();
        throw err;
      }
    });

  return (
    <div data-testid="org-envs">
      <ErrorBanner message={action.error ?? envs.error} onDismiss={() => action.setError(null)} />
      {envs.data && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="env-table">
            <caption className="visually-hidden">Environments of {org.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {envs.data.items.map((env) => (
                <tr key={env.id} data-testid="env-row" data-id={env.id} data-name={env.name}>
                  <td data-label="Name" className="wrap">
                    {env.name}
                    {env.default && <span className="sub">default environment</span>}
                  </td>
                  <td data-label="Id" className="mono wrap-any">
                    {env.id}
                  </td>
                  <td data-label="Created">
                    <Time iso={env.created_at} />
                  </td>
                  <td data-label="" className="actions">
                    <div className="org-env-actions">
                      <button
                        type="button"
                        className="button button-small"
                        data-testid="env-portal"
                        disabled={action.busy === `portal:${env.id}`}
                        onClick={() => void openPortal(env)}
                      >
                        Open portal as this tenant
                      </button>
                      <TypedDelete
                        what={`environment ${env.name}`}
                        id={env.id}
                        onDelete={removeEnv(env)}
                        onDeleted={removed(env)}
                        disabled={!canWrite || env.default}
                        title={!canWrite ? ENV_KEY_HINT : env.default ? "The org's default environment goes only with the org." : undefined}
                        testId="env-delete"
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && (
        <form className="form form-spaced" onSubmit={(e) => void create(e)} aria-label="New environment" data-testid="env-form">
          <div className="field">
            <label htmlFor="env-name">New environment</label>
            <input id="env-name" data-testid="env-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
            <p className="field-hint">e.g. "staging"; its data is kept apart from every other environment's.</p>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" data-testid="env-create" disabled={action.busy === 'create-env'}>
              {action.busy === 'create-env' ? 'Creating…' : 'Create environment'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
