// The named webhook triggers table of the Triggers page; each row's last fire is its newest
// run (GET /api/v1/runs?trigger_id=…&limit=1).
import { useEffect } from 'react';
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
import { LIST_LIMIT, READ_ONLY } from './ScheduleList.js';
import { absoluteUrl, type TriggerRun, type WebhookTrigger } from './types.js';

interface Props {
  offset: number;
  onPage(offset: number): void;
  agents: Agents;
  canWrite: boolean;
  version: number;
}

export function WebhookTriggerList({ offset, onPage, agents, canWrite, version }: Props) {
  const list = useResource<Page<WebhookTrigger>>(`/api/v1/webhook-triggers${query({ limit: LIST_LIMIT, offset })}`);
  const action = useAction();
  const { reload } = list;
  useEffect(() => {
    if (version) void reload();
  }, [version, reload]);

  const toggle = async (t: WebhookTrigger) => {
    const updated = await action.run(`toggle:${t.id}`, () =>
      api<WebhookTrigger>(`/api/v1/webhook-triggers/${encodeURIComponent(t.id)}`, { method: 'PATCH', body: { enabled: !t.enabled } }),
    );
    if (updated) list.setData((p) => p && { ...p, items: p.items.map((x) => (x.id === updated.id ? updated : x)) });
  };

  const page = list.data;
  const hint = canWrite ? undefined : READ_ONLY;
  return (
    <section className="section" aria-labelledby="webhooks-title" data-testid="webhook-triggers">
      <div className="section-head">
        <h2 id="webhooks-title">Webhook triggers</h2>
        {page && <span className="muted">{page.total} in all</span>}
      </div>
      <ErrorBanner message={action.error ?? list.error} onDismiss={() => action.setError(null)} />
      {page === null ? (
        list.loading && (
          <p className="muted" role="status">
            Loading webhook triggers…
          </p>
        )
      ) : page.items.length === 0 ? (
        <EmptyState title={page.total > 0 ? 'This page is past the end of the list' : 'No named webhook triggers yet'}>
          <p>
            Every agent already has its own signed URL. A named trigger is another URL for it, with its own secret, signing scheme (GitHub, Grafana, Standard
            Webhooks) and prompt. Use "New webhook trigger" above.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-cards">
              <caption className="visually-hidden">Named webhook triggers</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Scheme</th>
                  <th scope="col">URL</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last fire</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((t) => {
                  return (
                    <tr key={t.id} data-testid="webhook-row" data-id={t.id} data-enabled={String(t.enabled)}>
                      <td data-label="Name" className="wrap">
                        <div>
                          <Link href={href('/triggers/webhooks', t.id)} data-testid="webhook-link">
                            {t.name}
                          </Link>
                          <span className="sub mono">{t.id}</span>
                        </div>
                      </td>
                      <td data-label="Agent">
                        <Link href={href('/agents', t.agent_id)}>{agents.names.get(t.agent_id) ?? t.agent_id}</Link>
                      </td>
                      <td data-label="Scheme">{t.scheme}</td>
                      <td data-label="URL" className="wrap mono">
                        {absoluteUrl(t.url)}
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={t.enabled ? 'enabled' : 'disabled'} />
                      </td>
                      <td data-label="Last fire" className="wrap">
                        <LastFire agentId={t.agent_id} triggerId={t.id} />
                      </td>
                      <td data-label="" className="actions">
                        <button
                          type="button"
                          className="button button-small"
                          data-testid="webhook-toggle"
                          disabled={!canWrite || action.busy !== null}
                          title={hint}
                          onClick={() => void toggle(t)}
                        >
                          {t.enabled ? 'Disable' : 'Enable'}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIST_LIMIT} onPage={onPage} />
        </>
      )}
    </section>
  );
}

/** The newest run a trigger started, or a dash when it never fired. */
function LastFire({ agentId, triggerId }: { agentId: string; triggerId: string }) {
  const runs = useResource<Page<TriggerRun>>(`/api/v1/runs${query({ agent_id: agentId, trigger_id: triggerId, limit: 1 })}`);
  const last = runs.data?.items[0];
  if (!last) return <span className="muted">{runs.data ? 'never' : '…'}</span>;
  return (
    <div>
      <Time iso={last.created_at} />
      <span className="sub mono">
        <Link href={href('/runs', last.id)}>{last.id}</Link>
      </span>
    </div>
  );
}
