// The runs list's filters. They live in the URL: selects apply at once, the agent field and the
// time range when the form is submitted. Times are picked in the viewer's zone and kept in the
// URL as ISO instants (UTC), which is what the API takes.
import { useEffect, useState, type FormEvent } from 'react';
import { RUN_STATUSES, TRIGGER_TYPES, type Crew } from '../api.js';
import { isoToLocalInput, localInputToIso } from '../format.js';

export interface RunFilterValues {
  agent_id: string;
  crew_id: string;
  trigger_type: string;
  status: string;
  since: string;
  until: string;
}

export const NO_RUN_FILTERS: RunFilterValues = { agent_id: '', crew_id: '', trigger_type: '', status: '', since: '', until: '' };

interface Props {
  value: RunFilterValues;
  crews: Crew[];
  agentIds: string[];
  onChange(next: RunFilterValues): void;
}

export function RunFilters({ value, crews, agentIds, onChange }: Props) {
  const [agentId, setAgentId] = useState(value.agent_id);
  const [since, setSince] = useState(isoToLocalInput(value.since));
  const [until, setUntil] = useState(isoToLocalInput(value.until));
  useEffect(() => setAgentId(value.agent_id), [value.agent_id]);
  useEffect(() => setSince(isoToLocalInput(value.since)), [value.since]);
  useEffect(() => setUntil(isoToLocalInput(value.until)), [value.until]);

  // Any change applies what is typed in the other fields too, so nothing on screen is ignored.
  const apply = (patch: Partial<RunFilterValues>) =>
    onChange({ ...value, agent_id: agentId.trim(), since: localInputToIso(since) ?? '', until: localInputToIso(until) ?? '', ...patch });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({});
  };
  const any = Object.values(value).some(Boolean);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <form className="filters runs-filters" onSubmit={submit} role="search" aria-label="Filter runs">
      <div className="field">
        <label htmlFor="runs-filter-status">Status</label>
        <select id="runs-filter-status" data-testid="runs-filter-status" value={value.status} onChange={(e) => apply({ status: e.target.value })}>
          <option value="">All statuses</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="runs-filter-trigger">Trigger</label>
        <select id="runs-filter-trigger" data-testid="runs-filter-trigger" value={value.trigger_type} onChange={(e) => apply({ trigger_type: e.target.value })}>
          <option value="">Any trigger</option>
          {TRIGGER_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="runs-filter-crew">Crew</label>
        <select id="runs-filter-crew" data-testid="runs-filter-crew" value={value.crew_id} onChange={(e) => apply({ crew_id: e.target.value })}>
          <option value="">All crews</option>
          {crews.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.id})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="runs-filter-agent">Agent id</label>
        <input
          id="runs-filter-agent"
          data-testid="runs-filter-agent"
          list="runs-agent-ids"
          value={agentId}
          onChange={(e) => setAgentId(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <datalist id="runs-agent-ids">
          {agentIds.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="runs-filter-since">Created from</label>
        <input id="runs-filter-since" data-testid="runs-filter-since" type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="runs-filter-until">Created before</label>
        <input
          id="runs-filter-until"
          data-testid="runs-filter-until"
          type="datetime-local"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          aria-describedby="runs-filter-zone"
        />
      </div>
      <div className="field field-actions">
        <button type="submit" className="button" data-testid="runs-filter-apply">
          Apply
        </button>
        {any && (
          <button type="button" className="button button-quiet" onClick={() => onChange(NO_RUN_FILTERS)}>
            Clear filters
          </button>
        )}
      </div>
      <p className="field-hint runs-filter-zone" id="runs-filter-zone">
        Times are in your time zone ({zone}).
      </p>
    </form>
  );
}
