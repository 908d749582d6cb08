// What else starts this agent: its cron schedules and named webhook triggers, linked to their
// pages in the Triggers area.
import { useState } from 'react';
import { query, type Page, type Schedule, type WebhookTrigger } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Pagination } from '../../components/Pagination.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, to } from '../../router.js';

const LIMIT = 10;

function Enabled({ on }: { on: boolean }) {
  return <StatusBadge status={on ? 'enabled' : 'disabled'} />;
}

export function AgentSchedules({ agentId }: { agentId: string }) {
  const [offset, setOffset] = useState(0);
  const { data, error } = useResource<Page<Schedule>>(
    `/api/v1/agents/${encodeURIComponent(agentId)}/schedules${query({ limit: LIMIT, offset: offset || undefined })}`,
  );
  return (
    <section className="section" aria-labelledby="agent-schedules-title" data-testid="agent-schedules">
      <div className="section-head">
        <h2 id="agent-schedules-title">Schedules</h2>
        <Link href={to('/triggers')}>All triggers</Link>
      </div>
      <ErrorBanner message={error} />
      {data && data.items.length === 0 && <p className="muted">No schedules. Add one on the Triggers page to run this agent on a cron expression.</p>}
      {data && data.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table table-cards">
              <thead>
                <tr>
                  <th scope="col">Schedule</th>
                  <th scope="col">Cron</th>
                  <th scope="col">Next run</th>
                  <th scope="col">Last run</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((s) => (
                  <tr key={s.id} data-testid="schedule-row" data-id={s.id}>
                    <td data-label="Schedule">
                      <Link href={href('/triggers/schedules', s.id)}>{s.name}</Link>
                    </td>
                    <td data-label="Cron">
                      <div>
                        <span className="mono">{s.cron}</span>
                        <span className="sub">{s.timezone}</span>
                      </div>
                    </td>
                    <td data-label="Next run">{s.enabled ? <Time iso={s.next_run_at} /> : <span className="muted">disabled</span>}</td>
                    <td data-label="Last run">
                      <div>
                        {s.last_run_id ? (
                          <Link href={href('/runs', s.last_run_id)}>
                            <Time iso={s.last_run_at} />
                          </Link>
                        ) : (
                          <Time iso={s.last_run_at} />
                        )}
                        {s.last_skip_reason && <span className="sub">skipped: {s.last_skip_reason}</span>}
                      </div>
                    </td>
                    <td data-label="State">
                      <Enabled on={s.enabled} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.total > LIMIT && <Pagination offset={data.offset} count={data.items.length} total={data.total} limit={LIMIT} onPage={setOffset} />}
        </>
      )}
    </section>
  );
}

export function AgentWebhookTriggers({ agentId }: { agentId: string }) {
  const [offset, setOffset] = useState(0);
  const { data, error } = useResource<Page<WebhookTrigger>>(
    `/api/v1/agents/${encodeURIComponent(agentId)}/webhook-triggers${query({ limit: LIMIT, offset: offset || undefined })}`,
  );
  return (
    <section className="section" aria-labelledby="agent-webhooks-title" data-testid="agent-webhook-triggers">
      <div className="section-head">
        <h2 id="agent-webhooks-title">Named webhook triggers</h2>
      </div>
      <ErrorBanner message={error} />
      {data && data.items.length === 0 && (
        <p className="muted">
          None. A named trigger gives this agent another URL with its own secret and signing scheme (GitHub, Grafana, Standard Webhooks); add one on the
          Triggers page.
        </p>
      )}
      {data && data.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table table-cards">
              <thead>
                <tr>
                  <th scope="col">Trigger</th>
                  <th scope="col">Signed as</th>
                  <th scope="col">URL</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((t) => (
                  <tr key={t.id} data-testid="webhook-trigger-row" data-id={t.id}>
                    <td data-label="Trigger">
                      <Link href={href('/triggers/webhooks', t.id)}>{t.name}</Link>
                    </td>
                    <td data-label="Signed as">{t.scheme}</td>
                    <td data-label="URL" className="mono wrap">
                      {window.location.origin + t.url}
                    </td>
                    <td data-label="State">
                      <Enabled on={t.enabled} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.total > LIMIT && <Pagination offset={data.offset} count={data.items.length} total={data.total} limit={LIMIT} onPage={setOffset} />}
        </>
      )}
    </section>
  );
}
