// One request bin: its capture URL (with a curl line to try it), how captured signatures are
// checked, and every captured request, newest first. New captures appear live (topic
// inspector.request scoped to this bin); each row expands to the whole request.
import { Fragment, useCallback, useState, type FormEvent } from 'react';
import { api, BIN_SCHEMES, messageOf, query, type Bin, type CapturedRequest, type Page, type Settings } from '../../api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { InspectorRequest, InspectorSignature } from '../../components/InspectorRequest.js';
import { LiveDot } from '../../components/LiveDot.js';
import { PageHead } from '../../components/PageHead.js';
import { Pagination } from '../../components/Pagination.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { Time } from '../../components/Time.js';
import { useAction } from '../../hooks/useAction.js';
import { useLive } from '../../hooks/useLive.js';
import { useResource } from '../../hooks/useResource.js';
import type { LiveFilter } from '../../live.js';
import { href, Link, navigate, to, useLocation } from '../../router.js';
import type { PageProps } from '../../routes.js';

const LIMIT = 25;
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change this bin.';

function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** A single-quoted shell word. */
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function BinDetail({ params }: PageProps) {
  const name = params.bin ?? '';
  const base = `/api/v1/inspector/bins/${encodeURIComponent(name)}`;
  const { search } = useLocation();
  const offset = offsetFrom(search.get('offset'));
  const bin = useResource<Bin>(base);
  const list = useResource<Page<CapturedRequest>>(`${base}/requests${query({ limit: LIMIT, offset })}`);
  // Optional: the body limit for the "cut" note and the allowlist for the loopback hint.
  const settings = useResource<Settings>('/api/v1/settings');
  const canWrite = useCanWrite();
  const action = useAction();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [missed, setMissed] = useState(0);
  const [secret, setSecret] = useState('');
  const [scheme, setScheme] = useState<string | null>(null);
  const { setData: setList } = list;
  const { reload: reloadBin } = bin;
  const { setError } = action;

  const onCapture = useCallback(
    async (id: string) => {
      void reloadBin();
      if (offset > 0) return setMissed((n) => n + 1);
      try {
        // The live message has no body; the full request comes from the API.
        const r = await api<CapturedRequest>(`${base}/requests/${encodeURIComponent(id)}`);
        setList((p) => (p && !p.items.some((x) => x.id === r.id) ? { ...p, items: [r, ...p.items].slice(0, LIMIT), total: p.total + 1 } : p));
      } catch (err) {
        setError(messageOf(err));
      }
    },
    [base, offset, reloadBin, setList, setError],
  );
  const filter: LiveFilter & { bin: string } = { topics: ['inspector.request'], bin: name };
  useLive<{ id: string }>(filter, (m) => void onCapture(m.data.id));

  const toggle = (id: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const clear = () =>
    action.run('clear', async () => {
      await api<void>(`${base}/requests`, { method: 'DELETE' });
      await Promise.all([list.reload(), bin.reload()]);
      return true;
    });

  const remove = () =>
    action.run('delete', async () => {
      await api<void>(base, { method: 'DELETE' });
      navigate(to('/inspector'));
      return true;
    });

  const saveCheck = async (e: FormEvent, removeSecret = false) => {
    e.preventDefault();
    const body: { secret?: string | null; scheme?: string } = {};
    if (removeSecret) body.secret = null;
    else if (secret) body.secret = secret;
    if (scheme !== null) body.scheme = scheme;
    if (Object.keys(body).length === 0) return action.setError('Type a new secret or pick another scheme first.');
    const b = await action.run('check', () => api<Bin>(base, { method: 'PATCH', body }));
    if (b) {
      bin.setData(b);
      setSecret('');
      setScheme(null);
    }
  };

  const b = bin.data;
  const page = list.data;
  const writeHint = canWrite ? undefined : READ_ONLY;
  const curl = b ? `curl -X POST ${sh(b.url + '/hello?x=1')} -H 'content-type: application/json' -d '{"hello":"world"}'` : '';
  const loopback = b ? /^https?:\/\/(127\.|localhost|\[::1\])/.test(b.url) : false;

  return (
    <section className="area-inspector" aria-labelledby="bin-title">
      <PageHead
        id="bin-title"
        title={`Bin ${name}`}
        description="Every request sent to this bin's URL, newest first."
        actions={
          <>
            <LiveDot />
            <Link className="button" href={to('/inspector')}>
              All bins
            </Link>
          </>
        }
      />
      <ReadOnlyNote what="change, clear or delete this bin" />
      <ErrorBanner message={action.error ?? bin.error} onDismiss={() => action.setError(null)} />
      {b && (
        <>
          <section className="section" aria-labelledby="bin-url-title">
            <div className="section-head">
              <h2 id="bin-url-title">Capture URL</h2>
            </div>
            <div className="secret-row">
              <code className="mono capture-url" data-testid="bin-url">
                {b.url}
              </code>
              <CopyButton text={b.url} testId="bin-url-copy" />
            </div>
            <p className="muted">Any method, any sub-path (the path is recorded), any body, no API key. Try it:</p>
            <div className="secret-row">
              <pre className="pre curl" data-testid="bin-curl">
                {curl}
              </pre>
              <CopyButton text={curl} label="Copy curl" />
            </div>
          </section>
          <section className="section" aria-labelledby="bin-check-title">
            <div className="section-head">
              <h2 id="bin-check-title">Signature check</h2>
              <span data-testid="bin-check">{b.has_secret ? `${b.scheme}, with a secret` : `${b.scheme}, no secret`}</span>
            </div>
            <form className="form" onSubmit={(e) => void saveCheck(e)} aria-label="Change the signature check">
              <div className="field">
                <label htmlFor="check-secret">{b.has_secret ? 'Replace the secret' : 'Secret'}</label>
                <input
                  id="check-secret"
                  type="password"
                  autoComplete="new-password"
                  maxLength={512}
                  value={secret}
                  onChange={(e) => setSecret(e.target.value)}
                  spellCheck={false}
                />
                <p className="field-hint">Write-only: the secret is never shown. It checks requests captured from now on.</p>
              </div>
              <div className="field">
                <label htmlFor="check-scheme">Scheme</label>
                <select id="check-scheme" value={scheme ?? b.scheme} onChange={(e) => setScheme(e.target.value)}>
                  {BIN_SCHEMES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </div>
              <div className="form-actions">
                <span title={writeHint}>
                  <button type="submit" className="button" disabled={!canWrite || action.busy !== null} title={writeHint}>
                    Save
                  </button>
                </span>
                {b.has_secret && (
                  <span title={writeHint}>
                    <button
                      type="button"
                      className="button button-quiet"
                      disabled={!canWrite || action.busy !== null}
                      title={writeHint}
                      onClick={(e) => void saveCheck(e, true)}
                    >
                      Remove the secret
                    </button>
                  </span>
                )}
              </div>
            </form>
          </section>
        </>
      )}
      <section className="section" aria-labelledby="bin-requests-title">
        <div className="section-head">
          <h2 id="bin-requests-title">Captured requests{page ? ` (${page.total})` : ''}</h2>
          <div className="action-row">
            <LiveDot />
            <ConfirmButton
              label="Clear all"
              testId="bin-clear"
              danger
              question="Delete every request captured in this bin?"
              confirmLabel="Clear requests"
              onConfirm={clear}
              busy={action.busy === 'clear'}
              disabled={!canWrite || !page || page.total === 0}
              {...(writeHint ? { title: writeHint } : {})}
            />
            <ConfirmButton
              label="Delete bin"
              testId="bin-delete"
              danger
              question="Delete this bin and everything it captured? Its URL stops accepting requests."
              confirmLabel="Delete bin"
              onConfirm={remove}
              busy={action.busy === 'delete'}
              disabled={!canWrite}
              {...(writeHint ? { title: writeHint } : {})}
            />
          </div>
        </div>
        {missed > 0 && (
          <p className="note-banner" role="status">
            {missed} new {missed === 1 ? 'request' : 'requests'} arrived.{' '}
            <Link href={href('/inspector', name)} onClick={() => setMissed(0)}>
              Show the newest
            </Link>
          </p>
        )}
        <ErrorBanner message={list.error} />
        {page === null ? (
          list.loading && (
            <p className="muted" role="status">
              Loading requests…
            </p>
          )
        ) : page.items.length === 0 && page.total > 0 ? (
          <EmptyState title="This page is past the end of the list">
            <Link className="button" href={href('/inspector', name)}>
              Go to the first page
            </Link>
          </EmptyState>
        ) : page.items.length === 0 ? (
          <EmptyState title="Nothing captured yet">
            <p>Requests sent to the capture URL appear here as they arrive. To see what Hookline sends, point something at it:</p>
            <ul>
              <li>
                an <Link href={to('/endpoints/new')}>endpoint</Link> whose URL is the capture URL, then send it a test event;
              </li>
              <li>
                a run's <code>callback_url</code>, or a post-action's URL;
              </li>
              <li>or anything else that sends webhooks, or the curl line above.</li>
            </ul>
            {loopback && (
              <p data-testid="bin-loopback-hint">
                This URL is on loopback, which Hookline's SSRF guard refuses by default. For Hookline to send to it, the operator must allow the host in{' '}
                <code>delivery.allow_networks</code> (e.g. <code>127.0.0.1/32</code>)
                {settings.data ? (
                  <>
                    ; it is now{' '}
                    <span className="mono">{settings.data.delivery.allow_networks.length ? settings.data.delivery.allow_networks.join(', ') : 'empty'}</span>
                  </>
                ) : null}
                .
              </p>
            )}
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table table-cards" data-testid="request-table">
                <caption className="visually-hidden">Captured requests, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Received</th>
                    <th scope="col">Request</th>
                    <th scope="col">Body</th>
                    <th scope="col">Signature</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((r) => {
                    const open = expanded.has(r.id);
                    return (
                      <Fragment key={r.id}>
                        <tr data-testid="request-row" data-id={r.id}>
                          <td data-label="Received">
                            <Time iso={r.received_at} />
                          </td>
                          <td data-label="Request" className="wrap mono">
                            <span className="method">{r.method}</span> {r.path}
                          </td>
                          <td data-label="Body">
                            <div>
                              {r.size_bytes} bytes
                              {r.content_type && <span className="sub mono">{r.content_type}</span>}
                            </div>
                          </td>
                          <td data-label="Signature" className="wrap">
                            <div>
                              <InspectorSignature check={r.signature} />
                              {r.signature && !r.signature.valid && <span className="sub">{r.signature.reason}</span>}
                            </div>
                          </td>
                          <td data-label="" className="actions">
                            <button
                              type="button"
                              className="button button-small"
                              aria-expanded={open}
                              data-testid="request-expand"
                              onClick={() => toggle(r.id)}
                            >
                              {open ? 'Hide' : 'Show'}
                            </button>
                          </td>
                        </tr>
                        {open && (
                          <tr className="expand-row">
                            <td colSpan={5} data-label="">
                              <InspectorRequest request={r} {...(settings.data ? { maxBodyBytes: settings.data.inspector.max_body_bytes } : {})} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pagination
              offset={page.offset}
              count={page.items.length}
              total={page.total}
              limit={LIMIT}
              onPage={(o) => navigate(href('/inspector', name) + query({ offset: o || undefined }))}
            />
          </>
        )}
      </section>
    </section>
  );
}
