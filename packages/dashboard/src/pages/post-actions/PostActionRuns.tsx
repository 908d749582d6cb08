// The run history of one post-action: every firing with what was sent, what came back and
// how long it took. It refreshes itself when runs end (live stream) and while a firing is
// still pending, so a delivery shows up without reloading the page.
import { useEffect } from 'react';
import { query, type Page } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { LiveDot } from '../../components/LiveDot.js';
import { Pagination } from '../../components/Pagination.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useLive } from '../../hooks/useLive.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link } from '../../router.js';
import type { PostActionRun } from './types.js';

const LIMIT = 20;
const PENDING_POLL_MS = 1000;
const RUN_ENDS = { topics: ['run.completed', 'run.failed', 'run.timeout'] };

function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function PostActionRuns({ postActionId, offset, onPage }: { postActionId: string; offset: number; onPage(offset: number): void }) {
  const runs = useResource<Page<PostActionRun>>(`/api/v1/post-actions/${encodeURIComponent(postActionId)}/runs${query({ limit: LIMIT, offset })}`);
  const { reload } = runs;
  useLive(RUN_ENDS, () => void reload());
  const pending = runs.data?.items.some((r) => r.status === 'pending') ?? false;
  useEffect(() => {
    if (!pending || runs.loading) return;
    const t = window.setTimeout(() => void reload(), PENDING_POLL_MS);
    return () => window.clearTimeout(t);
  }, [pending, runs.loading, runs.data, reload]);

  const page = runs.data;
  return (
    <section className="section" aria-labelledby="pa-runs-title" data-testid="pa-runs">
      <div className="section-head">
        <h2 id="pa-runs-title">Run history</h2>
        <span className="tpa-row-actions">
          <LiveDot />
          <button type="button" className="button button-small" onClick={() => void reload()} disabled={runs.loading}>
            Refresh
          </button>
        </span>
      </div>
      <ErrorBanner message={runs.error} />
      {page === null ? (
        runs.loading && (
          <p className="muted" role="status">
            Loading run history…
          </p>
        )
      ) : page.items.length === 0 ? (
        <EmptyState title={page.total > 0 ? 'This page is past the end of the history' : 'It has not fired yet'}>
          <p>Each time a run started by a bound trigger ends (and its binding's "fire when" matches), the request it sent and the answer it got appear here.</p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-cards">
              <caption className="visually-hidden">Firings, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Status</th>
                  <th scope="col">Request</th>
                  <th scope="col">Response (first 4 KB)</th>
                  <th scope="col">Error</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Run</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.id} data-testid="pa-run-row" data-id={r.id} data-status={r.status} data-http={r.http_status_code ?? ''}>
                    <td data-label="Time">
                      <Time iso={r.created_at} />
                    </td>
                    <td data-label="Status">
                      <div>
                        <StatusBadge status={r.status} {...(r.finished_at ? { title: `settled ${r.finished_at}` } : {})} />
                        <span className="sub mono">{r.http_status_code === null ? 'no HTTP answer' : `HTTP ${r.http_status_code}`}</span>
                      </div>
                    </td>
                    <td data-label="Request" className="wrap mono">
                      {r.request ? `${r.request.method} ${r.request.url}` : '—'}
                    </td>
                    <td data-label="Response" className="pa-response">
                      {r.response_body ? <pre className="pre pa-response-body">{r.response_body}</pre> : <span className="muted">—</span>}
                    </td>
                    <td data-label="Error" className="wrap">
                      {r.error ?? '—'}
                    </td>
                    <td data-label="Duration" className="num">
                      {duration(r.duration_ms)}
                    </td>
                    <td data-label="Attempts" className="num">
                      {r.attempts}
                    </td>
                    <td data-label="Run" className="mono wrap">
                      {r.run_id ? <Link href={href('/runs', r.run_id)}>{r.run_id}</Link> : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIMIT} onPage={onPage} />
        </>
      )}
    </section>
  );
}
