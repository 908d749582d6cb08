import type { AgentRecord, CrewRecord, RunRecord } from '../store/index.js';
import { callbackPayload } from '../channels/index.js';
import { iso } from '../util/index.js';
import type { RunView } from '../wire/index.js';

/** What the API shows of a run. */
export function runView(r: RunRecord): RunView {
  return {
    id: r.id,
    crew_id: r.crew_id,
    agent_id: r.agent_id,
    trigger_type: r.trigger_type as RunView['trigger_type'],
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
 * The `data` of run.completed / run.failed / run.timeout: the callback payload (docs/callbacks.md), field for
 * field, plus what a Hookline user filters on (crew, trigger).
 */
export function runEventData(run: RunRecord, agent: Pick<AgentRecord, 'id' | 'name' | 'model'>, crew: Pick<CrewRecord, 'id' | 'name'> | undefined) {
  const ended = run.finished_at !== null;
  const payload = callbackPayload(run, agent);
  return {
    ...payload,
    // run.started carries the live status; an ended run, the callback's completed | failed | timeout.
    status: ended ? payload.status : run.status,
    result: ended ? payload.result : null,
    crew_id: run.crew_id,
    crew_name: crew?.name ?? null,
    trigger_type: run.trigger_type,
    trigger_name: run.trigger_name,
  };
}
