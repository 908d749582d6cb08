// The schedules table of the Triggers page: when each fires next and last, with enable /
// disable and "Run now" in the row.
import { useEffect, useState } from 'react';
import { api, query, type Page } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Pagination } from '../../components/Pagination.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link } from '../../router.js';
import type { Agents } from './agents.js';
import type { Schedule, TriggerRun } from './types.js';

export const LIST_LIMIT = 20;
export const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change or run triggers.';

interface Props {
  offset: number;
  onPage(offset: number): void;
  agents: Agents;
  canWrite: boolean;
  /** Changes when the page created a schedule, to load again. */
  version: number;
}

export function ScheduleList({ offset, onPage, agents, canWrite, version }: Props) {
  const list = useResource<Page<Schedule>>(`/api/v1/schedules${query({ limit: LIST_LIMIT, offset })}`);
  const action = useAction();
  const [started, setStarted] = useState<Record<string, TriggerRun>>({});
  const { reload } = list;
  useEffect(() => {
    if (version) void reload();
  }, [version, reload]);

  const replace = (s: Schedule) => list.setData((p) => p && { ...p, items: p.items.map((x) => (x.id === s.id ? s : x)) });
  const toggle = async (s: Schedule) => {
    const updated = await action.run(`toggle:${s.id}`, () =>
      api<Schedule>(`/api/v1/schedules/${encodeURIComponent(s.id)}`, { method: 'PATCH', body: { enabled: !s.enabled } }),
    );
    if (updated) replace(updated);
  };
  const runNow = async (s: Schedule) => {
    const run = await action.run(`run:${s.id}`, () => api<TriggerRun>(`/api/v1/schedules/${encodeURIComponent(s.id)}/run`, { method: 'POST' }));
    if (run) setStarted((m) => ({ ...m, [s.id]: run }));
  };

  const page = list.data;
  const hint = canWrite ? undefined : READ_ONLY;
  return (
    <section className="section" aria-labelledby="schedules-title" data-testid="schedules">
      <div className="section-head">
        <h2 id="schedules-title">Schedules</h2>
        {page && <span className="muted">{page.total} in all</span>}
      </div>
      <ErrorBanner message={action.error ?? list.error} onDismiss={() => action.setError(null)} />
      {page === null ? (
        list.loading && (
          <p className="muted" role="status">
            Loading schedules…
          </p>
        )
      ) : page.items.length === 0 ? (
        <EmptyState title={page.total > 0 ? 'This page is past the end of the list' : 'No schedules yet'}>
          <p>A schedule starts runs of an agent on a cron expression, e.g. a report every weekday at 09:00. Use "New schedule" above.</p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-cards">
              <caption className="visually-hidden">Schedules</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Agent</th>
                  <th scope="col">When</th>
                  <th scope="col">Status</th>
                  <th scope="col">Next fire</th>
                  <th scope="col">Last fire</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((s) => (
                  <tr key={s.id} data-testid="schedule-row" data-id={s.id} data-enabled={String(s.enabled)}>
                    <td data-label="Name" className="wrap">
                      <div>
                        <Link href={href('/triggers/schedules', s.id)} data-testid="schedule-link">
                          {s.name}
                        </Link>
                        <span className="sub mono">{s.id}</span>
                      </div>
                    </td>
                    <td data-label="Agent">
                      <Link href={href('/agents', s.agent_id)}>{agents.names.get(s.agent_id) ?? s.agent_id}</Link>
                    </td>
                    <td data-label="When">
                      <div>
                        <code>{s.cron}</code>
                        <span className="sub">{s.timezone}</span>
                      </div>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={s.enabled ? 'enabled' : 'disabled'} />
                    </td>
                    <td data-label="Next fire">
                      <Time iso={s.next_run_at} />
                    </td>
                    <td data-label="Last fire" className="wrap">
                      <div>
                        <Time iso={s.last_run_at} />
                        {s.last_run_id && (
                          <span className="sub mono">
                            <Link href={href('/runs', s.last_run_id)}>{s.last_run_id}</Link>
                          </span>
                        )}
                        {s.last_skip_reason && <span className="sub">skipped: {s.last_skip_reason}</span>}
                        {started[s.id] && (
                          <span className="sub" role="status" data-testid="schedule-started">
                            Started <Link href={href('/runs', started[s.id]!.id)}>{started[s.id]!.id}</Link>
                          </span>
                        )}
                      </div>
                    </td>
                    <td data-label="" className="actions">
                      <span className="tpa-row-actions">
                        <button
                          type="button"
                          className="button button-small"
                          data-testid="schedule-run-now"
                          disabled={!canWrite || action.busy !== null}
                          title={hint ?? 'Start a run with this prompt now'}
                          onClick={() => void runNow(s)}
                        >
                          {action.busy === `run:${s.id}` ? 'Starting…' : 'Run now'}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          data-testid="schedule-toggle"
                          disabled={!canWrite || action.busy !== null}
                          title={hint}
                          onClick={() => void toggle(s)}
                        >
                          {s.enabled ? 'Disable' : 'Enable'}
                        </button>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIST_LIMIT} onPage={onPage} />
        </>
      )}
    </section>
  );
}
