// The agents a trigger can belong to, for pickers and for showing names next to ids.
import type { Page } from '../../api.js';
import { useResource } from '../../hooks/useResource.js';
import type { AgentSummary } from './types.js';

/** Enough for a picker; a larger install types the id (the API says if it is unknown). */
export const AGENT_CHOICES = 500;

export interface Agents {
  list: AgentSummary[];
  names: ReadonlyMap<string, string>;
  error: string | null;
  loading: boolean;
}

export function useAgents(): Agents {
  const r = useResource<Page<AgentSummary>>(`/api/v1/agents?limit=${AGENT_CHOICES}`);
  const list = r.data?.items ?? [];
  return { list, names: new Map(list.map((a) => [a.id, a.name])), error: r.error, loading: r.loading };
}
