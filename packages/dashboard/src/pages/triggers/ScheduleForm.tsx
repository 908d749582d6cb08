// Creating or editing a schedule: a cron expression read in a time zone, and the prompt put
// after the agent's prompt template. The API checks the expression and the zone; its
// message (e.g. invalid_cron with the parser's words) is shown above the form.
import { useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useAction } from '../../hooks/useAction.js';
import { AgentField } from './AgentField.js';
import type { Agents } from './agents.js';
import type { Schedule } from './types.js';

const CRON_EXAMPLES: [string, string][] = [
  ['*/15 * * * *', 'every 15 minutes'],
  ['0 * * * *', 'every hour'],
  ['0 9 * * 1-5', 'weekdays at 09:00'],
  ['0 2 * * *', 'every night at 02:00'],
  ['@daily', 'every day at midnight'],
  ['*/30 * * * * *', 'every 30 seconds (6 fields: seconds first)'],
];

function zones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

interface Props {
  /** Editing this schedule; absent: creating one (then `agents` picks the agent). */
  schedule?: Schedule;
  agents?: Agents;
  onSaved(s: Schedule): void;
  onCancel(): void;
}

export function ScheduleForm({ schedule, agents, onSaved, onCancel }: Props) {
  const [agentId, setAgentId] = useState('');
  const [name, setName] = useState(schedule?.name ?? '');
  const [cron, setCron] = useState(schedule?.cron ?? '');
  const [timezone, setTimezone] = useState(schedule?.timezone ?? 'UTC');
  const [prompt, setPrompt] = useState(schedule?.prompt ?? '');
  const [grace, setGrace] = useState(schedule ? String(schedule.misfire_grace_seconds) : '');
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true);
  const action = useAction();
  const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const p = schedule ? 'schedule-edit' : 'schedule-new';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, unknown> = { name, cron, timezone, prompt, enabled };
    if (grace.trim() !== '') fields.misfire_grace_seconds = Number(grace);
    const saved = await action.run('save', () =>
      schedule
        ? api<Schedule>(`/api/v1/schedules/${encodeURIComponent(schedule.id)}`, { method: 'PATCH', body: fields })
        : api<Schedule>('/api/v1/schedules', { method: 'POST', body: { agent_id: agentId, ...fields } }),
    );
    if (saved) onSaved(saved);
  };

  return (
    <form
      className="form tpa-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={schedule ? 'Edit schedule' : 'New schedule'}
      data-testid={`${p}-form`}
    >
      <div className="field-wide">
        <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      </div>
      {!schedule && agents && <AgentField id={`${p}-agent`} value={agentId} onChange={setAgentId} agents={agents} />}
      <div className="field">
        <label htmlFor={`${p}-name`}>Name</label>
        <input id={`${p}-name`} data-testid={`${p}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <p className="field-hint">Shown as the runs' trigger name, e.g. "nightly-report".</p>
      </div>
      <div className="field">
        <label htmlFor={`${p}-cron`}>Cron expression</label>
        <input
          id={`${p}-cron`}
          data-testid={`${p}-cron`}
          className="mono"
          list={`${p}-cron-examples`}
          value={cron}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setCron(e.target.value)}
        />
        <datalist id={`${p}-cron-examples`}>
          {CRON_EXAMPLES.map(([v, label]) => (
            <option key={v} value={v} label={label} />
          ))}
        </datalist>
        <p className="field-hint">
          minute hour day-of-month month day-of-week, e.g. <code>*/15 * * * *</code> (every 15 minutes) or <code>0 9 * * 1-5</code>; 6 fields add seconds first;
          also @hourly, @daily, @weekly, @monthly.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${p}-tz`}>Time zone</label>
        <input
          id={`${p}-tz`}
          data-testid={`${p}-tz`}
          list={`${p}-tz-list`}
          value={timezone}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setTimezone(e.target.value)}
        />
        <datalist id={`${p}-tz-list`}>
          {zones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <p className="field-hint">
          An IANA name the expression is read in (default UTC).{' '}
          {mine && mine !== timezone && (
            <button type="button" className="button button-small button-quiet" onClick={() => setTimezone(mine)}>
              Use mine ({mine})
            </button>
          )}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${p}-grace`}>Misfire grace (seconds)</label>
        <input
          id={`${p}-grace`}
          data-testid={`${p}-grace`}
          type="number"
          min={0}
          max={86400}
          placeholder="60"
          value={grace}
          onChange={(e) => setGrace(e.target.value)}
        />
        <p className="field-hint">0–86,400, default 60: how late a missed tick may still run.</p>
      </div>
      <div className="field field-wide">
        <label htmlFor={`${p}-prompt`}>Prompt</label>
        <textarea id={`${p}-prompt`} data-testid={`${p}-prompt`} rows={4} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <p className="field-hint">Put after the agent's prompt template, e.g. "Summarise yesterday's failed deploys."</p>
      </div>
      <div className="field field-wide">
        <label className="check">
          <input type="checkbox" data-testid={`${p}-enabled`} checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid={`${p}-save`} disabled={action.busy !== null}>
          {action.busy ? 'Saving…' : schedule ? 'Save schedule' : 'Create schedule'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
