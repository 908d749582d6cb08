// The agents, grouped by crew: what runs each one and where it is defined, with a link to
// its page (trigger URL, schedules, callback, rules, runs). Paged; the crew can be picked.
import { useEffect, useState } from 'react';
import { api, messageOf, query, type Agent, type Crew, type Page } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { Pagination } from '../../components/Pagination.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to, useLocation } from '../../router.js';

const LIMIT = 50;

function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** How many agents each crew has (one limit=1 request per crew: `total` is the count). */
function useCrewCounts(crews: Crew[] | undefined): { counts: Map<string, number>; error: string | null } {
  const [counts, setCounts] = useState(new Map<string, number>());
  const [error, setError] = useState<string | null>(null);
  const ids = crews?.map((c) => c.id).join(',') ?? '';
  useEffect(() => {
    if (!ids) return;
    let cancelled = false;
    Promise.all(ids.split(',').map((id) => api<Page<unknown>>(`/api/v1/agents${query({ crew_id: id, limit: 1 })}`).then((p) => [id, p.total] as const)))
      .then((pairs) => cancelled || setCounts(new Map(pairs)))
      .catch((err: unknown) => cancelled || setError(messageOf(err)));
    return () => {
      cancelled = true;
    };
  }, [ids]);
  return { counts, error };
}

export function AgentsList() {
  const { search } = useLocation();
  const crewId = search.get('crew_id') ?? '';
  const offset = offsetFrom(search.get('offset'));
  const crews = useResource<{ items: Crew[] }>('/api/v1/crews');
  const agents = useResource<Page<Agent>>(`/api/v1/agents${query({ crew_id: crewId, limit: LIMIT, offset: offset || undefined })}`);
  const { counts, error: countError } = useCrewCounts(crews.data?.items);
  const go = (crew: string, o = 0) => navigate(to('/agents') + query({ crew_id: crew, offset: o || undefined }));

  const crewName = new Map((crews.data?.items ?? []).map((c) => [c.id, c.name]));
  const page = agents.data;
  // The API lists agents by crew, so each crew's agents on this page are together.
  const groups: { crew: string; items: Agent[] }[] = [];
  for (const a of page?.items ?? []) {
    const last = groups[groups.length - 1];
    if (last && last.crew === a.crew_id) last.items.push(a);
    else groups.push({ crew: a.crew_id, items: [a] });
  }
  const emptyCrews = (crews.data?.items ?? []).filter((c) => counts.get(c.id) === 0 && (!crewId || c.id === crewId));

  return (
    <section aria-labelledby="agents-title">
      <PageHead
        id="agents-title"
        title="Agents"
        description="Each agent belongs to a crew. Open one for its trigger URL, schedules, callback, notification rules and runs."
      />
      {(crews.data?.items.length ?? 0) > 1 && (
        <form className="filters agents-filters" role="search" aria-label="Filter agents" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="agents-filter-crew">Crew</label>
            <select id="agents-filter-crew" data-testid="agents-filter-crew" value={crewId} onChange={(e) => go(e.target.value)}>
              <option value="">All crews</option>
              {crews.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.id})
                </option>
              ))}
            </select>
          </div>
        </form>
      )}
      <ErrorBanner message={agents.error ?? crews.error ?? countError} />
      {page === null ? (
        agents.loading && (
          <p className="muted" role="status">
            Loading agents…
          </p>
        )
      ) : page.total === 0 && !crewId ? (
        <NoAgents />
      ) : (
        <>
          {groups.map((g) => (
            <section key={g.crew} className="section" aria-labelledby={`crew-${g.crew}`} data-testid="crew-group" data-crew={g.crew}>
              <div className="section-head">
                <h2 id={`crew-${g.crew}`}>
                  {crewName.get(g.crew) ?? g.crew} <span className="muted mono">{g.crew}</span>
                </h2>
                <span className="muted">
                  {counts.has(g.crew) && `${counts.get(g.crew)} ${counts.get(g.crew) === 1 ? 'agent' : 'agents'} · `}
                  <Link href={to('/runs') + query({ crew_id: g.crew })}>runs</Link>
                </span>
              </div>
              <AgentTable agents={g.items} />
            </section>
          ))}
          {emptyCrews.length > 0 && offset + page.items.length >= page.total && (
            <p className="muted" data-testid="empty-crews">
              {emptyCrews.length === 1 ? 'Crew without agents: ' : 'Crews without agents: '}
              {emptyCrews.map((c, i) => (
                <span key={c.id}>
                  {i > 0 && ', '}
                  {c.name} (<span className="mono">{c.id}</span>)
                </span>
              ))}
              . Add an agent to one with <code>crew: {emptyCrews[0]!.id}</code> in an AGENT.md, or with <code>POST /api/v1/agents</code>.
            </p>
          )}
          {page.total > LIMIT && <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIMIT} onPage={(o) => go(crewId, o)} />}
        </>
      )}
    </section>
  );
}

function AgentTable({ agents }: { agents: Agent[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-cards agents-table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Runner</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Max runs
            </th>
            <th scope="col">Defined by</th>
            <th scope="col">
              <span className="visually-hidden">Links</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id} data-testid="agent-row" data-id={a.id}>
              <td data-label="Agent">
                <div>
                  <Link href={href('/agents', a.id)} data-testid="agent-link">
                    {a.name}
                  </Link>
                  <span className="sub mono">{a.id}</span>
                </div>
              </td>
              <td data-label="Runner">
                <div>
                  <span data-testid="agent-runner">{a.runner}</span>
                  <span className="sub mono wrap">{runnerSummary(a)}</span>
                </div>
              </td>
              <td data-label="Model">{a.model ?? <span className="muted">—</span>}</td>
              <td data-label="Max runs" className="num" title="Runs at once; more wait in the queue">
                {a.max_concurrent_runs}
              </td>
              <td data-label="Defined by">{a.source === 'file' ? <span title={a.source_path ?? undefined}>AGENT.md</span> : 'API'}</td>
              <td data-label="" className="actions">
                <Link href={to('/runs') + query({ agent_id: a.id })}>Runs</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the runner calls: the command, the URL, or the API root. */
function runnerSummary(a: Agent): string {
  const c = a.runner_config;
  if ('command' in c) return c.command;
  if ('url' in c) return c.url;
  return c.base_url;
}

function NoAgents() {
  return (
    <EmptyState title="No agents yet">
      <p>An agent is what Hookline runs when something triggers it. Add one either way:</p>
      <ul>
        <li>
          Write an <code>AGENT.md</code> (YAML front matter with <code>name</code>, <code>crew</code>, <code>runner</code> and <code>runner_config</code>, then
          the prompt) in a folder of the agents directory (<code>agents.dir</code>, default <code>./agents</code>, e.g. <code>agents/reviewer/AGENT.md</code>),
          then reload: <code>SIGHUP</code> or <code>POST /api/v1/agents/reload</code>. See <code>docs/agent-files.md</code>.
        </li>
        <li>
          Or create a crew and an agent through the API: <code>POST /api/v1/crews</code>, then <code>POST /api/v1/agents</code>. See{' '}
          <code>docs/agents-and-triggers.md</code> and the <a href="/docs">API reference</a>.
        </li>
      </ul>
    </EmptyState>
  );
}
