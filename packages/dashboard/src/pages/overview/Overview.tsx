// A first look: runs and deliveries over a window as charts, delivery latency, the queue now,
// what is failing, and the latest runs. One stats call (GET /api/v1/stats/overview) feeds the
// charts; the page refreshes itself when runs or deliveries happen (live stream, throttled).
import { useEffect, useRef } from 'react';
import { query, type Page, type Run } from '../../api.js';
import { Lines } from '../../components/charts/Lines.js';
import { StackedBars } from '../../components/charts/StackedBars.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { LiveDot } from '../../components/LiveDot.js';
import { PageHead } from '../../components/PageHead.js';
import { RunsTable } from '../../components/RunsTable.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useLive } from '../../hooks/useLive.js';
import { useResource } from '../../hooks/useResource.js';
import { Link, navigate, to, useLocation } from '../../router.js';
import { NeedsAttention } from './NeedsAttention.js';
import { WINDOWS, type OverviewStats } from './types.js';

/** At most one refresh per this long, however busy the stream is. */
const REFRESH_EVERY_MS = 3000;

function hoursFrom(raw: string | null): number {
  const n = Number(raw);
  return WINDOWS.some((w) => w.hours === n) ? n : 24;
}

function ms(v: number | null): string {
  if (v === null) return '—';
  return v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

function age(iso: string | null): string {
  if (!iso) return 'none';
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

export function Overview() {
  const { search } = useLocation();
  const hours = hoursFrom(search.get('hours'));
  const stats = useResource<OverviewStats>(`/api/v1/stats/overview${query({ hours })}`);
  const recent = useResource<Page<Run>>('/api/v1/runs?limit=10');

  // Live: any run or delivery change schedules one refresh of both.
  const timer = useRef<number | undefined>(undefined);
  const { reload: reloadStats } = stats;
  const { reload: reloadRecent } = recent;
  useLive({ topics: ['run.*', 'delivery.*'] }, () => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      void reloadStats();
      void reloadRecent();
    }, REFRESH_EVERY_MS);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const s = stats.data;
  const windowLabel = WINDOWS.find((w) => w.hours === hours)?.label ?? `${hours} hours`;
  return (
    <section aria-labelledby="overview-title">
      <PageHead
        id="overview-title"
        title="Overview"
        description={<>Runs and deliveries over the last {windowLabel}, and what needs attention now.</>}
        actions={
          <>
            <LiveDot />
            <label className="visually-hidden" htmlFor="overview-window">
              Window
            </label>
            <select
              id="overview-window"
              data-testid="overview-window"
              value={hours}
              onChange={(e) => navigate(to('/') + query({ hours: e.target.value === '24' ? undefined : e.target.value }))}
            >
              {WINDOWS.map((w) => (
                <option key={w.hours} value={w.hours}>
                  Last {w.label}
                </option>
              ))}
            </select>
          </>
        }
      />
      <ErrorBanner message={stats.error ?? recent.error} />
      {s === null ? (
        stats.loading && (
          <p className="muted" role="status">
            Loading…
          </p>
        )
      ) : (
        <>
          <div className="cards cards-charts">
            <div className="card" data-testid="overview-runs">
              <h2>Runs</h2>
              <Totals
                items={[
                  ['completed', s.runs.totals.completed],
                  ['failed', s.runs.totals.failed],
                  ['timeout', s.runs.totals.timeout],
                  ['cancelled', s.runs.totals.cancelled],
                ]}
                linkFor={(st) => to('/runs') + query({ status: st })}
              />
              <StackedBars
                title={`Runs per ${s.bucket_seconds >= 3600 ? 'hour' : 'bucket'} by outcome`}
                testId="chart-runs"
                buckets={s.runs.buckets}
                series={[
                  { key: 'completed', label: 'completed', color: 'var(--ok)' },
                  { key: 'failed', label: 'failed', color: 'var(--bad)' },
                  { key: 'timeout', label: 'timeout', color: 'var(--wait)' },
                  { key: 'cancelled', label: 'cancelled', color: 'var(--idle)' },
                ]}
              />
            </div>
            <div className="card" data-testid="overview-deliveries">
              <h2>Deliveries</h2>
              <Totals
                items={[
                  ['delivered', s.deliveries.totals.delivered],
                  ['failed', s.deliveries.totals.failed],
                ]}
                linkFor={(st) => to('/notifications') + query({ status: st })}
              />
              <StackedBars
                title="Deliveries (endpoints and notifications) by outcome"
                testId="chart-deliveries"
                buckets={s.deliveries.buckets}
                series={[
                  { key: 'delivered', label: 'delivered', color: 'var(--ok)' },
                  { key: 'failed', label: 'failed', color: 'var(--bad)' },
                ]}
              />
            </div>
            <div className="card" data-testid="overview-latency">
              <h2>Delivery latency</h2>
              <p className="counts" data-testid="latency-percentiles">
                <span>
                  p50 <strong>{ms(s.deliveries.latency_ms.p50)}</strong>
                </span>
                <span>
                  p95 <strong>{ms(s.deliveries.latency_ms.p95)}</strong>
                </span>
                <span>
                  p99 <strong>{ms(s.deliveries.latency_ms.p99)}</strong>
                </span>
                <span className="muted">{s.deliveries.latency_ms.samples} attempts</span>
              </p>
              <Lines
                title="Delivery attempt duration percentiles"
                unit="ms"
                testId="chart-latency"
                buckets={s.deliveries.buckets}
                series={[
                  { key: 'p50_ms', label: 'p50', color: 'var(--ok)' },
                  { key: 'p95_ms', label: 'p95', color: 'var(--wait)' },
                  { key: 'p99_ms', label: 'p99', color: 'var(--bad)' },
                ]}
              />
            </div>
            <div className="card" data-testid="overview-queue">
              <h2>Queue now</h2>
              <dl className="kv kv-tight">
                <Queue label="Runs waiting" value={s.queue.runs_queued} testId="queue-runs-queued" />
                <Queue label="Runs running" value={s.queue.runs_running} testId="queue-runs-running" />
                <Queue label="Deliveries pending" value={s.queue.deliveries_pending} testId="queue-deliveries-pending" />
                <Queue label="Due now" value={s.queue.deliveries_due} testId="queue-deliveries-due" />
              </dl>
              <p className="muted">Oldest pending delivery: {age(s.queue.oldest_pending_at)}</p>
            </div>
          </div>
          <NeedsAttention endpoints={s.endpoints} postActions={s.post_actions} />
        </>
      )}
      <RecentRuns runs={recent.data?.items ?? null} />
    </section>
  );
}

function Totals<S extends string>({ items, linkFor }: { items: [S, number][]; linkFor(status: S): string }) {
  return (
    <ul className="counts">
      {items.map(([status, n]) => (
        <li key={status} data-status={status} data-count={n}>
          <StatusBadge status={status} /> {n > 0 ? <Link href={linkFor(status)}>{n}</Link> : <span>0</span>}
        </li>
      ))}
    </ul>
  );
}

function Queue({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd className="big-number" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function RecentRuns({ runs }: { runs: Run[] | null }) {
  return (
    <div className="card card-wide">
      <div className="section-head">
        <h2>Latest runs</h2>
        <Link href={to('/runs')}>All runs</Link>
      </div>
      {runs === null ? null : runs.length === 0 ? (
        <p className="muted">
          No runs yet. Trigger an agent (its webhook URL, a schedule, or <code>POST /api/v1/agents/&#123;id&#125;/runs</code>) and its runs show here.
        </p>
      ) : (
        <RunsTable runs={runs} caption="The ten latest runs" />
      )}
    </div>
  );
}
