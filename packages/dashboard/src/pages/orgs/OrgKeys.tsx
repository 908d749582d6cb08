// Keys limited to one org or one of its environments: create (shown once), list, revoke.
// GET /api/v1/keys lists what the signed-in key may see; this org's are picked out here.
import { useEffect, useState, type FormEvent } from 'react';
import type { Env, Org, Role } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useCanWrite } from '../../components/ReadOnlyNote.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useApiKeys } from '../../hooks/useApiKeys.js';
import { useResource } from '../../hooks/useResource.js';
import { useSignedIn } from '../../session.js';
import { onTenantListChange } from '../../tenant.js';

export function OrgKeys({ org }: { org: Org }) {
  const { keys, action, created, forgetCreated, create: createKey, revoke } = useApiKeys();
  const envs = useResource<{ items: Env[] }>(`/api/v1/orgs/${encodeURIComponent(org.id)}/envs`);
  const { key: current } = useSignedIn();
  const canWrite = useCanWrite();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const [envId, setEnvId] = useState('');
  // A new or deleted environment (in the section above) changes what a key can be limited to.
  const reloadEnvs = envs.reload;
  useEffect(() => onTenantListChange(() => void reloadEnvs()), [reloadEnvs]);

  const envName = (id: string | null) => (id === null ? 'whole org' : (envs.data?.items.find((e) => e.id === id)?.name ?? id));

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (await createKey({ name: name.trim(), role, org_id: org.id, ...(envId ? { env_id: envId } : {}) })) setName('');
  };

  const mine = (keys.data?.items ?? []).filter((k) => k.org_id === org.id).sort((a, b) => b.created_at.localeCompare(a.created_at));

  return (
    <div data-testid="org-keys">
      <ErrorBanner message={action.error ?? keys.error} onDismiss={() => action.setError(null)} />
      {created && <SecretOnce label={`API key "${created.name}"`} secret={created.key} onDone={forgetCreated} />}
      {keys.data && mine.length === 0 && <p className="muted">No keys are limited to this org yet.</p>}
      {mine.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="org-key-table">
            <caption className="visually-hidden">API keys limited to {org.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Limited to</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {mine.map((k) => (
                <tr
                  key={k.id}
                  data-testid="org-key-row"
                  data-id={k.id}
                  data-name={k.name}
                  data-env={k.env_id ?? ''}
                  data-revoked={k.revoked_at ? 'true' : 'false'}
                >
                  <td data-label="Name" className="wrap">
                    {k.name} <span className="mono sub">{k.prefix}…</span>
                  </td>
                  <td data-label="Limited to" className="wrap-any">
                    {envName(k.env_id)}
                  </td>
                  <td data-label="Role">{k.role === 'admin' ? 'admin' : 'read-only'}</td>
                  <td data-label="Created">
                    <Time iso={k.created_at} />
                  </td>
                  <td data-label="" className="actions">
                    {k.revoked_at ? (
                      <StatusBadge status="revoked" />
                    ) : (
                      <ConfirmButton
                        label="Revoke"
                        testId="org-key-revoke"
                        danger
                        question={`Revoke "${k.name}"? Anything using it gets 401 at once.`}
                        confirmLabel="Revoke key"
                        onConfirm={() => revoke(k.id)}
                        busy={action.busy === `revoke:${k.id}`}
                        disabled={!canWrite || k.id === current.id}
                        title={k.id === current.id ? 'You are signed in with this key.' : undefined}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && (
        <form className="form form-spaced" onSubmit={(e) => void create(e)} aria-label="New key for this org" data-testid="org-key-form">
          <div className="field">
            <label htmlFor="org-key-name">Name</label>
            <input id="org-key-name" data-testid="org-key-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="org-key-env">Limited to</label>
            <select id="org-key-env" data-testid="org-key-env" value={envId} onChange={(e) => setEnvId(e.target.value)}>
              <option value="">the whole org (every environment)</option>
              {envs.data?.items.map((env) => (
                <option key={env.id} value={env.id}>
                  environment {env.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="org-key-role">Role</label>
            <select id="org-key-role" data-testid="org-key-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="admin">admin: everything in its tenant</option>
              <option value="read">read-only: look, change nothing</option>
            </select>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" data-testid="org-key-create" disabled={action.busy === 'create'}>
              {action.busy === 'create' ? 'Creating…' : 'Create key'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
