// The Notifications page: every notification Hookline sent (or tried to), filterable, paged,
// with Retry on failed ones. Filters and the page offset live in the URL.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, isAbort, messageOf, query, type NotificationRecord, type Page } from '../api.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { NO_FILTERS, NotificationFilters, type NotificationFilterValues } from '../components/NotificationFilters.js';
import { NotificationTable } from '../components/NotificationTable.js';
import { Pagination } from '../components/Pagination.js';
import { navigate, to, useLocation } from '../router.js';
import { useSignedIn } from '../session.js';
import { useLiveNotificationRecords } from '../hooks/useLiveRecords.js';
import { useRetry } from '../hooks/useRetry.js';
import { LiveDot } from '../components/LiveDot.js';

const LIMIT = 50;

function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function Notifications() {
  const { key } = useSignedIn();
  const { search } = useLocation();
  const [status, channel, agentId, executionId] = ['status', 'channel', 'agent_id', 'execution_id'].map((k) => search.get(k) ?? '') as [
    string,
    string,
    string,
    string,
  ];
  // Memoised on the strings, so the list reloads only when a filter really changed.
  const filters = useMemo<NotificationFilterValues>(
    () => ({ status, channel, agent_id: agentId, execution_id: executionId }),
    [status, channel, agentId, executionId],
  );
  const offset = offsetFrom(search.get('offset'));

  const [page, setPage] = useState<Page<NotificationRecord> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Notifications · Hookline';
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    api<Page<NotificationRecord>>(`/api/v1/notifications${query({ ...filters, limit: LIMIT, offset })}`, { signal: ctl.signal })
      .then((p) => {
        setPage(p);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(messageOf(err));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [filters, offset]);

  const replaceRecord = useCallback((record: NotificationRecord) => {
    setPage((p) => p && { ...p, items: p.items.map((n) => (n.id === record.id ? record : n)) });
  }, []);
  const retrying = useRetry(replaceRecord, setError);
  // Retries by anyone (another tab, the API, the scheduler's own retries) show up in place.
  useLiveNotificationRecords(page?.items, replaceRecord);
  // A new retry clears the last error, so the banner always speaks of the latest attempt.
  const retry = {
    ...retrying,
    retry: (id: string) => {
      setError(null);
      return retrying.retry(id);
    },
  };

  const go = (next: NotificationFilterValues, nextOffset = 0) => {
    navigate(to('/notifications') + query({ ...next, offset: nextOffset || undefined }));
  };

  const canWrite = key.role === 'admin';
  const filtered = Object.values(filters).some(Boolean);

  return (
    <section aria-labelledby="notifications-title">
      <div className="page-head">
        <h1 id="notifications-title">
          Notifications <LiveDot />
        </h1>
        <p className="muted">Every Slack message, webhook, post-action, callback and endpoint delivery a run caused, newest first.</p>
      </div>
      {!canWrite && (
        <p className="note-banner" id="read-only-note">
          Your API key is read-only: you can see every notification but not retry one. Sign in with an admin key to retry.
        </p>
      )}
      <NotificationFilters value={filters} onChange={(next) => go(next)} />
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <div aria-busy={loading} aria-live="polite">
        {page === null ? (
          loading && (
            <p className="muted" role="status">
              Loading notifications…
            </p>
          )
        ) : page.items.length === 0 && page.total > 0 ? (
          <div className="empty">
            <h2>This page is past the end of the list</h2>
            <p>There are {page.total} notifications for this view.</p>
            <button type="button" className="button" onClick={() => go(filters)}>
              Go to the first page
            </button>
          </div>
        ) : page.items.length === 0 ? (
          <EmptyState filtered={filtered} onClear={() => go(NO_FILTERS)} />
        ) : (
          <>
            <NotificationTable items={page.items} canWrite={canWrite} retry={retry} />
            <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIMIT} onPage={(o) => go(filters, o)} />
          </>
        )}
      </div>
    </section>
  );
}

function EmptyState({ filtered, onClear }: { filtered: boolean; onClear(): void }) {
  if (filtered) {
    return (
      <div className="empty" data-testid="empty-state">
        <h2>No notifications match these filters</h2>
        <p>Try another status or channel, or check the agent and run id.</p>
        <button type="button" className="button" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty" data-testid="empty-state">
      <h2>No notifications yet</h2>
      <p>
        A notification is recorded each time a finished run is announced somewhere: to Slack or a webhook by an agent's notification rules (the{' '}
        <code>notifications:</code> section of its AGENT.md, or the gateway's defaults), to a post-action bound to its trigger, to the run's callback URL, or to
        your endpoints.
      </p>
      <p>Run an agent that has notification rules and its deliveries appear here, with Retry for the ones that fail.</p>
    </div>
  );
}
