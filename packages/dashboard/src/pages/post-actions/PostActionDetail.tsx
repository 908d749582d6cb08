// One post-action: its request as stored (header values and credentials masked), the
// triggers it is bound to, and its run history.
import { api, query, type Page } from '../../api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KeyValue } from '../../components/KeyValue.js';
import { PageHead } from '../../components/PageHead.js';
import { Pagination } from '../../components/Pagination.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to, useLocation } from '../../router.js';
import type { PageProps } from '../../routes.js';
import { TriggerName } from '../triggers/TriggerName.js';
import { PostActionRuns } from './PostActionRuns.js';
import { offsetFrom } from './PostActions.js';
import { FIRE_WHEN_LABEL, HIDDEN, type Binding, type PostAction } from './types.js';

const BINDINGS_LIMIT = 20;
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change post-actions.';

function authText(pa: PostAction): string {
  switch (pa.auth.type) {
    case 'bearer':
      return `Bearer token (${HIDDEN})`;
    case 'basic':
      return `Basic: username and password (${HIDDEN})`;
    case 'header':
      return `Header ${pa.auth.name ?? ''}: ${HIDDEN}`;
    default:
      return 'None';
  }
}

export function PostActionDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const { search } = useLocation();
  const runsOffset = offsetFrom(search.get('runs_offset'));
  const bindingsOffset = offsetFrom(search.get('bindings_offset'));
  const pa = useResource<PostAction>(`/api/v1/post-actions/${encodeURIComponent(id)}`);
  const canWrite = useCanWrite();
  const action = useAction();
  const here = href('/post-actions', id);
  const go = (patch: Record<string, number>) =>
    navigate(here + query({ runs_offset: runsOffset || undefined, bindings_offset: bindingsOffset || undefined, ...patch }), { replace: true });

  const toggle = async (p: PostAction) => {
    const updated = await action.run('toggle', () =>
      api<PostAction>(`/api/v1/post-actions/${encodeURIComponent(p.id)}`, { method: 'PATCH', body: { enabled: !p.enabled } }),
    );
    if (updated) pa.setData(updated);
  };
  const remove = async (p: PostAction) => {
    const done = await action.run('delete', () => api<void>(`/api/v1/post-actions/${encodeURIComponent(p.id)}`, { method: 'DELETE' }).then(() => true));
    if (done) navigate(to('/post-actions'));
  };

  const p = pa.data;
  const hint = canWrite ? undefined : READ_ONLY;
  return (
    <section aria-labelledby="pa-title">
      <PageHead
        id="pa-title"
        title={p ? p.name : 'Post-action'}
        description={<Link href={to('/post-actions')}>← All post-actions</Link>}
        actions={
          p && (
            <span className="tpa-row-actions">
              {canWrite ? (
                <Link className="button" href={href('/post-actions', p.id, 'edit')} data-testid="pa-edit">
                  Edit
                </Link>
              ) : (
                <button type="button" className="button" disabled title={hint} data-testid="pa-edit">
                  Edit
                </button>
              )}
              <button
                type="button"
                className="button"
                data-testid="pa-toggle"
                disabled={!canWrite || action.busy !== null}
                title={hint}
                onClick={() => void toggle(p)}
              >
                {p.enabled ? 'Disable' : 'Enable'}
              </button>
              <ConfirmButton
                danger
                label="Delete"
                question={`Delete "${p.name}" and all its bindings?`}
                confirmLabel="Yes, delete"
                disabled={!canWrite || action.busy !== null}
                busy={action.busy === 'delete'}
                {...(hint ? { title: hint } : {})}
                testId="pa-delete"
                onConfirm={() => remove(p)}
              />
            </span>
          )
        }
      />
      <ReadOnlyNote what="change or delete this post-action" />
      <ErrorBanner message={action.error ?? pa.error} onDismiss={() => action.setError(null)} />
      {!p ? (
        pa.loading && (
          <p className="muted" role="status">
            Loading…
          </p>
        )
      ) : (
        <>
          <section className="section" aria-labelledby="pa-config-title" data-testid="pa-config">
            <div className="section-head">
              <h2 id="pa-config-title">Request</h2>
              <StatusBadge status={p.enabled ? 'enabled' : 'disabled'} />
            </div>
            <KeyValue
              rows={[
                ['Id', <span className="mono">{p.id}</span>],
                ['Method and URL', <span className="mono">{`${p.method} ${p.url}`}</span>],
                [
                  'Headers',
                  Object.keys(p.headers).length ? (
                    <span className="mono pa-lines">
                      {Object.keys(p.headers)
                        .map((h) => `${h}: ${HIDDEN}`)
                        .join('\n')}
                    </span>
                  ) : (
                    'None'
                  ),
                ],
                ['Authentication', authText(p)],
                ['Timeout', `${p.timeout_seconds} s`],
                ['Retries', p.retry_count === 0 ? 'None (one attempt)' : `${p.retry_count} (at most ${p.retry_count + 1} attempts)`],
                ['Created', <Time iso={p.created_at} />],
                ['Updated', <Time iso={p.updated_at} />],
              ]}
            />
            <h3>Body template</h3>
            {p.body_template ? (
              <pre className="pre" data-testid="pa-body-template">
                {p.body_template}
              </pre>
            ) : (
              <p className="muted">Empty: no body is sent.</p>
            )}
            <p className="field-hint">Header values and credentials are stored encrypted and never shown again.</p>
          </section>
          <Bindings postActionId={p.id} offset={bindingsOffset} onPage={(o) => go({ bindings_offset: o })} />
          <PostActionRuns postActionId={p.id} offset={runsOffset} onPage={(o) => go({ runs_offset: o })} />
        </>
      )}
    </section>
  );
}

function Bindings({ postActionId, offset, onPage }: { postActionId: string; offset: number; onPage(o: number): void }) {
  const list = useResource<Page<Binding>>(`/api/v1/post-actions/${encodeURIComponent(postActionId)}/bindings${query({ limit: BINDINGS_LIMIT, offset })}`);
  const page = list.data;
  return (
    <section className="section" aria-labelledby="pa-bindings-title" data-testid="pa-bindings">
      <div className="section-head">
        <h2 id="pa-bindings-title">Bindings</h2>
      </div>
      <ErrorBanner message={list.error} />
      {page === null ? (
        list.loading && (
          <p className="muted" role="status">
            Loading bindings…
          </p>
        )
      ) : page.items.length === 0 ? (
        <EmptyState title="Not bound to any trigger">
          <p>
            It fires only for triggers it is bound to. Open a schedule or webhook trigger on the <Link href={to('/triggers')}>Triggers</Link> page and add it in
            its Post-Action Bindings section.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-cards">
              <thead>
                <tr>
                  <th scope="col">Trigger</th>
                  <th scope="col">Fires on</th>
                  <th scope="col">Body</th>
                  <th scope="col">Binding</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((b) => (
                  <tr key={b.id} data-testid="pa-binding-row" data-id={b.id}>
                    <td data-label="Trigger" className="wrap">
                      <TriggerName type={b.trigger_type} id={b.trigger_id} />
                    </td>
                    <td data-label="Fires on">{FIRE_WHEN_LABEL[b.fire_when]}</td>
                    <td data-label="Body">{b.body_override === null ? "the post-action's" : <pre className="pre">{b.body_override}</pre>}</td>
                    <td data-label="Binding">
                      <StatusBadge status={b.enabled ? 'enabled' : 'disabled'} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={BINDINGS_LIMIT} onPage={onPage} />
        </>
      )}
    </section>
  );
}
