// Per-agent notification rules: which Slack channels and named webhooks hear of this agent's
// runs. Shown readably; edited as JSON (the API checks the shape and says where it is wrong).
import { useState, type FormEvent } from 'react';
import { api, type Agent, type NotificationRules, type NotifyEvent } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useAction } from '../../hooks/useAction.js';

const EVENTS: { event: NotifyEvent; when: string }[] = [
  { event: 'on_complete', when: 'completed' },
  { event: 'on_error', when: 'failed or cancelled' },
  { event: 'on_timeout', when: 'timed out' },
];
const EXAMPLE: NotificationRules = {
  on_complete: [{ channel: 'slack', target: '#reports' }],
  on_error: [{ channel: 'slack', target: '#alerts' }],
};
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to change notification rules.';

export function AgentNotificationRules({ agent, canWrite, onSaved }: { agent: Agent; canWrite: boolean; onSaved(agent: Agent): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const action = useAction();
  const rules = agent.notifications;
  const fromFile =
    agent.source === 'file'
      ? `This agent is defined by ${agent.source_path ?? 'an AGENT.md'}: change its notifications: section there, then reload the files.`
      : null;
  const blocked = canWrite ? fromFile : READ_ONLY;

  const send = async (notifications: NotificationRules | null, name: string) => {
    const saved = await action.run(name, () => api<Agent>(`/api/v1/agents/${encodeURIComponent(agent.id)}`, { method: 'PATCH', body: { notifications } }));
    if (!saved) return;
    onSaved(saved);
    setDraft(null);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(draft ?? '');
    } catch (err) {
      return action.setError(
        `The rules are not valid JSON: ${(err as Error).message}. Write them as {"on_error": [{"channel": "slack", "target": "#alerts"}]}.`,
      );
    }
    void send(parsed as NotificationRules | null, 'save');
  };

  return (
    <section className="section" aria-labelledby="agent-rules-title" data-testid="agent-rules">
      <div className="section-head">
        <h2 id="agent-rules-title">Notification rules</h2>
        {draft === null && (
          <span className="agent-actions">
            <span title={blocked ?? undefined}>
              <button
                type="button"
                className="button button-small"
                data-testid="rules-edit"
                disabled={blocked !== null}
                title={blocked ?? undefined}
                onClick={() => setDraft(JSON.stringify(rules ?? EXAMPLE, null, 2))}
              >
                Edit as JSON
              </button>
            </span>
            {rules !== null && (
              <ConfirmButton
                label="Restore defaults"
                question="Drop this agent's rules and use the configured defaults?"
                confirmLabel="Restore defaults"
                onConfirm={() => void send(null, 'restore')}
                disabled={blocked !== null}
                title={blocked ?? undefined}
                busy={action.busy === 'restore'}
                testId="rules-restore"
              />
            )}
          </span>
        )}
      </div>
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      {rules === null ? (
        <p data-testid="rules-defaults">
          No rules of its own: the defaults apply. Every run is announced to Slack's default channel (when Slack is enabled) and to each configured webhook
          whose <code>events</code> include the run's event.
        </p>
      ) : (
        <>
          <p className="muted">The rules replace the defaults: an event without rules announces nothing.</p>
          <dl className="kv" data-testid="rules-view">
            {EVENTS.map(({ event, when }) => (
              <div className="kv-row" key={event} data-event={event}>
                <dt>
                  <code>{event}</code> (run {when})
                </dt>
                <dd>
                  {rules[event]?.length ? (
                    <ul className="rule-list">
                      {rules[event]!.map((r, i) => (
                        <li key={i}>
                          {r.channel} → <span className="mono">{r.target}</span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">nothing</span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {draft !== null && (
        <form className="form rules-form" onSubmit={save} aria-label="Edit notification rules">
          <div className="field field-wide">
            <label htmlFor="rules-json">Rules (JSON)</label>
            <textarea id="rules-json" data-testid="rules-json" value={draft} onChange={(e) => setDraft(e.target.value)} rows={10} spellCheck={false} />
            <p className="field-hint">
              Events <code>on_complete</code>, <code>on_error</code>, <code>on_timeout</code>, each a list of{' '}
              <code>{'{"channel": "slack" | "webhook", "target": …}'}</code>: a Slack channel (<code>#alerts</code>), channel id or incoming-webhook URL, or the
              name of a configured webhook. Incoming-webhook URLs are shown shortened: enter them whole again. <code>null</code> restores the defaults.
            </p>
          </div>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              data-testid="rules-save"
              disabled={blocked !== null || action.busy !== null}
              title={blocked ?? undefined}
            >
              {action.busy === 'save' ? 'Saving…' : 'Save rules'}
            </button>
            <button type="button" className="button button-quiet" onClick={() => (setDraft(null), action.setError(null))}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
