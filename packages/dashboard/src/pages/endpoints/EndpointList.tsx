// Every endpoint with its health: enabled or why not, consecutive failures, and (when the
// server has GET /api/v1/stats/overview) the last 24 hours' success rate. Paged in the URL.
import type { EndpointHealth } from '@hookline/sdk';
import { query, type Endpoint, type Page } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { Pagination } from '../../components/Pagination.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to, useLocation } from '../../router.js';

const LIMIT = 25;

function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** "97.5 %" or "—" when nothing was delivered in the window. */
function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(Math.round(rate * 1000) / 10).toString()} %`;
}

export function EndpointList() {
  const canWrite = useCanWrite();
  const { search } = useLocation();
  const offset = offsetFrom(search.get('offset'));
  const list = useResource<Page<Endpoint>>(`/api/v1/webhooks/endpoints${query({ limit: LIMIT, offset })}`);
  // Health numbers are optional: without the stats route (or on its error) the column is left out.
  const stats = useResource<{ endpoints?: EndpointHealth[] }>('/api/v1/stats/overview?hours=24');
  const health = stats.data?.endpoints ? new Map(stats.data.endpoints.map((e) => [e.id, e])) : null;

  const newButton = canWrite ? (
    <Link className="button button-primary" href={to('/endpoints/new')} data-testid="endpoint-new">
      New endpoint
    </Link>
  ) : (
    <span title="Your API key is read-only. Sign in with an admin key to create endpoints.">
      <button type="button" className="button button-primary" disabled data-testid="endpoint-new">
        New endpoint
      </button>
    </span>
  );

  const page = list.data;
  return (
    <section className="area-endpoints" aria-labelledby="endpoints-title">
      <PageHead
        id="endpoints-title"
        title="Endpoints"
        description="URLs Hookline signs and POSTs events to, with retries, and how each is doing."
        actions={newButton}
      />
      <ReadOnlyNote what="create or change endpoints" />
      <ErrorBanner message={list.error} />
      <div aria-busy={list.loading}>
        {page === null ? (
          list.loading && (
            <p className="muted" role="status">
              Loading endpoints…
            </p>
          )
        ) : page.items.length === 0 && page.total > 0 ? (
          <EmptyState title="This page is past the end of the list">
            <p>There are {page.total} endpoints.</p>
            <Link className="button" href={to('/endpoints')}>
              Go to the first page
            </Link>
          </EmptyState>
        ) : page.items.length === 0 ? (
          <EmptyState title="No endpoints yet">
            <p>
              An endpoint is a URL of yours that Hookline POSTs events to: run events (<code>run.completed</code>, <code>run.failed</code>…) and anything you
              publish with <code>POST /api/v1/events</code>. Like Svix-style webhooks, every request is signed (Standard Webhooks by default), retried on
              failure (30 s, 2 min, 10 min, 1 h, 4 h) and logged with each attempt.
            </p>
            <p>
              Create one with the URL of your receiver and the event types it wants; copy the signing secret shown once, and verify each request with it. Then
              send a test event from the endpoint's page.
            </p>
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table table-cards" data-testid="endpoint-table">
                <caption className="visually-hidden">Endpoints, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Endpoint</th>
                    <th scope="col">Events</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Consecutive failures
                    </th>
                    {health && (
                      <th scope="col" className="num">
                        Success (24 h)
                      </th>
                    )}
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((ep) => {
                    const h = health?.get(ep.id);
                    return (
                      <tr key={ep.id} data-testid="endpoint-row" data-id={ep.id}>
                        <td data-label="Endpoint" className="wrap">
                          <div>
                            <Link href={href('/endpoints', ep.id)} className="mono">
                              {ep.url}
                            </Link>
                            {ep.description && <span className="sub">{ep.description}</span>}
                          </div>
                        </td>
                        <td data-label="Events" className="wrap mono">
                          {ep.events.join(', ')}
                        </td>
                        <td data-label="Status">
                          <div>
                            <StatusBadge status={ep.enabled ? 'enabled' : 'disabled'} />
                            {ep.disabled_reason && <span className="sub">{ep.disabled_reason}</span>}
                          </div>
                        </td>
                        <td data-label="Consecutive failures" className="num" data-testid="endpoint-failures">
                          {ep.consecutive_failures}
                        </td>
                        {health && (
                          <td data-label="Success (24 h)" className="num" data-testid="endpoint-success">
                            <span title={h ? `${h.delivered} delivered, ${h.failed} failed in the last 24 hours` : 'No deliveries in the last 24 hours'}>
                              {percent(h?.success_rate)}
                            </span>
                          </td>
                        )}
                        <td data-label="Created">
                          <Time iso={ep.created_at} />
                        </td>
                      </tr>
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
              onPage={(o) => navigate(to('/endpoints') + query({ offset: o || undefined }))}
            />
          </>
        )}
      </div>
    </section>
  );
}
