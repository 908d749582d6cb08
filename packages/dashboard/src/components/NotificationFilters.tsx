// The notification log's filters. They live in the URL (so a filtered view can be linked and
// survives a reload): the selects apply at once, the text fields when the form is submitted.
import type { NotificationListParams } from '@hookline/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES } from '../api.js';

/** The list's query parameters as form text ('' = not filtered); named by the SDK, so a renamed parameter fails to compile. */
export type NotificationFilterValues = Record<Exclude<keyof NotificationListParams, 'limit' | 'offset'>, string>;

export const NO_FILTERS: NotificationFilterValues = { status: '', channel: '', agent_id: '', execution_id: '' };

interface Props {
  value: NotificationFilterValues;
  onChange(next: NotificationFilterValues): void;
}

export function NotificationFilters({ value, onChange }: Props) {
  // The text fields are edited locally and follow the URL when it changes (Back, Clear).
  const [agentId, setAgentId] = useState(value.agent_id);
  const [executionId, setExecutionId] = useState(value.execution_id);
  useEffect(() => setAgentId(value.agent_id), [value.agent_id]);
  useEffect(() => setExecutionId(value.execution_id), [value.execution_id]);

  // Any change applies whatever is typed in the text fields too, so nothing on screen is ignored.
  const apply = (patch: Partial<NotificationFilterValues>) => onChange({ ...value, agent_id: agentId.trim(), execution_id: executionId.trim(), ...patch });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({});
  };
  const any = Object.values(value).some(Boolean);

  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Filter notifications">
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" data-testid="filter-status" value={value.status} onChange={(e) => apply({ status: e.target.value })}>
          <option value="">All statuses</option>
          {NOTIFICATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-channel">Channel</label>
        <select id="filter-channel" data-testid="filter-channel" value={value.channel} onChange={(e) => apply({ channel: e.target.value })}>
          <option value="">All channels</option>
          {NOTIFICATION_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-agent">Agent id or name</label>
        <input id="filter-agent" data-testid="filter-agent" value={agentId} onChange={(e) => setAgentId(e.target.value)} spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="filter-execution">Execution (run) id</label>
        <input id="filter-execution" data-testid="filter-execution" value={executionId} onChange={(e) => setExecutionId(e.target.value)} spellCheck={false} />
      </div>
      <div className="field field-actions">
        <button type="submit" className="button">
          Apply
        </button>
        {any && (
          <button type="button" className="button button-quiet" onClick={() => onChange(NO_FILTERS)}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
