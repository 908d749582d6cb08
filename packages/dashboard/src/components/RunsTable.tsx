// Runs as rows (cards under 720 px): when, which agent, what started it, how it ended.
import type { Run } from '../api.js';
import { href, Link } from '../router.js';
import { StatusBadge } from './StatusBadge.js';
import { Time } from './Time.js';
import { TriggerLabel } from './RunTrigger.js';

/** `12.3 s`, `4 min 5 s`; `—` while a run has not ended. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function RunsTable({ runs, showAgent = true, caption }: { runs: Run[]; showAgent?: boolean; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table table-cards">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            {showAgent && <th scope="col">Agent</th>}
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid="run-row" data-id={r.id} data-status={r.status}>
              <td data-label="Run">
                <div>
                  <Link href={href('/runs', r.id)} className="mono" data-testid="run-link">
                    {r.id}
                  </Link>
                  <span className="sub">
                    created <Time iso={r.created_at} />
                  </span>
                </div>
              </td>
              {showAgent && (
                <td data-label="Agent">
                  <Link href={href('/agents', r.agent_id)} className="mono">
                    {r.agent_id}
                  </Link>
                </td>
              )}
              <td data-label="Trigger">
                <TriggerLabel run={r} />
              </td>
              <td data-label="Status">
                {/* The run id is the keyboard's link; the badge is a second target for the mouse. */}
                <Link href={href('/runs', r.id)} tabIndex={-1} className="badge-link">
                  <StatusBadge status={r.status} />
                </Link>
              </td>
              <td data-label="Duration" className="num">
                {formatDuration(r.duration_seconds)}
              </td>
              <td data-label="Finished">
                <Time iso={r.finished_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
