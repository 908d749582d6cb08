import type { AgentRecord, RunRecord } from '../../store/index.js';
import { iso } from '../../util/index.js';

/** The callback payload (docs/callbacks.md), field for field. */
export function callbackPayload(run: RunRecord, agent: Pick<AgentRecord, 'id' | 'name' | 'model'>) {
  const status = run.status === 'completed' ? 'completed' : run.status === 'timeout' ? 'timeout' : 'failed';
  return {
    agent_loop_id: agent.id,
    agent_loop_name: agent.name,
    execution_id: run.id,
    status,
    result: status === 'failed' ? null : { output: run.output ?? '', iterations_used: run.iterations_used, tool_calls: run.tool_calls },
    metadata: {
      started_at: iso(run.started_at),
      completed_at: iso(run.finished_at),
      duration_seconds: run.started_at !== null && run.finished_at !== null ? Math.round((run.finished_at - run.started_at) / 1000) : null,
      model: agent.model,
      tokens_used: run.tokens_used,
    },
    error: run.error,
  };
}
