// The rows of the notification log. On narrow screens CSS turns each row into a card,
// using each cell's data-label as its caption.
import type { NotificationRecord } from '../api.js';
import { formatTime } from '../format.js';
import type { RetryState } from '../hooks/useRetry.js';
import { StatusBadge } from './StatusBadge.js';

const READ_ONLY_HINT = 'Your API key is read-only. Sign in with an admin key to retry notifications.';

interface Props {
  items: NotificationRecord[];
  canWrite: boolean;
  retry: RetryState;
}

export function NotificationTable({ items, canWrite, retry }: Props) {
  return (
    <div className="table-wrap">
      <table className="table table-cards">
        <caption className="visually-hidden">Notifications, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Agent</th>
            <th scope="col">Event</th>
            <th scope="col">Channel</th>
            <th scope="col">Target</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Last error</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((n) => (
            <Row key={n.id} n={n} canWrite={canWrite} retry={retry} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ n, canWrite, retry }: { n: NotificationRecord; canWrite: boolean; retry: RetryState }) {
  const busy = retry.busy.has(n.id);
  const note = retry.notes.get(n.id);
  const deliveredTitle = n.delivered_at ? `Delivered ${formatTime(n.delivered_at)}` : undefined;
  return (
    <tr data-testid="notification-row" data-id={n.id} data-status={n.status}>
      <td data-label="Time">
        <time dateTime={n.created_at}>{formatTime(n.created_at)}</time>
      </td>
      <td data-label="Agent">
        <div>
          <span className="mono">{n.agent_id || '—'}</span>
          <span className="sub mono" title="Execution (run) id">
            run {n.execution_id || '—'}
          </span>
        </div>
      </td>
      <td data-label="Event" className="mono">
        {n.event_type}
      </td>
      <td data-label="Channel">{n.channel}</td>
      <td data-label="Target" className="wrap mono">
        {n.target || '—'}
      </td>
      <td data-label="Status">
        <StatusBadge status={n.status} {...(deliveredTitle ? { title: deliveredTitle } : {})} />
      </td>
      <td data-label="Attempts" className="num">
        {n.attempts}
      </td>
      <td data-label="Last error" className="wrap last-error">
        <div>
          {n.last_error ?? '—'}
          {note && <span className="sub note">{note}</span>}
        </div>
      </td>
      <td data-label="" className="actions">
        {busy ? (
          <span className="retrying" role="status">
            Retrying…
          </span>
        ) : (
          n.status === 'failed' && <RetryButton id={n.id} canWrite={canWrite} onRetry={retry.retry} />
        )}
      </td>
    </tr>
  );
}

function RetryButton({ id, canWrite, onRetry }: { id: string; canWrite: boolean; onRetry(id: string): Promise<void> }) {
  // A disabled button gets no pointer events in some browsers, so the tooltip sits on a wrapper too.
  const hint = canWrite ? 'Send this notification again now, with the same content' : READ_ONLY_HINT;
  return (
    <span title={hint} className="retry-wrap">
      <button
        type="button"
        className="button button-small"
        data-testid="retry-button"
        disabled={!canWrite}
        title={hint}
        aria-describedby={canWrite ? undefined : 'read-only-note'}
        onClick={() => void onRetry(id)}
      >
        Retry
      </button>
    </span>
  );
}
