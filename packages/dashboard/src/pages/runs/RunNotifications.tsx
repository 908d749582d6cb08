// Every notification a run caused (its callback, Slack messages, webhooks, post-actions,
// endpoint deliveries), with Retry working here as on the Notifications page.
import { useCallback, useEffect, useState } from 'react';
import { query, type NotificationRecord, type Page } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { NotificationTable } from '../../components/NotificationTable.js';
import { Pagination } from '../../components/Pagination.js';
import { useCanWrite } from '../../components/ReadOnlyNote.js';
import { useResource } from '../../hooks/useResource.js';
import { useLiveNotificationRecords } from '../../hooks/useLiveRecords.js';
import { useRetry } from '../../hooks/useRetry.js';
import { Link, to } from '../../router.js';

const LIMIT = 20;

/** `ended` flips to true when the run ends: that is when its notifications are written. */
export function RunNotifications({ runId, ended }: { runId: string; ended: boolean }) {
  const canWrite = useCanWrite();
  const [offset, setOffset] = useState(0);
  const { data, error, loading, reload, setData } = useResource<Page<NotificationRecord>>(
    `/api/v1/notifications${query({ execution_id: runId, limit: LIMIT, offset: offset || undefined })}`,
  );
  const [actionError, setActionError] = useState<string | null>(null);

  // They are written when the run ends; from then on each one's attempts arrive live.
  useEffect(() => {
    if (ended) void reload();
  }, [ended, reload]);

  const replace = useCallback(
    (record: NotificationRecord) => setData((p) => p && { ...p, items: p.items.map((n) => (n.id === record.id ? record : n)) }),
    [setData],
  );
  useLiveNotificationRecords(data?.items, replace);
  const retrying = useRetry(replace, setActionError);
  const retry = { ...retrying, retry: (id: string) => (setActionError(null), retrying.retry(id)) };

  return (
    <section className="section" aria-labelledby="run-notifications-title" data-testid="run-notifications">
      <div className="section-head">
        <h2 id="run-notifications-title">Notifications</h2>
        <button type="button" className="button button-small" onClick={() => void reload()} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ErrorBanner message={actionError ?? error} onDismiss={() => setActionError(null)} />
      {data === null ? (
        loading && <p className="muted">Loading notifications…</p>
      ) : data.items.length === 0 ? (
        <p className="muted" data-testid="run-notifications-empty">
          {ended
            ? 'This run caused no notifications: its agent has no callback, no notification rule or default channel applied, and no endpoint or post-action took its event.'
            : 'Notifications are written when the run ends.'}{' '}
          All of them are on the <Link href={to('/notifications') + query({ execution_id: runId })}>Notifications</Link> page too.
        </p>
      ) : (
        <>
          <NotificationTable items={data.items} canWrite={canWrite} retry={retry} />
          {data.total > LIMIT && <Pagination offset={data.offset} count={data.items.length} total={data.total} limit={LIMIT} onPage={setOffset} />}
        </>
      )}
    </section>
  );
}
