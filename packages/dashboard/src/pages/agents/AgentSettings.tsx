// How the agent runs, as the API shows it (runner secrets arrive masked as `********`).
import type { ReactNode } from 'react';
import type { Agent } from '../../api.js';
import { KeyValue } from '../../components/KeyValue.js';
import { Time } from '../../components/Time.js';

function seconds(n: number): string {
  if (n < 60 || n % 60 !== 0) return `${n} s`;
  return n % 3600 === 0 ? `${n} s (${n / 3600} h)` : `${n} s (${n / 60} min)`;
}

/** A runner setting readably: lists joined, maps as `NAME=value` lines (values as the API masks them). */
function settingValue(v: unknown): ReactNode {
  if (v === null || v === undefined || v === '') return null;
  if (Array.isArray(v)) return v.length ? <span className="mono">{v.map(String).join(' ')}</span> : null;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return null;
    return (
      <span className="mono kv-lines">
        {entries.map(([k, val]) => (
          <span key={k}>
            {k}={String(val)}
          </span>
        ))}
      </span>
    );
  }
  return <span className="mono">{String(v)}</span>;
}

const SETTING_LABELS: Record<string, string> = {
  command: 'Command',
  args: 'Arguments',
  cwd: 'Working directory',
  env: 'Environment',
  url: 'URL',
  headers: 'Headers',
  base_url: 'API base URL',
  model: 'Runner model',
  api_key: 'API key',
  system_prompt: 'System prompt',
  temperature: 'Temperature',
  max_tokens: 'Max tokens',
};

export function AgentSettings({ agent }: { agent: Agent }) {
  const settings = Object.entries(agent.runner_config).map(([k, v]): [string, ReactNode] => [SETTING_LABELS[k] ?? k, settingValue(v)]);
  return (
    <section className="section" aria-labelledby="agent-settings-title" data-testid="agent-settings">
      <div className="section-head">
        <h2 id="agent-settings-title">Runner settings</h2>
      </div>
      <KeyValue
        rows={[
          ['Runner', <span className="mono">{agent.runner}</span>],
          ...settings,
          ['Model', agent.model],
          ['Timeout', seconds(agent.timeout_seconds)],
          ['Runs at once', `${agent.max_concurrent_runs} (more wait in the queue)`],
          ['Trigger rate limit', agent.rate_limit_per_minute === null ? 'none' : `${agent.rate_limit_per_minute} a minute`],
          ['Defined by', agent.source === 'file' ? <span className="mono">{agent.source_path ?? 'AGENT.md'}</span> : 'the API'],
          ['Created', <Time iso={agent.created_at} />],
          ['Updated', <Time iso={agent.updated_at} />],
        ]}
      />
      <h3 className="agent-subhead">Prompt template</h3>
      {agent.prompt_template ? (
        <pre className="pre" data-testid="agent-prompt-template">
          {agent.prompt_template}
        </pre>
      ) : (
        <p className="muted">None: the trigger's payload is the whole prompt.</p>
      )}
    </section>
  );
}
