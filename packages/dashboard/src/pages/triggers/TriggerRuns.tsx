// The latest runs one trigger started (GET /api/v1/runs?trigger_id=); it follows the live
// stream so a "Run now" shows up and finishes in place.
import { useEffect, useMemo } from 'react';
import { query, type Page } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { LiveDot } from '../../components/LiveDot.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useLive } from '../../hooks/useLive.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link } from '../../router.js';
import type { TriggerRun } from './types.js';

const SHOW = 10;

interface Props {
  agentId: string;
  triggerType: 'webhook' | 'schedule';
  triggerId: string;
  /** Changes whenever the page started a run, to load again at once. */
  refreshKey?: string | null;
}

export function TriggerRuns({ agentId, triggerType, triggerId, refreshKey }: Props) {
  const runs = useResource<Page<TriggerRun>>(`/api/v1/runs${query({ agent_id: agentId, trigger_id: triggerId, limit: SHOW })}`);
  const filter = useMemo(() => ({ topics: ['run.*'], agent_id: agentId }), [agentId]);
  const { reload } = runs;
  useLive(filter, () => void reload());
  useEffect(() => {
    if (refreshKey) void reload();
  }, [refreshKey, reload]);
  const mine = runs.data?.items ?? [];

  return (
    <section className="section" aria-labelledby="trigger-runs-title" data-testid="trigger-runs">
      <div className="section-head">
        <h2 id="trigger-runs-title">Recent runs</h2>
        <LiveDot />
      </div>
      <p className="field-hint">
        {runs.data && runs.data.total > SHOW ? `The latest ${SHOW} of ${runs.data.total} runs this trigger started.` : 'The runs this trigger started.'} Agent{' '}
        <Link href={href('/agents', agentId)}>{agentId}</Link>'s page has all of its runs.
      </p>
      <ErrorBanner message={runs.error} />
      {runs.data === null ? (
        runs.loading && (
          <p className="muted" role="status">
            Loading runs…
          </p>
        )
      ) : mine.length === 0 ? (
        <EmptyState title="No runs yet">
          <p>
            {triggerType === 'schedule'
              ? 'Runs appear here when the schedule ticks, or when you press Run now.'
              : 'Runs appear here when a correctly signed request reaches the trigger URL.'}
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {mine.map((r) => (
                <tr key={r.id} data-testid="trigger-run-row" data-id={r.id} data-status={r.status}>
                  <td data-label="Run" className="mono wrap">
                    <Link href={href('/runs', r.id)}>{r.id}</Link>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={r.status} />
                  </td>
                  <td data-label="Started">
                    <Time iso={r.started_at ?? r.created_at} />
                  </td>
                  <td data-label="Finished">
                    <Time iso={r.finished_at} />
                  </td>
                  <td data-label="Error" className="wrap">
                    {r.error ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
