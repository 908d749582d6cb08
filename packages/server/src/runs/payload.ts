import type { Publisher } from '../events/index.js';
import type { AgentTable, CrewTable, RunTable, Store } from '../store/index.js';
import { iso } from '../util/time.js';


/** What the API shows of a run. */
export function runView(r: RunTable) {
  return {
    id: r.id,
    crew_id: r.crew_id,
    agent_id: r.agent_id,
    trigger_type: r.trigger_type,
    trigger_id: r.trigger_id,
    trigger_name: r.trigger_name,
    prompt: r.prompt,
    status: r.status,
    output: r.output,
    error: r.error,
    exit_code: r.exit_code,
    usage: { iterations_used: r.iterations_used, tool_calls: r.tool_calls, tokens_used: r.tokens_used },
    created_at: iso(r.created_at),
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    duration_seconds: r.started_at !== null && r.finished_at !== null ? (r.finished_at - r.started_at) / 1000 : null,
  };
}

/**
 * The `data` of run.completed / run.failed / run.timeout: 002's callback payload, field for
 * field, plus what a Hookline user filters on (crew, trigger).
 */
export function runEventData(run: RunTable, agent: Pick<AgentTable, 'id' | 'name' | 'model'>, crew: Pick<CrewTable, 'id' | 'name'> | undefined) {
  const failed = run.status === 'failed' || run.status === 'cancelled';
  const ended = run.finished_at !== null;
  return {
    agent_loop_id: agent.id,
    agent_loop_name: agent.name,
    execution_id: run.id,
    status: run.status,
    result: failed || !ended ? null : { output: run.output ?? '', iterations_used: run.iterations_used, tool_calls: run.tool_calls },
    metadata: {
      started_at: iso(run.started_at),
      completed_at: iso(run.finished_at),
      duration_seconds: run.started_at !== null && run.finished_at !== null ? Math.round((run.finished_at - run.started_at) / 1000) : null,
      model: agent.model,
      tokens_used: run.tokens_used,
    },
    error: run.error,
    crew_id: run.crew_id,
    crew_name: crew?.name ?? null,
    trigger_type: run.trigger_type,
    trigger_name: run.trigger_name,
  };
}

export const EVENT_FOR_STATUS: Record<string, string | undefined> = { completed: 'run.completed', failed: 'run.failed', timeout: 'run.timeout', cancelled: 'run.failed' };

/** Publishes an ended run's event inside `tx`; its id is fixed per run, so it goes out once. */
export async function announceEnd(publisher: Publisher, tx: Store, run: RunTable, agent: Pick<AgentTable, 'id' | 'name' | 'model'>): Promise<void> {
  const type = EVENT_FOR_STATUS[run.status];
  if (!type) return;
  const crew = await tx.agents.getCrew(run.crew_id);
  await publisher.publish({ type, data: runEventData(run, agent, crew), id: `evt_${run.id}` }, undefined, tx);
}
