// Picks the agent a new trigger starts runs of.
import { Link, to } from '../../router.js';
import type { Agents } from './agents.js';

export function AgentField({ id, value, onChange, agents }: { id: string; value: string; onChange(v: string): void; agents: Agents }) {
  return (
    <div className="field">
      <label htmlFor={id}>Agent</label>
      <select id={id} data-testid={`${id}`} value={value} onChange={(e) => onChange(e.target.value)} required>
        <option value="">{agents.loading ? 'Loading agents…' : agents.list.length ? 'Choose an agent' : 'No agents yet'}</option>
        {agents.list.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} ({a.id}, crew {a.crew_id})
          </option>
        ))}
      </select>
      {agents.error && <p className="field-error">{agents.error}</p>}
      {!agents.loading && agents.list.length === 0 && !agents.error && (
        <p className="field-hint">
          Create an agent first on the <Link href={to('/agents')}>Agents</Link> page.
        </p>
      )}
    </div>
  );
}
