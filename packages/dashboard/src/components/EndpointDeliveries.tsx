// One endpoint's deliveries, live: new ones appear (an event.published that may concern this
// endpoint reloads the page of the list) and each row follows its delivery's status
// (delivery.* messages for this endpoint refetch that delivery). Status filter and offset
// live in the URL; a row expands to its attempts.
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { api, DELIVERY_STATUSES, messageOf, query, type Delivery, type DeliveryDetail, type DeliveryLive, type Page } from '../api.js';
import { useLive } from '../hooks/useLive.js';
import { useResource } from '../hooks/useResource.js';
import { href, Link, navigate, useLocation } from '../router.js';
import { EmptyState } from './EmptyState.js';
import { EndpointAttempts } from './EndpointAttempts.js';
import { followDelivery } from './EndpointDeliveryFollow.js';
import { ErrorBanner } from './ErrorBanner.js';
import { Pagination } from './Pagination.js';
import { StatusBadge } from './StatusBadge.js';
import { Time } from './Time.js';

const LIMIT = 25;
/** Bursts of events (a replay, a busy publisher) cause one reload, not one each. */
const RELOAD_AFTER_MS = 250;
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to retry deliveries.';

interface Props {
  endpointId: string;
  /** The endpoint's subscriptions: only events of these types can bring new deliveries. */
  events: string[];
  canWrite: boolean;
  /** Changes when the page did something that adds deliveries (test, replay). */
  refresh: number;
}

function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function summary({ event: _e, history: _h, ...delivery }: DeliveryDetail): Delivery {
  return delivery;
}

