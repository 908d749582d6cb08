// API keys: who can use the API and the dashboard. A new key is shown once; a revoked key
// stops working at once. The key this browser is signed in with cannot be revoked here.
import { useState, type FormEvent } from 'react';
import type { Role } from '../api.js';
import { useApiKeys } from '../hooks/useApiKeys.js';
import { useSignedIn } from '../session.js';
import { ConfirmButton } from './ConfirmButton.js';
import { ErrorBanner } from './ErrorBanner.js';
import { Pagination } from './Pagination.js';
import { useCanWrite } from './ReadOnlyNote.js';
import { SecretOnce } from './SecretOnce.js';
import { StatusBadge } from './StatusBadge.js';
import { Time } from './Time.js';

const LIMIT = 25;
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to create or revoke keys.';
const OWN_KEY = 'You are signed in with this key. Sign in with another admin key to revoke it.';

export function SettingsKeys() {
  const { keys, action, created, forgetCreated, create: createKey, revoke } = useApiKeys();
  const { key: current } = useSignedIn();
  const canWrite = useCanWrite();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('read');
  const [offset, setOffset] = useState(0);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!(await createKey({ name: name.trim(), role }))) return;
    setName('');
    setOffset(0);
  };

  // Newest first; the API lists them all, so the paging is done here.
  const all = [...(keys.data?.items ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const shown = all.slice(offset, offset + LIMIT);
  const writeHint = canWrite ? undefined : READ_ONLY;

  return (
    <div data-testid="settings-keys">
      <ErrorBanner message={action.error ?? keys.error} onDismiss={() => action.setError(null)} />
      {created && <SecretOnce label={`API key "${created.name}"`} secret={created.key} onDone={forgetCreated} />}
      {keys.data === null ? (
        keys.loading && (
          <p className="muted" role="status">
            Loading keys…
          </p>
        )
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-cards" data-testid="key-table">
              <caption className="visually-hidden">API keys, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((k) => {
                  const own = k.id === current.id;
                  const hint = writeHint ?? (own ? OWN_KEY : undefined);
                  return (
                    <tr key={k.id} data-testid="key-row" data-id={k.id} data-name={k.name} data-revoked={k.revoked_at ? 'true' : 'false'}>
                      <td data-label="Name" className="wrap">
                        <div>
                          {k.name}
                          {own && <span className="sub">signed in with this key</span>}
                        </div>
                      </td>
                      <td data-label="Prefix" className="mono">
                        {k.prefix}…
                      </td>
                      <td data-label="Role">{k.role === 'admin' ? 'admin' : 'read-only'}</td>
                      <td data-label="Created">
                        <Time iso={k.created_at} />
                      </td>
                      <td data-label="Last used">
                        <Time iso={k.last_used_at} />
                      </td>
                      <td data-label="" className="actions">
                        {k.revoked_at ? (
                          <span title={`Revoked ${k.revoked_at}`}>
                            <StatusBadge status="revoked" />
                          </span>
                        ) : (
                          <ConfirmButton
                            label="Revoke"
                            testId="key-revoke"
                            danger
                            question={`Revoke "${k.name}"? Anything using it gets 401 at once, and its dashboard sessions end.`}
                            confirmLabel="Revoke key"
                            onConfirm={() => revoke(k.id)}
                            busy={action.busy === `revoke:${k.id}`}
                            disabled={!canWrite || own}
                            {...(hint ? { title: hint } : {})}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {all.length > LIMIT && <Pagination offset={offset} count={shown.length} total={all.length} limit={LIMIT} onPage={setOffset} />}
        </>
      )}
      <form className="form form-spaced" onSubmit={(e) => void create(e)} aria-label="New API key" data-testid="key-form">
        <div className="field">
          <label htmlFor="key-name">Name</label>
          <input id="key-name" data-testid="key-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          <p className="field-hint">Who or what uses it, e.g. "ci" or "grafana".</p>
        </div>
        <div className="field">
          <label htmlFor="key-role">Role</label>
          <select id="key-role" data-testid="key-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="read">read-only: look, change nothing</option>
            <option value="admin">admin: everything</option>
          </select>
        </div>
        <div className="form-actions">
          <span title={writeHint}>
            <button type="submit" className="button button-primary" data-testid="key-create" disabled={!canWrite || action.busy === 'create'} title={writeHint}>
              {action.busy === 'create' ? 'Creating…' : 'Create key'}
            </button>
          </span>
        </div>
      </form>
    </div>
  );
}
