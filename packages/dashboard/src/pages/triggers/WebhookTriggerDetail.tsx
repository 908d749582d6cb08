// One named webhook trigger: its URL and signing scheme, its prompt template (editable),
// enable/disable, secret rotation (the new secret shown once), delete, its runs, and its
// Post-Action Bindings section.
import { useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KeyValue } from '../../components/KeyValue.js';
import { PageHead } from '../../components/PageHead.js';
import { PostActionBindings } from '../../components/PostActionBindings.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to } from '../../router.js';
import type { PageProps } from '../../routes.js';
import { READ_ONLY } from './ScheduleList.js';
import { TriggerRuns } from './TriggerRuns.js';
import { absoluteUrl, SCHEME_HINT, type WebhookTrigger } from './types.js';

export function WebhookTriggerDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const path = `/api/v1/webhook-triggers/${encodeURIComponent(id)}`;
  const trigger = useResource<WebhookTrigger>(path);
  const canWrite = useCanWrite();
  const action = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [prompt, setPrompt] = useState('');
  const hint = canWrite ? undefined : READ_ONLY;

  const toggle = async (t: WebhookTrigger) => {
    const updated = await action.run('toggle', () => api<WebhookTrigger>(path, { method: 'PATCH', body: { enabled: !t.enabled } }));
    if (updated) trigger.setData(updated);
  };
  const rotate = async () => {
    const r = await action.run('rotate', () => api<{ secret: string }>(`${path}/rotate-secret`, { method: 'POST' }));
    if (r) setSecret(r.secret);
  };
  const remove = async () => {
    if (await action.run('delete', () => api<void>(path, { method: 'DELETE' }).then(() => true))) navigate(to('/triggers'));
  };
  const savePrompt = async (e: FormEvent) => {
    e.preventDefault();
    const updated = await action.run('save', () => api<WebhookTrigger>(path, { method: 'PATCH', body: { prompt_template: prompt } }));
    if (updated) {
      trigger.setData(updated);
      setEditing(false);
    }
  };

  const t = trigger.data;
  return (
    <section aria-labelledby="webhook-title">
      <PageHead
        id="webhook-title"
        title={t ? `Webhook trigger ${t.name}` : 'Webhook trigger'}
        description={<Link href={to('/triggers')}>← All triggers</Link>}
        actions={
          t && (
            <span className="tpa-row-actions">
              <button
                type="button"
                className="button"
                data-testid="webhook-toggle"
                disabled={!canWrite || action.busy !== null}
                title={hint}
                onClick={() => void toggle(t)}
              >
                {t.enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                className="button"
                data-testid="webhook-edit"
                disabled={!canWrite || editing}
                title={hint}
                onClick={() => {
                  setPrompt(t.prompt_template);
                  setEditing(true);
                }}
              >
                Edit prompt
              </button>
              <ConfirmButton
                danger
                label="Rotate secret"
                question="Replace the secret? The old one stops working at once, so update the sender right after."
                confirmLabel="Yes, rotate"
                disabled={!canWrite || action.busy !== null}
                busy={action.busy === 'rotate'}
                {...(hint ? { title: hint } : {})}
                testId="webhook-rotate"
                onConfirm={rotate}
              />
              <ConfirmButton
                danger
                label="Delete"
                question={`Delete "${t.name}"? Its URL answers 404 from then on, and its post-action bindings go too.`}
                confirmLabel="Yes, delete"
                disabled={!canWrite || action.busy !== null}
                busy={action.busy === 'delete'}
                {...(hint ? { title: hint } : {})}
                testId="webhook-delete"
                onConfirm={remove}
              />
            </span>
          )
        }
      />
      <ReadOnlyNote what="change, rotate or delete this trigger" />
      <ErrorBanner message={action.error ?? trigger.error} onDismiss={() => action.setError(null)} />
      {secret && <SecretOnce label="New secret" secret={secret} onDone={() => setSecret(null)} />}
      {!t ? (
        trigger.loading && (
          <p className="muted" role="status">
            Loading…
          </p>
        )
      ) : (
        <>
          <section className="section" aria-labelledby="webhook-config-title" data-testid="webhook-config">
            <div className="section-head">
              <h2 id="webhook-config-title">Trigger</h2>
              <StatusBadge status={t.enabled ? 'enabled' : 'disabled'} />
            </div>
            <KeyValue
              rows={[
                ['Id', <span className="mono">{t.id}</span>],
                ['Agent', <Link href={href('/agents', t.agent_id)}>{t.agent_id}</Link>],
                ['Crew', <span className="mono">{t.crew_id}</span>],
                [
                  'URL',
                  <span>
                    <span className="mono" data-testid="webhook-url">
                      POST {absoluteUrl(t.url)}
                    </span>{' '}
                    <CopyButton text={absoluteUrl(t.url)} label="Copy URL" />
                  </span>,
                ],
                ['Signing scheme', `${t.scheme}: ${SCHEME_HINT[t.scheme]}`],
                ['Secret', 'Stored encrypted; shown only when created or rotated.'],
                ['Created', <Time iso={t.created_at} />],
                ['Updated', <Time iso={t.updated_at} />],
              ]}
            />
            <h3>Prompt template</h3>
            {editing ? (
              <form className="form" onSubmit={(e) => void savePrompt(e)} aria-label="Edit prompt template">
                <div className="field field-wide">
                  <label htmlFor="webhook-prompt">Prompt template</label>
                  <textarea id="webhook-prompt" data-testid="webhook-prompt" rows={4} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
                  <p className="field-hint">
                    Instructions put before the payload; empty uses the agent's prompt template. Name and scheme are fixed: delete and recreate to change them.
                  </p>
                </div>
                <div className="form-actions">
                  <button type="submit" className="button button-primary" data-testid="webhook-prompt-save" disabled={action.busy !== null}>
                    Save
                  </button>
                  <button type="button" className="button" onClick={() => setEditing(false)}>
                    Cancel
                  </button>
                </div>
              </form>
            ) : t.prompt_template ? (
              <pre className="pre">{t.prompt_template}</pre>
            ) : (
              <p className="muted">Empty: the agent's prompt template is used.</p>
            )}
          </section>
          <PostActionBindings triggerType="webhook" triggerId={t.id} />
          <TriggerRuns agentId={t.agent_id} triggerType="webhook" triggerId={t.id} />
        </>
      )}
    </section>
  );
}
