// The agent's own trigger URL, with a signed curl example that works as pasted once the
// secret is in an environment variable, and the secret's rotation (shown once).
import { useState } from 'react';
import { api, type Agent } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyButton } from '../../components/CopyButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useAction } from '../../hooks/useAction.js';
import { SECRET_ENV, triggerCurl } from './curl.js';

const EXAMPLE_BODY = '{"event":"manual.test","source":"curl","data":{"note":"hello from the dashboard example"}}';
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to rotate the secret.';

export function AgentTriggerUrl({ agent, canWrite }: { agent: Agent; canWrite: boolean }) {
  const url = window.location.origin + agent.trigger_url;
  const curl = triggerCurl(url, EXAMPLE_BODY);
  const action = useAction();
  // Only in this component's state: leaving the page forgets it.
  const [secret, setSecret] = useState<string | null>(null);

  const rotate = async () => {
    const r = await action.run('rotate', () =>
      api<{ webhook_secret: string }>(`/api/v1/agents/${encodeURIComponent(agent.id)}/webhook-secret/rotate`, { method: 'POST' }),
    );
    if (r) setSecret(r.webhook_secret);
  };

  return (
    <section className="section" aria-labelledby="agent-trigger-title" data-testid="agent-trigger">
      <div className="section-head">
        <h2 id="agent-trigger-title">Trigger URL</h2>
        <ConfirmButton
          label="Rotate secret"
          question="Issue a new webhook secret? The current one stops working at once."
          confirmLabel="Rotate now"
          onConfirm={rotate}
          disabled={!canWrite}
          title={canWrite ? undefined : READ_ONLY}
          busy={action.busy === 'rotate'}
          danger
          testId="rotate-webhook-secret"
        />
      </div>
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      {secret && <SecretOnce label={`New webhook secret of ${agent.id}`} secret={secret} onDone={() => setSecret(null)} />}
      <p>
        Any system can start a run of this agent with a <code>POST</code> of JSON to this URL, signed with the agent's webhook secret. It answers{' '}
        <code>202</code> with the run's id at once; the run goes on in the background.
      </p>
      <div className="secret-row">
        <code className="mono trigger-url" data-testid="trigger-url">
          {url}
        </code>
        <CopyButton text={url} label="Copy URL" testId="trigger-url-copy" />
      </div>
      <p className="field-hint">
        <code>X-Signature</code> is the hex HMAC-SHA256 of <code>{'"{X-Timestamp}.{body}"'}</code>, keyed with the secret, over the exact bytes sent;{' '}
        <code>X-Timestamp</code> (Unix seconds) must be within 5 minutes. Without <code>X-Timestamp</code> the signature covers the body alone.
        {agent.source === 'file' && ' If its AGENT.md sets webhook_secret, the next reload of the files puts that secret back.'}
      </p>
      <div className="section-head agent-curl-head">
        <h3 className="agent-subhead">
          Try it with <code>curl</code>
        </h3>
        <CopyButton text={curl} label="Copy command" testId="curl-copy" />
      </div>
      <p className="field-hint">
        Set <code>{SECRET_ENV}</code> in your shell first (<code>export {SECRET_ENV}=hltr_…</code>): the secret is never part of the page.
      </p>
      <pre className="pre" data-testid="curl-example">
        {curl}
      </pre>
    </section>
  );
}
