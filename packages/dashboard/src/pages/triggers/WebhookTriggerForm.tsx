// Creating a named webhook trigger: another signed URL for an agent, with its own secret,
// signing scheme and prompt template. The secret comes back only in the answer.
import { useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useAction } from '../../hooks/useAction.js';
import { AgentField } from './AgentField.js';
import type { Agents } from './agents.js';
import { SCHEME_HINT, TRIGGER_SCHEMES, type TriggerScheme, type WebhookTrigger } from './types.js';

export type CreatedTrigger = WebhookTrigger & { secret: string };

export function WebhookTriggerForm({ agents, onSaved, onCancel }: { agents: Agents; onSaved(t: CreatedTrigger): void; onCancel(): void }) {
  const [agentId, setAgentId] = useState('');
  const [name, setName] = useState('');
  const [scheme, setScheme] = useState<TriggerScheme>('hookline');
  const [secret, setSecret] = useState('');
  const [prompt, setPrompt] = useState('');
  const [enabled, setEnabled] = useState(true);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { name, scheme, prompt_template: prompt, enabled };
    if (secret) body.secret = secret;
    // The agent is part of the API path, so an empty one cannot be left for the API to explain.
    if (!agentId) return action.setError('Choose the agent this trigger starts runs of.');
    const saved = await action.run('save', () =>
      api<CreatedTrigger>(`/api/v1/agents/${encodeURIComponent(agentId)}/webhook-triggers`, { method: 'POST', body }),
    );
    if (saved) onSaved(saved);
  };

  return (
    <form className="form tpa-form" onSubmit={(e) => void submit(e)} noValidate aria-label="New webhook trigger" data-testid="webhook-new-form">
      <div className="field-wide">
        <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      </div>
      <AgentField id="webhook-new-agent" value={agentId} onChange={setAgentId} agents={agents} />
      <div className="field">
        <label htmlFor="webhook-new-name">Name</label>
        <input
          id="webhook-new-name"
          data-testid="webhook-new-name"
          className="mono"
          value={name}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setName(e.target.value)}
        />
        <p className="field-hint">1–63 lower-case letters, digits, - or _; the last part of the URL /api/v1/webhooks/crew/agent/name. Fixed once created.</p>
      </div>
      <div className="field">
        <label htmlFor="webhook-new-scheme">Signing scheme</label>
        <select id="webhook-new-scheme" data-testid="webhook-new-scheme" value={scheme} onChange={(e) => setScheme(e.target.value as TriggerScheme)}>
          {TRIGGER_SCHEMES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <p className="field-hint">{SCHEME_HINT[scheme]}. Fixed once created.</p>
      </div>
      <div className="field">
        <label htmlFor="webhook-new-secret">Secret (optional)</label>
        <input
          id="webhook-new-secret"
          data-testid="webhook-new-secret"
          type="password"
          autoComplete="new-password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
        <p className="field-hint">
          Leave blank to have one generated. Your own: 16+ characters{scheme === 'standard' ? ', whsec_… for the standard scheme' : ''}.
        </p>
      </div>
      <div className="field field-wide">
        <label htmlFor="webhook-new-prompt">Prompt template</label>
        <textarea id="webhook-new-prompt" data-testid="webhook-new-prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <p className="field-hint">Instructions put before the payload; empty uses the agent's prompt template.</p>
      </div>
      <div className="field field-wide">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled (a disabled trigger answers 403 to correctly signed requests)
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid="webhook-new-save" disabled={action.busy !== null}>
          {action.busy ? 'Creating…' : 'Create webhook trigger'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
