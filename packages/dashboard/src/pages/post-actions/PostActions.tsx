// The Post-Actions page: every post-action, with its last firing, how many triggers use it,
// and enable/disable/delete. The page offset lives in the URL.
import { api, query, type Page } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { Pagination } from '../../components/Pagination.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to, useLocation } from '../../router.js';
import type { Binding, PostAction, PostActionRun } from './types.js';

const LIMIT = 20;
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change post-actions.';

export function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function PostActions() {
  const { search } = useLocation();
  const offset = offsetFrom(search.get('offset'));
  const list = useResource<Page<PostAction>>(`/api/v1/post-actions${query({ limit: LIMIT, offset })}`);
  const canWrite = useCanWrite();
  const action = useAction();
  const go = (o: number) => navigate(to('/post-actions') + query({ offset: o || undefined }));

  const toggle = async (pa: PostAction) => {
    const updated = await action.run(`toggle:${pa.id}`, () =>
      api<PostAction>(`/api/v1/post-actions/${encodeURIComponent(pa.id)}`, { method: 'PATCH', body: { enabled: !pa.enabled } }),
    );
    if (updated) list.setData((p) => p && { ...p, items: p.items.map((x) => (x.id === updated.id ? updated : x)) });
  };
  const remove = async (pa: PostAction) => {
    const done = await action.run(`delete:${pa.id}`, () =>
      api<void>(`/api/v1/post-actions/${encodeURIComponent(pa.id)}`, { method: 'DELETE' }).then(() => true),
    );
    if (done) await list.reload();
  };

  const page = list.data;
  return (
    <section aria-labelledby="post-actions-title">
      <PageHead
        id="post-actions-title"
        title="Post-actions"
        description="Reusable HTTP requests sent when a run started by a webhook trigger or schedule ends: notify Slack, open an incident, forward results to your API."
        actions={
          canWrite ? (
            <Link className="button button-primary" href={to('/post-actions/new')} data-testid="post-action-new">
              New post-action
            </Link>
          ) : (
            <button type="button" className="button button-primary" data-testid="post-action-new" disabled title={READ_ONLY}>
              New post-action
            </button>
          )
        }
      />
      <ReadOnlyNote what="create, change or delete post-actions" />
      <ErrorBanner message={action.error ?? list.error} onDismiss={() => action.setError(null)} />
      <div aria-busy={list.loading}>
        {page === null ? (
          list.loading && (
            <p className="muted" role="status">
              Loading post-actions…
            </p>
          )
        ) : page.items.length === 0 && page.total > 0 ? (
          <EmptyState title="This page is past the end of the list">
            <button type="button" className="button" onClick={() => go(0)}>
              Go to the first page
            </button>
          </EmptyState>
        ) : page.items.length === 0 ? (
          <EmptyState title="No post-actions yet">
            <p>
              A post-action is a reusable HTTP request (method, URL, headers, body and auth) written as templates. Bind it to a webhook trigger or a schedule,
              choose whether it fires on success, on failure or always, and when a run from that trigger ends Hookline sends it in the background, filled in
              with the run's values (<code>{'{{ status }}'}</code>, <code>{'{{ trigger_name }}'}</code>, <code>{'{{ response }}'}</code>…). Every firing is kept
              in its run history.
            </p>
            {canWrite ? (
              <Link className="button button-primary" href={to('/post-actions/new')}>
                Build your first post-action
              </Link>
            ) : (
              <p>An admin key can create one in the builder.</p>
            )}
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table table-cards">
                <caption className="visually-hidden">Post-actions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Request</th>
                    <th scope="col">Status</th>
                    <th scope="col">Bindings</th>
                    <th scope="col">Last firing</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((pa) => (
                    <Row key={pa.id} pa={pa} canWrite={canWrite} busy={action.busy} onToggle={() => void toggle(pa)} onDelete={() => remove(pa)} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIMIT} onPage={go} />
          </>
        )}
      </div>
    </section>
  );
}

interface RowProps {
  pa: PostAction;
  canWrite: boolean;
  busy: string | null;
  onToggle(): void;
  onDelete(): Promise<void>;
}

function Row({ pa, canWrite, busy, onToggle, onDelete }: RowProps) {
  const id = encodeURIComponent(pa.id);
  const runs = useResource<Page<PostActionRun>>(`/api/v1/post-actions/${id}/runs?limit=1`);
  const bindings = useResource<Page<Binding>>(`/api/v1/post-actions/${id}/bindings?limit=1`);
  const last = runs.data?.items[0];
  const hint = canWrite ? undefined : READ_ONLY;
  return (
    <tr data-testid="post-action-row" data-id={pa.id} data-enabled={String(pa.enabled)}>
      <td data-label="Name" className="wrap">
        <div>
          <Link href={href('/post-actions', pa.id)} data-testid="post-action-link">
            {pa.name}
          </Link>
          <span className="sub mono">{pa.id}</span>
        </div>
      </td>
      <td data-label="Request" className="wrap mono">
        {pa.method} {pa.url}
      </td>
      <td data-label="Status">
        <StatusBadge status={pa.enabled ? 'enabled' : 'disabled'} />
      </td>
      <td data-label="Bindings" className="num">
        {bindings.data ? bindings.data.total : '…'}
      </td>
      <td data-label="Last firing" className="wrap">
        {last ? (
          <div>
            <StatusBadge status={last.status} />
            {last.http_status_code !== null && <span className="mono"> HTTP {last.http_status_code}</span>}
            <span className="sub">
              <Time iso={last.created_at} />
            </span>
          </div>
        ) : runs.data ? (
          <span className="muted">never</span>
        ) : (
          '…'
        )}
      </td>
      <td data-label="" className="actions">
        <span className="tpa-row-actions">
          <button
            type="button"
            className="button button-small"
            data-testid="post-action-toggle"
            disabled={!canWrite || busy !== null}
            title={hint}
            onClick={onToggle}
          >
            {busy === `toggle:${pa.id}` ? 'Saving…' : pa.enabled ? 'Disable' : 'Enable'}
          </button>
          {canWrite ? (
            <Link className="button button-small" href={href('/post-actions', pa.id, 'edit')} data-testid="post-action-edit">
              Edit
            </Link>
          ) : (
            <button type="button" className="button button-small" disabled title={hint}>
              Edit
            </button>
          )}
          <ConfirmButton
            danger
            label="Delete"
            question={`Delete "${pa.name}" and its ${bindings.data?.total ?? ''} binding(s)?`}
            confirmLabel="Yes, delete"
            disabled={!canWrite || busy !== null}
            busy={busy === `delete:${pa.id}`}
            {...(hint ? { title: hint } : {})}
            testId="post-action-delete"
            onConfirm={onDelete}
          />
        </span>
      </td>
    </tr>
  );
}
