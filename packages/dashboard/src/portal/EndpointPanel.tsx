// One endpoint in the portal: its settings, enable/disable/delete, the signing secret (shown
// once on create and on rotate), a test event, and its deliveries with every attempt.
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { EndpointAttempts } from '../components/EndpointAttempts.js';
import { SecretOnce } from '../components/SecretOnce.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { Time } from '../components/Time.js';
import type { Delivery, DeliveryDetail, Endpoint, EventTypeEntry, PortalClient } from './client.js';
import { EndpointEditor } from './EndpointEditor.js';

interface Props {
  client: PortalClient;
  id: string;
  canWrite: boolean;
  catalog: EventTypeEntry[];
  limit: string[] | null;
  /** The secret of an endpoint just created: shown once. */
  freshSecret?: string;
  onBack(): void;
  onError(message: string): void;
}

export function EndpointPanel({ client, id, canWrite, catalog, limit, freshSecret, onBack, onError }: Props) {
  const [endpoint, setEndpoint] = useState<Endpoint | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(freshSecret ? { label: 'Signing secret', value: freshSecret } : null);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);

  useEffect(() => {
    client
      .endpoint(id)
      .then(setEndpoint)
      .catch((err: unknown) => onError(messageOf(err)));
  }, [client, id, onError]);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    try {
      await what();
    } catch (err) {
      onError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (!endpoint) return <p className="muted">Loading…</p>;
  if (editing) {
    return (
      <EndpointEditor
        catalog={catalog}
        limit={limit}
        initial={{ url: endpoint.url, description: endpoint.description, events: endpoint.events }}
        onCancel={() => setEditing(false)}
        onSave={async (body) => {
          setEndpoint(await client.update(id, body));
          setEditing(false);
        }}
      />
    );
  }
  return (
    <section className="portal-endpoint" aria-label="Endpoint" data-testid="portal-endpoint">
      <button type="button" className="button button-quiet" onClick={onBack} data-testid="portal-back">
        ← All endpoints
      </button>
      <h1 className="mono portal-url">{endpoint.url}</h1>
      <p>
        <StatusBadge status={endpoint.enabled ? 'enabled' : 'disabled'} />{' '}
        {endpoint.disabled_reason && <span className="muted">{endpoint.disabled_reason}</span>}
      </p>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p>
        Event types: <span className="mono">{endpoint.events.join(', ')}</span>
      </p>
      {secret && <SecretOnce label={secret.label} secret={secret.value} onDone={() => setSecret(null)} />}
      {canWrite && (
        <div className="portal-actions">
          <button type="button" className="button" onClick={() => setEditing(true)} data-testid="portal-edit">
            Edit
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="portal-send-test"
            onClick={() =>
              void act(async () => {
                await client.sendTest(id);
                setDeliveriesVersion((v) => v + 1);
              })
            }
          >
            Send test event
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="portal-toggle"
            onClick={() => void act(async () => setEndpoint(await client.setEnabled(id, !endpoint.enabled)))}
          >
            {endpoint.enabled ? 'Disable' : 'Enable'}
          </button>
          <ConfirmButton
            label="Rotate secret"
            question="Make a new signing secret? The old one keeps signing for 24 hours."
            confirmLabel="Rotate"
            busy={busy}
            testId="portal-rotate"
            onConfirm={() =>
              act(async () => {
                const rotated = await client.rotateSecret(id);
                setSecret({ label: 'New signing secret', value: rotated.secret });
              })
            }
          />
          <ConfirmButton
            label="Delete"
            question="Delete this endpoint? Deliveries still pending fail."
            confirmLabel="Delete endpoint"
            danger
            busy={busy}
            testId="portal-delete"
            onConfirm={() =>
              act(async () => {
                await client.remove(id);
                onBack();
              })
            }
          />
        </div>
      )}
      <Deliveries client={client} endpointId={id} canWrite={canWrite} version={deliveriesVersion} onError={onError} />
    </section>
  );
}

/** The endpoint's deliveries, newest first; pending ones are looked at again every two seconds. */
function Deliveries({
  client,
  endpointId,
  canWrite,
  version,
  onError,
}: {
  client: PortalClient;
  endpointId: string;
  canWrite: boolean;
  version: number;
  onError(message: string): void;
}) {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [open, setOpen] = useState<DeliveryDetail | null>(null);
  const [tick, setTick] = useState(0);
  const load = useCallback(() => {
    client
      .deliveries(endpointId)
      .then((page) => setItems(page.items))
      .catch((err: unknown) => onError(messageOf(err)));
  }, [client, endpointId, onError]);
  useEffect(load, [load, version, tick]);
  const waiting = items?.some((d) => d.status === 'pending') || (version > 0 && items?.length === 0);
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => setTick((t) => t + 1), 2000);
    return () => window.clearTimeout(timer);
  }, [waiting, items]);

  const show = (id: string) =>
    client
      .delivery(id)
      .then(setOpen)
      .catch((err: unknown) => onError(messageOf(err)));

  return (
    <section aria-label="Deliveries" className="portal-deliveries">
      <div className="portal-section-head">
        <h2>Deliveries</h2>
        <button type="button" className="button button-small" onClick={load} data-testid="portal-refresh">
          Refresh
        </button>
      </div>
      {items === null ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">Nothing sent to this endpoint yet.</p>
      ) : (
        <ul className="portal-list" data-testid="portal-deliveries">
          {items.map((d) => (
            <li key={d.id} data-testid="portal-delivery" data-status={d.status}>
              <div className="portal-delivery-row">
                <span className="mono">{d.event_type}</span>
                <StatusBadge status={d.status} />
                <span className="muted">
                  {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                  {d.last_status_code !== null ? ` · HTTP ${d.last_status_code}` : ''}
                </span>
                <Time iso={d.created_at} />
              </div>
              <div className="portal-actions">
                <button type="button" className="button button-small" onClick={() => void show(d.id)} data-testid="portal-delivery-open">
                  Attempts
                </button>
                {canWrite && d.status === 'failed' && (
                  <button
                    type="button"
                    className="button button-small"
                    data-testid="portal-retry"
                    onClick={() =>
                      void client
                        .retry(d.id)
                        .then(load)
                        .catch((err: unknown) => onError(messageOf(err)))
                    }
                  >
                    Retry
                  </button>
                )}
              </div>
              {open?.id === d.id && <EndpointAttempts history={open.history} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
