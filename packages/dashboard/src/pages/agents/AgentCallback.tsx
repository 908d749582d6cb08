// An agent's callback: one URL that gets every run's result, signed. Its secret is shown once
// (first save, rotation); header values come back masked, so saving asks for all of them again.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, isAbort, messageOf, type AgentCallback as Callback } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KeyValue } from '../../components/KeyValue.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useAction } from '../../hooks/useAction.js';

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change the callback.';

/** `Name: value` lines → headers; a message naming the first bad line, or the headers. */
export function parseHeaderLines(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon < 1) return `Line ${i + 1} of the headers is not "Name: value".`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function AgentCallback({ agentId, canWrite, onChanged }: { agentId: string; canWrite: boolean; onChanged(): void }) {
  const path = `/api/v1/agents/${encodeURIComponent(agentId)}/callback`;
  // undefined while loading; null when the agent has no callback (the API's 404).
  const [callback, setCallback] = useState<Callback | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState('');
  const [editing, setEditing] = useState(false);
  const action = useAction();

  useEffect(() => {
    const ctl = new AbortController();
    api<Callback>(path, { signal: ctl.signal })
      .then((c) => setCallback(c))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 404 && err.code === 'not_found') setCallback(null);
        else setLoadError(messageOf(err));
      });
    return () => ctl.abort();
  }, [path]);

  const startEdit = () => {
    setUrl(callback?.url ?? '');
    setHeaders('');
    setEditing(true);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseHeaderLines(headers);
    if (typeof parsed === 'string') return action.setError(parsed);
    const body = { url: url.trim(), ...(Object.keys(parsed).length ? { headers: parsed } : {}) };
    const saved = await action.run('save', () => api<Callback>(path, { method: 'PUT', body }));
    if (!saved) return;
    const { secret: fresh, ...shown } = saved;
    setCallback(shown);
    if (fresh) setSecret(fresh);
    setEditing(false);
    onChanged();
  };

  const rotate = async () => {
    const r = await action.run('rotate', () => api<{ secret: string }>(`${path}/rotate-secret`, { method: 'POST' }));
    if (r) setSecret(r.secret);
  };

  const remove = async () => {
    const done = await action.run('remove', () => api<void>(path, { method: 'DELETE' }).then(() => true));
    if (!done) return;
    setCallback(null);
    setSecret(null);
    onChanged();
  };

  const headerNames = callback ? Object.entries(callback.headers) : [];
  return (
    <section className="section" aria-labelledby="agent-callback-title" data-testid="agent-callback">
      <div className="section-head">
        <h2 id="agent-callback-title">Callback</h2>
        {callback && !editing && (
          <span className="agent-actions">
            <ConfirmButton
              label="Rotate secret"
              question="Sign callbacks with a new secret from now on (retries included)?"
              confirmLabel="Rotate now"
              onConfirm={rotate}
              disabled={!canWrite}
              title={canWrite ? undefined : READ_ONLY}
              busy={action.busy === 'rotate'}
              testId="callback-rotate"
            />
            <ConfirmButton
              label="Remove"
              question="Remove the callback? Callbacks waiting for a retry fail."
              confirmLabel="Remove it"
              onConfirm={remove}
              disabled={!canWrite}
              title={canWrite ? undefined : READ_ONLY}
              busy={action.busy === 'remove'}
              danger
              testId="callback-remove"
            />
          </span>
        )}
      </div>
      <p className="muted">
        Hookline POSTs the result of every run of this agent here (the payload is in docs/callbacks.md), signed, and retries until it gets a 2xx.
      </p>
      <ErrorBanner message={loadError} />
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      {secret && <SecretOnce label="Callback signing secret" secret={secret} onDone={() => setSecret(null)} />}
      {callback === undefined && !loadError && <p className="muted">Loading…</p>}
      {callback && !editing && (
        <KeyValue
          rows={[
            [
              'URL',
              <span className="mono" data-testid="callback-url">
                {callback.url}
              </span>,
            ],
            [
              'Headers',
              headerNames.length ? (
                <span className="mono kv-lines" data-testid="callback-headers">
                  {headerNames.map(([name, value]) => (
                    <span key={name}>
                      {name}: {value}
                    </span>
                  ))}
                </span>
              ) : null,
            ],
            [
              'Signature',
              <span>
                <code>{callback.signature.header}</code> = <code>sha256=</code>hex {callback.signature.algorithm} of{' '}
                <code>{`"{${callback.signature.timestamp_header}}.{body}"`}</code>
              </span>,
            ],
          ]}
        />
      )}
      {callback === null && !editing && <p data-testid="callback-none">No callback: set a URL to have every run's result POSTed to it.</p>}
      {editing ? (
        <form className="form" onSubmit={(e) => void save(e)} aria-label="Callback settings">
          <div className="field field-wide">
            <label htmlFor="callback-url">URL</label>
            <input
              id="callback-url"
              data-testid="callback-url-input"
              type="url"
              required
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://your-domain.com/agent-results"
              spellCheck={false}
            />
          </div>
          <div className="field field-wide">
            <label htmlFor="callback-headers">Headers</label>
            <textarea
              id="callback-headers"
              data-testid="callback-headers-input"
              value={headers}
              onChange={(e) => setHeaders(e.target.value)}
              placeholder={'Authorization: Bearer YOUR_TOKEN\nX-Custom-Header: value'}
              spellCheck={false}
              rows={3}
            />
            <p className="field-hint">
              One <code>Name: value</code> a line. Saving replaces every header: values are stored encrypted and never shown again, so enter all of them
              {headerNames.length > 0 && <> (now: {headerNames.map(([n]) => n).join(', ')})</>}.
            </p>
          </div>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              data-testid="callback-save"
              disabled={!canWrite || action.busy !== null}
              title={canWrite ? undefined : READ_ONLY}
            >
              {action.busy === 'save' ? 'Saving…' : 'Save callback'}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        callback !== undefined && (
          <span title={canWrite ? undefined : READ_ONLY}>
            <button
              type="button"
              className="button"
              data-testid="callback-edit"
              onClick={startEdit}
              disabled={!canWrite}
              title={canWrite ? undefined : READ_ONLY}
            >
              {callback ? 'Change callback' : 'Set a callback'}
            </button>
          </span>
        )
      )}
    </section>
  );
}
