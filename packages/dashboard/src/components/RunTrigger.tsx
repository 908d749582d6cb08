// What started a run, linked to where that trigger is managed.
import type { Run } from '../api.js';
import { href, Link } from '../router.js';

/** The page of the trigger that started the run, or null when it has none of its own. */
export function triggerHref(run: Pick<Run, 'trigger_type' | 'trigger_id' | 'agent_id'>): string | null {
  if (run.trigger_type === 'schedule' && run.trigger_id) return href('/triggers/schedules', run.trigger_id);
  if (run.trigger_type === 'webhook' && run.trigger_id) return href('/triggers/webhooks', run.trigger_id);
  // A webhook run without a trigger id came through the agent's own trigger URL.
  if (run.trigger_type === 'webhook') return href('/agents', run.agent_id);
  return null;
}

export function TriggerLabel({ run }: { run: Pick<Run, 'trigger_type' | 'trigger_id' | 'trigger_name' | 'agent_id'> }) {
  const link = triggerHref(run);
  const name = run.trigger_name ?? (run.trigger_type === 'webhook' ? 'inbound' : null);
  return (
    <div>
      <span>{run.trigger_type}</span>
      {name && (
        <span className="sub">
          {link ? (
            <Link href={link} data-testid="trigger-link">
              {name}
            </Link>
          ) : (
            name
          )}
        </span>
      )}
    </div>
  );
}