export function EndpointDeliveries({ endpointId, events, canWrite, refresh }: Props) {
  const location = useLocation();
  const status = location.search.get('status') ?? '';
  const offset = offsetFrom(location.search.get('offset'));
  const list = useResource<Page<Delivery>>(`/api/v1/deliveries${query({ endpoint_id: endpointId, status, limit: LIMIT, offset })}`);
  const { reload, setData } = list;
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // The freshest detail of each expanded or live-updated delivery, for its attempts.
  const [details, setDetails] = useState<ReadonlyMap<string, DeliveryDetail>>(new Map());
  const [retrying, setRetrying] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const items = useRef<Delivery[]>([]);
  items.current = list.data?.items ?? [];

  const reloadSoon = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void reload(), RELOAD_AFTER_MS);
  }, [reload]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else reloadSoon();
  }, [refresh, reloadSoon]);

  const refetch = useCallback(
    async (id: string) => {
      try {
        const d = await api<DeliveryDetail>(`/api/v1/deliveries/${encodeURIComponent(id)}`);
        setDetails((m) => new Map(m).set(id, d));
        // A status filter the delivery no longer matches: reload so it leaves this view.
        if (status && d.status !== status) reloadSoon();
        else setData((p) => p && { ...p, items: p.items.map((x) => (x.id === id ? summary(d) : x)) });
      } catch (err) {
        setError(messageOf(err));
      }
    },
    [setData, status, reloadSoon],
  );

  useLive<DeliveryLive>({ topics: ['delivery.*'], endpoint_id: endpointId }, (m) => {
    if (items.current.some((d) => d.id === m.data.delivery_id)) void refetch(m.data.delivery_id);
    else reloadSoon();
  });
  // webhook.test goes to one endpoint whatever it subscribes to.
  useLive({ topics: ['event.published'], event_types: [...events, 'webhook.test'] }, () => reloadSoon());

  const toggle = (id: string) => {
    const open = !expanded.has(id);
    setExpanded((s) => {
      const next = new Set(s);
      if (open) next.add(id);
      else next.delete(id);
      return next;
    });
    if (open) void refetch(id);
  };

  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const retry = async (id: string) => {
    setRetrying(id);
    setError(null);
    try {
      const before = items.current.find((x) => x.id === id)?.attempts ?? 0;
      const d = await api<Delivery>(`/api/v1/deliveries/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      setData((p) => p && { ...p, items: p.items.map((x) => (x.id === id ? d : x)) });
      await followDelivery(
        id,
        before,
        (fresh) => {
          setDetails((m) => new Map(m).set(id, fresh));
          setData((p) => p && { ...p, items: p.items.map((x) => (x.id === id ? summary(fresh) : x)) });
        },
        () => !alive.current,
      );
    } catch (err) {
      if (alive.current) setError(messageOf(err));
    } finally {
      if (alive.current) setRetrying(null);
    }
  };

  const go = (next: { status?: string; offset?: number }) => {
    const q = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '' || v === 0) q.delete(k);
      else q.set(k, String(v));
    }
    const s = q.toString();
    navigate(href('/endpoints', endpointId) + (s ? `?${s}` : ''), { replace: true });
  };

  const page = list.data;
  return (
    <div data-testid="deliveries">
      <div className="filters filters-inline">
        <div className="field">
          <label htmlFor="delivery-status">Status</label>
          <select id="delivery-status" data-testid="delivery-status-filter" value={status} onChange={(e) => go({ status: e.target.value, offset: 0 })}>
            <option value="">All statuses</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBanner message={error ?? list.error} onDismiss={() => setError(null)} />
      {page === null ? (
        list.loading && (
          <p className="muted" role="status">
            Loading deliveries…
          </p>
        )
      ) : page.items.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries` : offset ? 'This page is past the end of the list' : 'No deliveries yet'}>
          <p>
            {status || offset
              ? 'Try another status or the first page.'
              : 'Each event this endpoint subscribes to becomes a delivery here, live. Send a test event or publish one with POST /api/v1/events.'}
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-cards" data-testid="delivery-table">
              <caption className="visually-hidden">Deliveries to this endpoint, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Last answer</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((d) => {
                  const open = expanded.has(d.id);
                  const detail = details.get(d.id);
                  return (
                    <Fragment key={d.id}>
                      <tr data-testid="delivery-row" data-id={d.id} data-status={d.status}>
                        <td data-label="Created">
                          <Time iso={d.created_at} />
                        </td>
                        <td data-label="Event" className="wrap">
                          <div>
                            <span className="mono">{d.event_type}</span>
                            <span className="sub mono">{d.event_id}</span>
                          </div>
                        </td>
                        <td data-label="Status">
                          <div>
                            <StatusBadge status={d.status === 'pending' && d.attempts > 0 ? 'retrying' : d.status} />
                            {d.status === 'pending' && d.next_attempt_at && (
                              <span className="sub">
                                next <Time iso={d.next_attempt_at} />
                              </span>
                            )}
                          </div>
                        </td>
                        <td data-label="Attempts" className="num">
                          {d.attempts}
                        </td>
                        <td data-label="Last answer" className="wrap" data-testid="delivery-last">
                          {d.last_error ?? (d.last_status_code !== null ? `HTTP ${d.last_status_code}` : '—')}
                        </td>
                        <td data-label="" className="actions">
                          <button type="button" className="button button-small" aria-expanded={open} data-testid="delivery-expand" onClick={() => toggle(d.id)}>
                            {open ? 'Hide attempts' : 'Attempts'}
                          </button>{' '}
                          <Link className="button button-small" href={href('/endpoints', endpointId, 'deliveries', d.id)} data-testid="delivery-open">
                            Open
                          </Link>{' '}
                          <span title={canWrite ? 'Send the identical payload again now' : READ_ONLY}>
                            <button
                              type="button"
                              className="button button-small"
                              data-testid="delivery-retry"
                              disabled={!canWrite || retrying === d.id}
                              title={canWrite ? 'Send the identical payload again now' : READ_ONLY}
                              onClick={() => void retry(d.id)}
                            >
                              {retrying === d.id ? 'Retrying…' : 'Retry'}
                            </button>
                          </span>
                        </td>
                      </tr>
                      {open && (
                        <tr className="expand-row" data-testid="delivery-attempts" data-id={d.id}>
                          <td colSpan={6} data-label="">
                            {detail ? <EndpointAttempts history={detail.history} /> : <p className="muted">Loading attempts…</p>}
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIMIT} onPage={(o) => go({ offset: o })} />
        </>
      )}
    </div>
  );
}
