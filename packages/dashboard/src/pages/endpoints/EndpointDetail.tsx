// One endpoint: its configuration (never the secret), what an admin can do with it (test,
// rotate the secret, enable/disable, delete, replay a window) and its deliveries, live.
import { useState } from 'react';
import { api, type Endpoint, type EndpointWithSecret } from '../../api.js';
import { EndpointDeliveries } from '../../components/EndpointDeliveries.js';
import { EndpointReplay } from '../../components/EndpointReplay.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KeyValue } from '../../components/KeyValue.js';
import { LiveDot } from '../../components/LiveDot.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { Link, navigate, to } from '../../router.js';
import type { PageProps } from '../../routes.js';

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change endpoints.';

function seconds(n: number): string {
  if (n % 3600 === 0) return `${n / 3600} h`;
  if (n % 60 === 0) return `${n / 60} min`;
  return `${n} s`;
}

function withoutSecret({ secret: _secret, ...endpoint }: EndpointWithSecret): Endpoint {
  return endpoint;
}

export function EndpointDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const path = `/api/v1/webhooks/endpoints/${encodeURIComponent(id)}`;
  const ep = useResource<Endpoint>(path);
  const canWrite = useCanWrite();
  const action = useAction();
  // A rotated secret lives only here, until "I have stored it" or leaving the page.
  const [secret, setSecret] = useState<string | null>(null);
  const [grace, setGrace] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [enqueued, setEnqueued] = useState<number | null>(null);
  const [refresh, setRefresh] = useState(0);

  const endpoint = ep.data;
  const busy = action.busy !== null;

  const sendTest = () =>
    action.run('test', async () => {
      setNote(null);
      const r = await api<{ event_id: string }>(`${path}/test`, { method: 'POST' });
      setNote(`Test event ${r.event_id} sent; its delivery appears below.`);
      setRefresh((n) => n + 1);
      return true;
    });

  const setEnabled = (on: boolean) =>
    action.run(on ? 'enable' : 'disable', async () => {
      ep.setData(await api<Endpoint>(`${path}/${on ? 'enable' : 'disable'}`, { method: 'POST' }));
      return true;
    });

  const rotate = () =>
    action.run('rotate', async () => {
      const g = grace.trim();
      const body = g ? { grace_period_seconds: Number(g) } : {};
      const r = await api<EndpointWithSecret>(`${path}/rotate-secret`, { method: 'POST', body });
      setSecret(r.secret);
      ep.setData(withoutSecret(r));
      setGrace('');
      return true;
    });

  const remove = () =>
    action.run('delete', async () => {
      await api<void>(path, { method: 'DELETE' });
      navigate(to('/endpoints'));
      return true;
    });

  const replay = (since: string, until: string | undefined) =>
    void action.run('replay', async () => {
      setEnqueued(null);
      const r = await api<{ enqueued: number }>(`${path}/replay`, { method: 'POST', body: until ? { since, until } : { since } });
      setEnqueued(r.enqueued);
      setRefresh((n) => n + 1);
    });

  const writeHint = canWrite ? undefined : READ_ONLY;
  return (
    <section className="area-endpoints" aria-labelledby="endpoint-title">
      <PageHead
        id="endpoint-title"
        title="Endpoint"
        description={endpoint ? <span className="mono wrap-any">{endpoint.url}</span> : id}
        actions={
          <>
            <LiveDot />
            <Link className="button" href={to('/endpoints')}>
              All endpoints
            </Link>
          </>
        }
      />
      <ReadOnlyNote what="test, rotate, disable, delete or replay this endpoint" />
      <ErrorBanner message={action.error ?? ep.error} onDismiss={() => action.setError(null)} />
      {secret && <SecretOnce label="New signing secret" secret={secret} onDone={() => setSecret(null)} />}
      {endpoint === null ? (
        ep.loading && (
          <p className="muted" role="status">
            Loading endpoint…
          </p>
        )
      ) : (
        <>
          {!endpoint.enabled && (
            <p className="note-banner" data-testid="disabled-note">
              This endpoint is disabled{endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ''}. Events published while it is off are not delivered;
              enable it, then replay the window you missed.
            </p>
          )}
          <section className="section" aria-labelledby="endpoint-actions">
            <div className="section-head">
              <h2 id="endpoint-actions">Actions</h2>
              <StatusBadge status={endpoint.enabled ? 'enabled' : 'disabled'} />
            </div>
            <div className="action-row">
              <span title={writeHint ?? (endpoint.enabled ? 'Send a webhook.test event to this endpoint only' : 'Enable the endpoint first')}>
                <button
                  type="button"
                  className="button"
                  data-testid="endpoint-test"
                  disabled={!canWrite || busy || !endpoint.enabled}
                  title={writeHint}
                  onClick={() => void sendTest()}
                >
                  {action.busy === 'test' ? 'Sending…' : 'Send test event'}
                </button>
              </span>
              <span title={writeHint}>
                <button
                  type="button"
                  className="button"
                  data-testid={endpoint.enabled ? 'endpoint-disable' : 'endpoint-enable'}
                  disabled={!canWrite || busy}
                  title={writeHint}
                  onClick={() => void setEnabled(!endpoint.enabled)}
                >
                  {endpoint.enabled ? 'Disable' : 'Enable'}
                </button>
              </span>
              <ConfirmButton
                label="Rotate secret"
                testId="endpoint-rotate"
                question="Make a new signing secret? It is shown once. During the grace period requests are signed with both the old and the new secret."
                confirmLabel="Rotate secret"
                onConfirm={rotate}
                busy={action.busy === 'rotate'}
                disabled={!canWrite}
                {...(writeHint ? { title: writeHint } : {})}
              >
                <div className="field">
                  <label htmlFor="rotate-grace">Grace period (seconds)</label>
                  <input
                    id="rotate-grace"
                    data-testid="rotate-grace"
                    type="number"
                    min={0}
                    max={604800}
                    step={1}
                    value={grace}
                    onChange={(e) => setGrace(e.target.value)}
                    placeholder="86400"
                  />
                  <p className="field-hint">How long the old secret keeps signing, 0–604800. Empty: the server default (24 h). 0: it stops at once.</p>
                </div>
              </ConfirmButton>
              <ConfirmButton
                label="Delete"
                testId="endpoint-delete"
                danger
                question="Delete this endpoint? Its pending deliveries fail as endpoint_deleted; the delivery log stays."
                confirmLabel="Delete endpoint"
                onConfirm={remove}
                busy={action.busy === 'delete'}
                disabled={!canWrite}
                {...(writeHint ? { title: writeHint } : {})}
              />
            </div>
            {note && (
              <p role="status" className="ok-note" data-testid="endpoint-note">
                {note}
              </p>
            )}
          </section>
          <section className="section" aria-labelledby="endpoint-config">
            <div className="section-head">
              <h2 id="endpoint-config">Configuration</h2>
            </div>
            <div data-testid="endpoint-config">
              <KeyValue
                rows={[
                  ['ID', <span className="mono">{endpoint.id}</span>],
                  ['URL', <span className="mono">{endpoint.url}</span>],
                  ['Description', endpoint.description],
                  ['Events', <span className="mono">{endpoint.events.join(', ')}</span>],
                  ['Signing scheme', endpoint.signing_scheme],
                  ['Extra headers', Object.keys(endpoint.headers).length ? <span className="mono">{Object.keys(endpoint.headers).join(', ')}</span> : null],
                  ['Timeout', seconds(endpoint.timeout_seconds)],
                  [
                    'Retry schedule',
                    endpoint.retry_schedule === null
                      ? 'server default'
                      : endpoint.retry_schedule.length === 0
                        ? 'no retries'
                        : endpoint.retry_schedule.map(seconds).join(', '),
                  ],
                  ['Rate limit', endpoint.rate_limit === null ? 'none' : `${endpoint.rate_limit} per second`],
                  ['Status', endpoint.enabled ? 'enabled' : `disabled${endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ''}`],
                  ['Disabled at', endpoint.disabled_at ? <Time iso={endpoint.disabled_at} /> : undefined],
                  ['Consecutive failures', <span data-testid="endpoint-consecutive">{endpoint.consecutive_failures}</span>],
                  ['Old secret signs until', endpoint.secret_rotation_ends_at ? <Time iso={endpoint.secret_rotation_ends_at} /> : undefined],
                  ['Created', <Time iso={endpoint.created_at} />],
                  ['Updated', <Time iso={endpoint.updated_at} />],
                ]}
              />
            </div>
          </section>
          <section className="section" aria-labelledby="endpoint-replay">
            <div className="section-head">
              <h2 id="endpoint-replay">Replay a time window</h2>
            </div>
            <EndpointReplay
              canWrite={canWrite}
              disabled={!endpoint.enabled}
              busy={action.busy === 'replay'}
              onReplay={replay}
              onInvalid={action.setError}
              enqueued={enqueued}
            />
          </section>
          <section className="section" aria-labelledby="endpoint-deliveries">
            <div className="section-head">
              <h2 id="endpoint-deliveries">Deliveries</h2>
              <LiveDot />
            </div>
            <EndpointDeliveries endpointId={endpoint.id} events={endpoint.events} canWrite={canWrite} refresh={refresh} />
          </section>
        </>
      )}
    </section>
  );
}
