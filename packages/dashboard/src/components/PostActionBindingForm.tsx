// Adding or editing one post-action binding of a trigger: which post-action, when it fires,
// and an optional body that replaces the post-action's for this trigger only. The override
// is previewed like the builder's body, with its mistakes shown inline.
import { useMemo, useState, type FormEvent } from 'react';
import { api, type Page } from '../api.js';
import { useAction } from '../hooks/useAction.js';
import { useResource } from '../hooks/useResource.js';
import { FIRE_WHEN, FIRE_WHEN_LABEL, type Binding, type FireWhen, type PostAction, type TriggerType } from '../pages/post-actions/types.js';
import { problemsAt, usePreview } from '../pages/post-actions/usePreview.js';
import { ErrorBanner } from './ErrorBanner.js';
import { TemplateEditor } from './TemplateEditor.js';

const CHOICES = 200;

interface Props {
  triggerType: TriggerType;
  triggerId: string;
  /** Editing this binding; absent: adding one. */
  editing?: Binding & { post_action: PostAction };
  /** Post-actions already bound to this trigger (marked in the picker). */
  bound: ReadonlySet<string>;
  onSaved(): void;
  onCancel(): void;
}

export function PostActionBindingForm({ triggerType, triggerId, editing, bound, onSaved, onCancel }: Props) {
  const actions = useResource<Page<PostAction>>(editing ? null : `/api/v1/post-actions?limit=${CHOICES}`);
  const [postActionId, setPostActionId] = useState(editing?.post_action_id ?? '');
  const [fireWhen, setFireWhen] = useState<FireWhen>(editing?.fire_when ?? 'any');
  const [override, setOverride] = useState(editing?.body_override !== null && editing?.body_override !== undefined);
  const [body, setBody] = useState(editing?.body_override ?? '');
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const action = useAction();
  const idBase = editing ? `binding-${editing.id}` : 'binding-new';

  const chosen = editing?.post_action ?? actions.data?.items.find((a) => a.id === postActionId);
  const input = useMemo(() => (override ? { body_template: body } : null), [override, body]);
  const preview = usePreview(input);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body_override = override ? body : null;
    const ok = await action.run('save', () =>
      editing
        ? api<Binding>(`/api/v1/post-actions/${encodeURIComponent(editing.post_action_id)}/bindings/${encodeURIComponent(editing.id)}`, {
            method: 'PATCH',
            body: { fire_when: fireWhen, body_override, enabled },
          })
        : api<Binding>(`/api/v1/post-actions/${encodeURIComponent(postActionId)}/bindings`, {
            method: 'POST',
            body: { trigger_type: triggerType, trigger_id: triggerId, fire_when: fireWhen, body_override, enabled },
          }),
    );
    if (ok) onSaved();
  };

  return (
    <form
      className="form binding-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={editing ? `Edit binding of ${editing.post_action.name}` : 'Add a post-action binding'}
      data-testid="binding-form"
    >
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      {editing ? (
        <p className="field field-wide">
          Post-action: <strong>{editing.post_action.name}</strong>
        </p>
      ) : (
        <div className="field field-wide">
          <label htmlFor={`${idBase}-pa`}>Post-action</label>
          <select id={`${idBase}-pa`} data-testid="binding-post-action" value={postActionId} onChange={(e) => setPostActionId(e.target.value)} required>
            <option value="">
              {actions.loading ? 'Loading post-actions…' : actions.data?.items.length ? 'Choose a post-action' : 'No post-actions yet: create one first'}
            </option>
            {actions.data?.items.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.method} {a.url}){bound.has(a.id) ? ' · already bound' : ''}
                {a.enabled ? '' : ' · disabled'}
              </option>
            ))}
          </select>
          {actions.error && <p className="field-error">{actions.error}</p>}
        </div>
      )}
      <fieldset className="field field-wide">
        <legend>Fire when the run ends with</legend>
        {FIRE_WHEN.map((f) => (
          <label className="check" key={f}>
            <input type="radio" name={`${idBase}-fire`} value={f} checked={fireWhen === f} onChange={() => setFireWhen(f)} data-testid={`binding-fire-${f}`} />
            {FIRE_WHEN_LABEL[f]}
          </label>
        ))}
      </fieldset>
      <div className="field field-wide">
        <label className="check">
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="binding-override-on" />
          Use a different body for this trigger
        </label>
        {!override && chosen && <p className="field-hint">Sends the post-action's body template{chosen.body_template ? '' : ' (empty: no body)'}.</p>}
      </div>
      {override && (
        <>
          <TemplateEditor
            id={`${idBase}-body`}
            testId="binding-body"
            label="Body override (template)"
            value={body}
            onChange={setBody}
            problems={problemsAt(preview.preview, 'body_template')}
            rows={6}
            hint="Replaces the post-action's body template for runs of this trigger. Same variables and JSON escaping."
          />
          <div className="field field-wide" aria-live="polite">
            {preview.error ? (
              <p className="field-error">Preview: {preview.error}</p>
            ) : preview.preview?.body ? (
              <>
                <p className="field-hint">Rendered with sample values:</p>
                <pre className="pre" data-testid="binding-preview-body">
                  {preview.preview.body}
                </pre>
              </>
            ) : null}
          </div>
        </>
      )}
      <div className="field field-wide">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="binding-enabled" />
          Enabled
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid="binding-save" disabled={action.busy !== null || (!editing && !postActionId)}>
          {action.busy ? 'Saving…' : editing ? 'Save binding' : 'Add binding'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
