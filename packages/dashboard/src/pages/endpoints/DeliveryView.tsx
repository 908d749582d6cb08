// One endpoint delivery: what was sent (the event, byte for byte the same on every attempt),
// every attempt with its answer, and Retry. It follows the delivery live.
import { useEffect, useRef } from 'react';
import { api, type Delivery, type DeliveryDetail, type DeliveryLive } from '../../api.js';
import { EndpointAttempts } from '../../components/EndpointAttempts.js';
import { followDelivery } from '../../components/EndpointDeliveryFollow.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KeyValue } from '../../components/KeyValue.js';
import { LiveDot } from '../../components/LiveDot.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useAction } from '../../hooks/useAction.js';
import { useLive } from '../../hooks/useLive.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link } from '../../router.js';
import type { PageProps } from '../../routes.js';

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to retry deliveries.';

export function DeliveryView({ params }: PageProps) {
  const endpointId = params.id ?? '';
  const deliveryId = params.delivery ?? '';
  const path = `/api/v1/deliveries/${encodeURIComponent(deliveryId)}`;
  const res = useResource<DeliveryDetail>(path);
  const canWrite = useCanWrite();
  const action = useAction();
  const { reload, setData } = res;
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useLive<DeliveryLive>({ topics: ['delivery.*'], endpoint_id: endpointId }, (m) => {
    if (m.data.delivery_id === deliveryId) void reload();
  });

  const retry = () =>
    action.run('retry', async () => {
      const before = res.data?.attempts ?? 0;
      await api<Delivery>(`${path}/retry`, { method: 'POST' });
      await reload();
      await followDelivery(deliveryId, before, setData, () => !alive.current);
    });

  const d = res.data;
  return (
    <section className="area-endpoints" aria-labelledby="delivery-title">
      <PageHead
        id="delivery-title"
        title="Delivery"
        description={<span className="mono">{deliveryId}</span>}
        actions={
          <>
            <LiveDot />
            <Link className="button" href={href('/endpoints', endpointId)}>
              Back to the endpoint
            </Link>
          </>
        }
      />
      <ReadOnlyNote what="retry deliveries" />
      <ErrorBanner message={action.error ?? res.error} onDismiss={() => action.setError(null)} />
      {d === null ? (
        res.loading && (
          <p className="muted" role="status">
            Loading delivery…
          </p>
        )
      ) : (
        <>
          <section className="section" aria-labelledby="delivery-summary">
            <div className="section-head">
              <h2 id="delivery-summary">Summary</h2>
              <span title={canWrite ? 'Send the identical payload again now, with a fresh signature' : READ_ONLY}>
                <button
                  type="button"
                  className="button"
                  data-testid="delivery-view-retry"
                  disabled={!canWrite || action.busy !== null}
                  title={canWrite ? undefined : READ_ONLY}
                  onClick={() => void retry()}
                >
                  {action.busy === 'retry' ? 'Retrying…' : 'Retry'}
                </button>
              </span>
            </div>
            <div data-testid="delivery-view" data-status={d.status}>
              <KeyValue
                rows={[
                  ['Status', <StatusBadge status={d.status === 'pending' && d.attempts > 0 ? 'retrying' : d.status} />],
                  ['Event type', <span className="mono">{d.event_type}</span>],
                  ['Event ID (webhook-id)', <span className="mono">{d.event_id}</span>],
                  ['Attempts', d.attempts],
                  ['Last status code', d.last_status_code],
                  ['Last error', d.last_error],
                  ['Next attempt', d.status === 'pending' ? <Time iso={d.next_attempt_at} /> : undefined],
                  ['Created', <Time iso={d.created_at} />],
                  ['Delivered', d.delivered_at ? <Time iso={d.delivered_at} /> : undefined],
                ]}
              />
            </div>
          </section>
          <section className="section" aria-labelledby="delivery-attempts-title">
            <div className="section-head">
              <h2 id="delivery-attempts-title">Attempts</h2>
            </div>
            <EndpointAttempts history={d.history} />
          </section>
          <section className="section" aria-labelledby="delivery-event">
            <div className="section-head">
              <h2 id="delivery-event">Event (the request body, pretty-printed)</h2>
            </div>
            {d.event ? (
              <pre className="pre" data-testid="delivery-event">
                {JSON.stringify(d.event, null, 2)}
              </pre>
            ) : (
              <p className="muted">The event was pruned (retention).</p>
            )}
          </section>
        </>
      )}
    </section>
  );
}
