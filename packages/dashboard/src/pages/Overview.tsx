// A first look: how runs went in the last 24 hours, how notifications stand, and the latest runs.
// Counts come from the list APIs' `total` with limit=1, so nothing large is downloaded.
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, NOTIFICATION_STATUSES, query, RUN_STATUSES, type NotificationStatus, type Page, type Run, type RunStatus } from '../api.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatTime } from '../format.js';
import { Link, to } from '../router.js';

interface Counts<S extends string> {
  byStatus: Record<S, number>;
  total: number;
}

interface OverviewData {
  runs: Counts<RunStatus>;
  notifications: Counts<NotificationStatus>;
  recentRuns: Run[];
  agents: number;
  crews: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

async function countBy<S extends string>(path: string, statuses: readonly S[], extra: Record<string, string> = {}): Promise<Counts<S>> {
  const totals = await Promise.all(statuses.map((status) => api<Page<unknown>>(path + query({ ...extra, status, limit: 1 })).then((p) => p.total)));
  const byStatus = Object.fromEntries(statuses.map((s, i) => [s, totals[i] ?? 0])) as Record<S, number>;
  return { byStatus, total: totals.reduce((a, b) => a + (b ?? 0), 0) };
}

async function loadOverview(): Promise<OverviewData> {
  const since = new Date(Date.now() - DAY_MS).toISOString();
  const [runs, notifications, recent, agents, crews] = await Promise.all([
    countBy('/api/v1/runs', RUN_STATUSES, { since }),
    countBy('/api/v1/notifications', NOTIFICATION_STATUSES),
    api<Page<Run>>('/api/v1/runs?limit=10'),
    api<Page<unknown>>('/api/v1/agents?limit=1'),
    api<{ items: unknown[] }>('/api/v1/crews'),
  ]);
  return { runs, notifications, recentRuns: recent.items, agents: agents.total, crews: crews.items.length };
}

export function Overview() {
  const [data, setData] = useState<OverviewData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(() => {
    setLoading(true);
    loadOverview()
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((err: unknown) => setError(messageOf(err)))
      .finally(() => setLoading(false));
  }, []);

  useEffect(() => {
    document.title = 'Overview · Hookline';
    load();
  }, [load]);

  return (
    <section aria-labelledby="overview-title">
      <div className="page-head page-head-row">
        <h1 id="overview-title">Overview</h1>
        <button type="button" className="button" onClick={load} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {data === null ? (
        loading && <p className="muted" role="status">Loading…</p>
      ) : (
        <>
          <div className="cards">
            <StatusCard title="Runs, last 24 hours" counts={data.runs} statuses={RUN_STATUSES} testid="overview-runs" />
            <StatusCard
              title="Notifications, all time"
              counts={data.notifications}
              statuses={NOTIFICATION_STATUSES}
              testid="overview-notifications"
              linkFor={(s) => to('/notifications') + query({ status: s })}
            />
            <div className="card">
              <h2>Configured</h2>
              <p className="big-number">{data.agents}</p>
              <p className="muted">
                {data.agents === 1 ? 'agent' : 'agents'} in {data.crews} {data.crews === 1 ? 'crew' : 'crews'}
              </p>
            </div>
          </div>
          <RecentRuns runs={data.recentRuns} />
        </>
      )}
    </section>
  );
}

interface StatusCardProps<S extends string> {
  title: string;
  counts: Counts<S>;
  statuses: readonly S[];
  testid: string;
  linkFor?: (status: S) => string;
}

function StatusCard<S extends string>({ title, counts, statuses, testid, linkFor }: StatusCardProps<S>) {
  const shown = statuses.filter((s) => counts.byStatus[s] > 0);
  return (
    <div className="card" data-testid={testid}>
      <h2>{title}</h2>
      <p className="big-number">{counts.total}</p>
      {counts.total > 0 && (
        // A stacked bar: each status's share of the total. The numbers below say the same in words.
        <div className="stack" aria-hidden="true">
          {shown.map((s) => (
            <span key={s} className={`stack-part badge-${s}`} style={{ flexGrow: counts.byStatus[s] }} />
          ))}
        </div>
      )}
      <ul className="counts">
        {statuses.map((s) => (
          <li key={s} data-status={s}>
            <StatusBadge status={s} />{' '}
            {linkFor && counts.byStatus[s] > 0 ? <Link href={linkFor(s)}>{counts.byStatus[s]}</Link> : <span>{counts.byStatus[s]}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RecentRuns({ runs }: { runs: Run[] }) {
  return (
    <div className="card card-wide">
      <h2>Latest runs</h2>
      {runs.length === 0 ? (
        <p className="muted">No runs yet. Trigger an agent (its webhook URL, a schedule, or <code>POST /api/v1/agents/&#123;id&#125;/runs</code>) and its runs show here.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Agent</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid="run-row" data-id={r.id} data-status={r.status}>
                  <td data-label="Started">{formatTime(r.created_at)}</td>
                  <td data-label="Agent" className="mono">
                    {r.agent_id}
                  </td>
                  <td data-label="Trigger">{r.trigger_type}</td>
                  <td data-label="Status">
                    <StatusBadge status={r.status} />
                  </td>
                  <td data-label="Finished">{formatTime(r.finished_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
