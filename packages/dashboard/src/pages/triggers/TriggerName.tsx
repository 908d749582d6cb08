// A binding's trigger by name, linking to its page: a schedule, a named webhook trigger, or
// an agent (for the agent's own trigger URL). Falls back to the id when it cannot be read.
import { useResource } from '../../hooks/useResource.js';
import { Link } from '../../router.js';
import { triggerHref } from './types.js';

function pathOf(type: 'webhook' | 'schedule', id: string): string {
  const e = encodeURIComponent(id);
  if (type === 'schedule') return `/api/v1/schedules/${e}`;
  return id.startsWith('wht_') ? `/api/v1/webhook-triggers/${e}` : `/api/v1/agents/${e}`;
}

export function TriggerName({ type, id }: { type: 'webhook' | 'schedule'; id: string }) {
  const t = useResource<{ name: string }>(pathOf(type, id));
  const agentUrl = type === 'webhook' && !id.startsWith('wht_');
  return (
    <div>
      <Link href={triggerHref(type, id)} data-testid="trigger-link">
        {t.data?.name ?? id}
      </Link>
      <span className="sub">
        {type === 'schedule' ? 'schedule' : agentUrl ? "agent's own webhook URL" : 'webhook trigger'} · <span className="mono">{id}</span>
      </span>
    </div>
  );
}
