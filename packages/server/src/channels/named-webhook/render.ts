import type { FrozenRequest } from '../../store/index.js';
import { type Compile, DEFAULT_TIMEOUT_MS, type NoticeContext, USER_AGENT } from '../channel.js';
import type { NamedWebhook } from './settings.js';

/** A named webhook (docs/notifications.md): its payload_template (JSON-escaped) or a default JSON body; signed at send time. */
export function namedWebhookRequest(name: string, ctx: NoticeContext, o: { webhooks: readonly NamedWebhook[]; compile: Compile }): FrozenRequest {
  const w = o.webhooks.find((x) => x.name === name);
  if (!w) throw new Error(`no webhook named "${name}" is configured (notifications.webhooks)`);
  const body = w.payload_template
    ? o.compile(w.payload_template, 'json').render(ctx)
    : JSON.stringify({
        event: ctx.event,
        agent_name: ctx.agent_name,
        execution_id: ctx.execution_id,
        session_id: ctx.session_id,
        output: ctx.output,
        error: ctx.error || null,
        timestamp: ctx.timestamp,
      });
  return { method: 'POST', url: w.url, headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT }, body, timeout_ms: DEFAULT_TIMEOUT_MS };
}
