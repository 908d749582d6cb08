// The "Post-Action Bindings" section of a webhook trigger or schedule page: which
// post-actions fire when this trigger's runs end, and adding, editing, switching off or
// removing them without leaving the page.
import { useState } from 'react';
import { api, query, type Page } from '../api.js';
import { useAction } from '../hooks/useAction.js';
import { useResource } from '../hooks/useResource.js';
import { FIRE_WHEN_LABEL, type TriggerBinding, type TriggerType } from '../pages/post-actions/types.js';
import { href, Link, to } from '../router.js';
import { EmptyState } from './EmptyState.js';
import { ErrorBanner } from './ErrorBanner.js';
import { Pagination } from './Pagination.js';
import { PostActionBindingForm } from './PostActionBindingForm.js';
import { useCanWrite } from './ReadOnlyNote.js';
import { StatusBadge } from './StatusBadge.js';
import { ConfirmButton } from './ConfirmButton.js';

const LIMIT = 20;
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change bindings.';

export function PostActionBindings({ triggerType, triggerId }: { triggerType: TriggerType; triggerId: string }) {
  const [offset, setOffset] = useState(0);
  const list = useResource<Page<TriggerBinding>>(
    `/api/v1/triggers/${triggerType}/${encodeURIComponent(triggerId)}/post-actions${query({ limit: LIMIT, offset })}`,
  );
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const canWrite = useCanWrite();
  const action = useAction();
  const hint = canWrite ? undefined : READ_ONLY;
  const bound = new Set(list.data?.items.map((b) => b.post_action_id) ?? []);
  const path = (b: TriggerBinding) => `/api/v1/post-actions/${encodeURIComponent(b.post_action_id)}/bindings/${encodeURIComponent(b.id)}`;

  const toggle = async (b: TriggerBinding) => {
    if (await action.run(`toggle:${b.id}`, () => api(path(b), { method: 'PATCH', body: { enabled: !b.enabled } }))) await list.reload();
  };
  const remove = async (b: TriggerBinding) => {
    if (await action.run(`remove:${b.id}`, () => api(path(b), { method: 'DELETE' }).then(() => true))) await list.reload();
  };
  const saved = () => {
    setAdding(false);
    setEditing(null);
    void list.reload();
  };

  const page = list.data;
  return (
    <section className="section" aria-labelledby="bindings-title" data-testid="post-action-bindings">
      <div className="section-head">
        <h2 id="bindings-title">Post-Action Bindings</h2>
        {!adding && (
          <button type="button" className="button" data-testid="binding-add" disabled={!canWrite} title={hint} onClick={() => setAdding(true)}>
            Add binding
          </button>
        )}
      </div>
      <p className="muted">
        When a run started by this trigger ends, each enabled binding whose "fire when" matches sends its post-action, in the background.{' '}
        <Link href={to('/post-actions')}>All post-actions</Link>
      </p>
      <ErrorBanner message={action.error ?? list.error} onDismiss={() => action.setError(null)} />
      {adding && <PostActionBindingForm triggerType={triggerType} triggerId={triggerId} bound={bound} onSaved={saved} onCancel={() => setAdding(false)} />}
      {page === null ? (
        list.loading && (
          <p className="muted" role="status">
            Loading bindings…
          </p>
        )
      ) : page.items.length === 0 ? (
        page.total > 0 ? (
          <EmptyState title="This page is past the end of the list">
            <button type="button" className="button" onClick={() => setOffset(0)}>
              Go to the first page
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No post-actions fire for this trigger">
            <p>
              Add a binding to send a post-action (a Slack message, an incident, a call to your API) when this trigger's runs succeed, fail, or either.
              {canWrite && (
                <>
                  {' '}
                  No post-action yet? <Link href={to('/post-actions/new')}>Build one</Link>.
                </>
              )}
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-cards">
              <caption className="visually-hidden">Post-actions bound to this trigger</caption>
              <thead>
                <tr>
                  <th scope="col">Post-action</th>
                  <th scope="col">Fires on</th>
                  <th scope="col">Body</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((b) =>
                  editing === b.id ? (
                    <tr key={b.id} data-testid="binding-row" data-id={b.id}>
                      <td colSpan={5} data-label="">
                        <PostActionBindingForm
                          triggerType={triggerType}
                          triggerId={triggerId}
                          editing={b}
                          bound={bound}
                          onSaved={saved}
                          onCancel={() => setEditing(null)}
                        />
                      </td>
                    </tr>
                  ) : (
                    <tr key={b.id} data-testid="binding-row" data-id={b.id} data-enabled={String(b.enabled)} data-fire-when={b.fire_when}>
                      <td data-label="Post-action" className="wrap">
                        <div>
                          <Link href={href('/post-actions', b.post_action_id)}>{b.post_action.name}</Link>
                          <span className="sub mono">
                            {b.post_action.method} {b.post_action.url}
                          </span>
                          {!b.post_action.enabled && <span className="sub">The post-action itself is disabled.</span>}
                        </div>
                      </td>
                      <td data-label="Fires on">{FIRE_WHEN_LABEL[b.fire_when]}</td>
                      <td data-label="Body" className="binding-body">
                        {b.body_override === null ? (
                          <span className="muted">the post-action's</span>
                        ) : (
                          <pre className="pre" data-testid="binding-override">
                            {b.body_override}
                          </pre>
                        )}
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={b.enabled ? 'enabled' : 'disabled'} />
                      </td>
                      <td data-label="" className="actions">
                        <span className="tpa-row-actions">
                          <button
                            type="button"
                            className="button button-small"
                            data-testid="binding-edit"
                            disabled={!canWrite}
                            title={hint}
                            onClick={() => setEditing(b.id)}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            data-testid="binding-toggle"
                            disabled={!canWrite || action.busy !== null}
                            title={hint}
                            onClick={() => void toggle(b)}
                          >
                            {b.enabled ? 'Disable' : 'Enable'}
                          </button>
                          <ConfirmButton
                            danger
                            label="Remove"
                            question={`Stop sending "${b.post_action.name}" for this trigger?`}
                            confirmLabel="Yes, remove"
                            disabled={!canWrite || action.busy !== null}
                            busy={action.busy === `remove:${b.id}`}
                            {...(hint ? { title: hint } : {})}
                            testId="binding-remove"
                            onConfirm={() => remove(b)}
                          />
                        </span>
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
          <Pagination offset={page.offset} count={page.items.length} total={page.total} limit={LIMIT} onPage={setOffset} />
        </>
      )}
    </section>
  );
}
