import type { AgentRecord, CrewRecord, RunRecord } from '../store/index.js';
import { iso } from '../util/index.js';
import { NOTIFY_EVENT_FOR_RUN_EVENT, type NotifyEvent } from './events.js';

/** The run event an ended run announces; cancelled runs count as failed (they did not succeed). */
export function runEventFor(status: RunRecord['status']): 'run.completed' | 'run.failed' | 'run.timeout' | undefined {
  if (status === 'completed') return 'run.completed';
  if (status === 'failed' || status === 'cancelled') return 'run.failed';
  if (status === 'timeout') return 'run.timeout';
  return undefined;
}

export function notifyEventFor(status: RunRecord['status']): NotifyEvent | undefined {
  const e = runEventFor(status);
  return e && NOTIFY_EVENT_FOR_RUN_EVENT[e];
}

/**
 * Every template's variables for one ended run: the post-actions' and the notifications'
 * (Slack and named webhooks) together, so any template may use either set.
 */
export function notificationContext(run: RunRecord, agent: Pick<AgentRecord, 'name'>, crew: Pick<CrewRecord, 'name'> | undefined, now: number) {
  const event = notifyEventFor(run.status) ?? 'on_error';
  const success = run.status === 'completed';
  const error = success ? '' : (run.error ?? '');
  return {
    // Post-actions
    status: success ? 'success' : 'failed',
    trigger_type: run.trigger_type,
    trigger_name: run.trigger_name ?? '',
    team_name: crew?.name ?? '',
    run_id: run.id,
    response: run.output ?? '',
    error,
    prompt: run.prompt,
    started_at: iso(run.started_at) ?? '',
    finished_at: iso(run.finished_at) ?? '',
    // Notifications
    agent_name: agent.name,
    event,
    execution_id: run.id,
    session_id: null,
    // Notifications: output on_complete only; a timeout's partial output is still the agent's.
    output: event === 'on_error' ? null : (run.output ?? ''),
    timestamp: iso(run.finished_at ?? now)!,
  };
}

export type NotificationContext = ReturnType<typeof notificationContext>;
