// Every run, newest first: filter by status, trigger, crew, agent and time; page through;
// on the first page, runs appear and change as they happen (run.* on the live stream).
import { useMemo } from 'react';
import { query, type Crew, type Page, type Run } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { LiveDot } from '../../components/LiveDot.js';
import { PageHead } from '../../components/PageHead.js';
import { Pagination } from '../../components/Pagination.js';
import { NO_RUN_FILTERS, RunFilters, type RunFilterValues } from '../../components/RunFilters.js';
import { RunsTable } from '../../components/RunsTable.js';
import { useResource } from '../../hooks/useResource.js';
import { navigate, to, useLocation } from '../../router.js';
import { useLiveRunList } from './useLiveRunList.js';

const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_LIMIT = 50;

function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function limitFrom(raw: string | null): number {
  const n = Number(raw);
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_LIMIT;
}

export function RunsList() {
  const { search } = useLocation();
  const keys = ['agent_id', 'crew_id', 'trigger_type', 'status', 'since', 'until'] as const;
  const [agentId, crewId, triggerType, status, since, until] = keys.map((k) => search.get(k) ?? '') as [string, string, string, string, string, string];
  const filters = useMemo<RunFilterValues>(
    () => ({ agent_id: agentId, crew_id: crewId, trigger_type: triggerType, status, since, until }),
    [agentId, crewId, triggerType, status, since, until],
  );
  const offset = offsetFrom(search.get('offset'));
  const limit = limitFrom(search.get('limit'));

  const runs = useResource<Page<Run>>(`/api/v1/runs${query({ ...filters, limit, offset })}`);
  const crews = useResource<{ items: Crew[] }>('/api/v1/crews');
  const agents = useResource<Page<{ id: string }>>('/api/v1/agents?limit=1000');

  const go = (next: RunFilterValues, nextOffset = 0, nextLimit = limit) =>
    navigate(to('/runs') + query({ ...next, limit: nextLimit === DEFAULT_LIMIT ? undefined : nextLimit, offset: nextOffset || undefined }));

  // Live on the first page only: later pages would shift under the reader.
  useLiveRunList(runs, offset === 0 ? { ...(agentId ? { agent_id: agentId } : {}), ...(crewId ? { crew_id: crewId } : {}) } : null);

  const page = runs.data;
  const filtered = Object.values(filters).some(Boolean);
  return (
    <section aria-labelledby="runs-title">
      <PageHead
        id="runs-title"
        title="Runs"
        description="Every run of every agent, newest first."
        actions={offset === 0 ? <LiveDot /> : <span className="muted">Go to the first page to see new runs live.</span>}
      />
      <RunFilters value={filters} crews={crews.data?.items ?? []} agentIds={(agents.data?.items ?? []).map((a) => a.id)} onChange={(next) => go(next)} />
      <ErrorBanner message={runs.error} />
      <div aria-busy={runs.loading}>
        {page === null ? (
          runs.loading && (
            <p className="muted" role="status">
              Loading runs…
            </p>
          )
        ) : page.items.length === 0 && page.total > 0 ? (
          <EmptyState title="This page is past the end of the list">
            <p>There are {page.total} runs for this view.</p>
            <button type="button" className="button" onClick={() => go(filters)}>
              Go to the first page
            </button>
          </EmptyState>
        ) : page.items.length === 0 ? (
          filtered ? (
            <EmptyState title="No runs match these filters">
              <p>Try another status or trigger, a wider time range, or check the agent id.</p>
              <button type="button" className="button" onClick={() => go(NO_RUN_FILTERS)}>
                Clear filters
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No runs yet">
              <p>
                A run starts when an agent is triggered: its webhook URL (see the agent's page), a named webhook trigger, a schedule, or{' '}
                <code>POST /api/v1/agents/&#123;id&#125;/runs</code>. Runs reported with <code>POST /api/v1/runs/report</code> show here too.
              </p>
            </EmptyState>
          )
        ) : (
          <>
            <RunsTable runs={page.items} caption="Runs, newest first" />
            <div className="runs-paging">
              <div className="field runs-page-size">
                <label htmlFor="runs-page-size">Rows per page</label>
                <select id="runs-page-size" data-testid="runs-page-size" value={limit} onChange={(e) => go(filters, 0, Number(e.target.value))}>
                  {PAGE_SIZES.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
              <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={limit} onPage={(o) => go(filters, o)} />
            </div>
          </>
        )}
      </div>
    </section>
  );
}
