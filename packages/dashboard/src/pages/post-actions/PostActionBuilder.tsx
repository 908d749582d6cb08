// The post-action builder (new and edit): the request as templates, with a live preview
// rendered by the server against sample values or a real run, and template mistakes shown
// at their field with line and column. Saving shows the API's own message if it refuses.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { TemplateEditor, TemplateProblems } from '../../components/TemplateEditor.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to } from '../../router.js';
import type { PageProps } from '../../routes.js';
import { AuthFields } from './AuthFields.js';
import { draftOf, EMPTY_DRAFT, headersToRetype, previewOf, requestOf, type Draft } from './draft.js';
import { HeadersEditor } from './HeadersEditor.js';
import { PreviewPanel, type PreviewSource } from './PreviewPanel.js';
import { METHODS, RETRY_COUNT, TIMEOUT_SECONDS, type Method, type PostAction } from './types.js';
import { problemsAt, usePreview } from './usePreview.js';

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change post-actions.';

export function NewPostAction() {
  return <Builder original={null} />;
}

export function EditPostAction({ params }: PageProps) {
  const id = params.id ?? '';
  const pa = useResource<PostAction>(`/api/v1/post-actions/${encodeURIComponent(id)}`);
  if (!pa.data) {
    return (
      <section>
        <PageHead title="Edit post-action" />
        <ErrorBanner message={pa.error} />
        {pa.loading && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
      </section>
    );
  }
  return <Builder original={pa.data} />;
}

function Builder({ original }: { original: PostAction | null }) {
  const canWrite = useCanWrite();
  const [draft, setDraft] = useState<Draft>(() => (original ? draftOf(original) : EMPTY_DRAFT));
  const [source, setSource] = useState<PreviewSource>({ kind: 'sample', runId: '' });
  const [tried, setTried] = useState(false);
  const action = useAction();
  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const input = useMemo(() => (source.kind === 'run' && !source.runId ? null : previewOf(draft, source.kind === 'run' ? source.runId : null)), [draft, source]);
  const preview = usePreview(input);
  const problems = (field: string) => problemsAt(preview.preview, field);
  // Only after a save attempt, so the note does not nag while the user is still typing.
  const retype = new Set(tried ? headersToRetype(draft, original).map((h) => h.key) : []);

  useEffect(() => {
    document.title = `${original ? `Edit ${original.name}` : 'New post-action'} · Hookline`;
  }, [original]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    const req = requestOf(draft, original);
    if ('problem' in req) {
      action.setError(req.problem);
      window.scrollTo({ top: 0 });
      return;
    }
    const saved = await action.run('save', () =>
      original
        ? api<PostAction>(`/api/v1/post-actions/${encodeURIComponent(original.id)}`, { method: 'PATCH', body: req.body })
        : api<PostAction>('/api/v1/post-actions', { method: 'POST', body: req.body }),
    );
    if (saved) navigate(href('/post-actions', saved.id));
    else window.scrollTo({ top: 0 });
  };

  const off = !canWrite;
  const offTitle = off ? READ_ONLY : undefined;
  const title = original ? `Edit ${original.name}` : 'New post-action';
  return (
    <section aria-labelledby="builder-title">
      <PageHead
        id="builder-title"
        title={title}
        description="A reusable HTTP request, sent when a run started by a bound webhook trigger or schedule ends. URL, header values and body are templates."
        actions={
          <Link className="button" href={original ? href('/post-actions', original.id) : to('/post-actions')}>
            Cancel
          </Link>
        }
      />
      <ReadOnlyNote what="create or change post-actions" />
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      <div className="pa-builder">
        <form className="form pa-form" onSubmit={(e) => void save(e)} noValidate aria-label="Post-action" data-testid="builder-form">
          <div className="field field-wide">
            <label htmlFor="pa-name">Name</label>
            <input
              id="pa-name"
              data-testid="pa-name"
              value={draft.name}
              maxLength={200}
              required
              disabled={off}
              title={offTitle}
              onChange={(e) => change({ name: e.target.value })}
            />
            <p className="field-hint">1–200 characters, e.g. "Slack: schedule results".</p>
          </div>
          <div className="field-wide pa-request-line">
            <div className="field">
              <label htmlFor="pa-method">Method</label>
              <select
                id="pa-method"
                data-testid="pa-method"
                value={draft.method}
                disabled={off}
                title={offTitle}
                onChange={(e) => change({ method: e.target.value as Method })}
              >
                {METHODS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </div>
            <div className="field pa-url">
              <label htmlFor="pa-url">URL</label>
              <input
                id="pa-url"
                data-testid="pa-url"
                className="mono"
                value={draft.url}
                placeholder="https://hooks.example.com/runs/{{ run_id }}"
                spellCheck={false}
                autoComplete="off"
                aria-invalid={problems('url').length > 0}
                disabled={off}
                title={offTitle}
                onChange={(e) => change({ url: e.target.value })}
              />
              <p className="field-hint">A template; inserted values are percent-encoded. Must be http(s), without user:password@ (use Authentication).</p>
              <TemplateProblems problems={problems('url')} text={draft.url} targetId="pa-url" testId="pa-url" />
            </div>
          </div>
          <HeadersEditor
            rows={draft.headers}
            onChange={(headers) => change({ headers })}
            problemsFor={problems}
            retype={retype}
            disabled={off}
            {...(offTitle ? { disabledTitle: offTitle } : {})}
          />
          <TemplateEditor
            id="pa-body"
            testId="pa-body"
            label="Body template"
            value={draft.body}
            onChange={(body) => change({ body })}
            problems={problems('body_template')}
            rows={12}
            disabled={off}
            {...(offTitle ? { disabledTitle: offTitle } : {})}
            hint={
              <>
                When it starts with <code>{'{'}</code> or <code>[</code>, inserted values are JSON-escaped, so quotes and newlines stay valid JSON. Empty: no
                body. Up to 64 KB.
              </>
            }
          />
          <AuthFields draft={draft} original={original} onChange={change} disabled={off} {...(offTitle ? { disabledTitle: offTitle } : {})} />
          <div className="field">
            <label htmlFor="pa-timeout">Timeout (seconds)</label>
            <input
              id="pa-timeout"
              data-testid="pa-timeout"
              type="number"
              inputMode="numeric"
              min={TIMEOUT_SECONDS.min}
              max={TIMEOUT_SECONDS.max}
              placeholder={String(TIMEOUT_SECONDS.default)}
              value={draft.timeout}
              disabled={off}
              title={offTitle}
              onChange={(e) => change({ timeout: e.target.value })}
            />
            <p className="field-hint">
              {TIMEOUT_SECONDS.min}–{TIMEOUT_SECONDS.max}, default {TIMEOUT_SECONDS.default}.
            </p>
          </div>
          <div className="field">
            <label htmlFor="pa-retry">Retry count</label>
            <input
              id="pa-retry"
              data-testid="pa-retry"
              type="number"
              inputMode="numeric"
              min={RETRY_COUNT.min}
              max={RETRY_COUNT.max}
              placeholder={String(RETRY_COUNT.default)}
              value={draft.retry}
              disabled={off}
              title={offTitle}
              onChange={(e) => change({ retry: e.target.value })}
            />
            <p className="field-hint">
              {RETRY_COUNT.min}–{RETRY_COUNT.max}, default {RETRY_COUNT.default}. Retries after a network error, timeout or 5xx (1 s, 2 s, 4 s…, at most 30 s
              apart); a 4xx is not retried.
            </p>
          </div>
          <div className="field field-wide">
            <label className="check">
              <input
                type="checkbox"
                data-testid="pa-enabled"
                checked={draft.enabled}
                disabled={off}
                title={offTitle}
                onChange={(e) => change({ enabled: e.target.checked })}
              />
              Enabled
            </label>
            <p className="field-hint">A disabled post-action keeps its bindings but fires for none of them.</p>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" data-testid="pa-save" disabled={off || action.busy !== null} title={offTitle}>
              {action.busy ? 'Saving…' : original ? 'Save changes' : 'Create post-action'}
            </button>
          </div>
        </form>
        <PreviewPanel method={draft.method} state={preview} source={source} onSource={setSource} />
      </div>
    </section>
  );
}
