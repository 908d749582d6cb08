// The agent's latest runs, updated live: a new run appears and a running one changes status
// without a reload.
import { useState } from 'react';
import { query, type Page, type Run } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { LiveDot } from '../../components/LiveDot.js';
import { Pagination } from '../../components/Pagination.js';
import { RunsTable } from '../../components/RunsTable.js';
import { useResource } from '../../hooks/useResource.js';
import { Link, to } from '../../router.js';
import { useLiveRunList } from '../runs/useLiveRunList.js';

const LIMIT = 10;

export function AgentRecentRuns({ agentId }: { agentId: string }) {
  const [offset, setOffset] = useState(0);
  const runs = useResource<Page<Run>>(`/api/v1/agents/${encodeURIComponent(agentId)}/runs${query({ limit: LIMIT, offset: offset || undefined })}`);
  useLiveRunList(runs, offset === 0 ? { agent_id: agentId } : null);
  const data = runs.data;
  return (
    <section className="section" aria-labelledby="agent-runs-title" data-testid="agent-runs">
      <div className="section-head">
        <h2 id="agent-runs-title">Recent runs</h2>
        <span className="agent-actions">
          {offset === 0 && <LiveDot />}
          <Link href={to('/runs') + query({ agent_id: agentId })}>All runs of this agent</Link>
        </span>
      </div>
      <ErrorBanner message={runs.error} />
      {data && data.items.length === 0 && <p className="muted">No runs yet. Trigger it with the URL above and the run shows here as it happens.</p>}
      {data && data.items.length > 0 && (
        <>
          <RunsTable runs={data.items} showAgent={false} caption={`Runs of ${agentId}, newest first`} />
          {data.total > LIMIT && <Pagination offset={data.offset} count={data.items.length} total={data.total} limit={LIMIT} onPage={setOffset} />}
        </>
      )}
    </section>
  );
}
