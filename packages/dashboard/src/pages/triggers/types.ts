// Schedules and named webhook triggers (the SDK's generated types), and where each trigger's page is.
import type { Run, Schedule, WebhookTrigger, WebhookTriggerScheme } from '@hookline/sdk';
import { href } from '../../router.js';

export type { Schedule, WebhookTrigger };
/** A run as GET /api/v1/runs lists it, with the fields that say which trigger started it. */
export type TriggerRun = Run;

export const TRIGGER_SCHEMES = ['hookline', 'github', 'standard', 'grafana'] as const;
export type TriggerScheme = WebhookTriggerScheme;

export const SCHEME_HINT: Record<TriggerScheme, string> = {
  hookline: 'X-Signature: hex HMAC-SHA256 of the body, optional X-Timestamp',
  github: 'X-Hub-Signature-256, as GitHub webhooks send it',
  standard: 'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); secret whsec_…',
  grafana: 'X-Grafana-Alerting-Signature, as Grafana contact points send it',
};

export interface AgentSummary {
  id: string;
  name: string;
  crew_id: string;
}

/**
 * The dashboard page of a binding's trigger: a schedule, a named webhook trigger (wht_…), or
 * otherwise an agent id, which stands for the agent's own trigger URL.
 */
export function triggerHref(type: 'webhook' | 'schedule', id: string): string {
  if (type === 'schedule') return href('/triggers/schedules', id);
  if (id.startsWith('wht_')) return href('/triggers/webhooks', id);
  return href('/agents', id);
}

/** A trigger's URL as senders call it, on the origin the dashboard was opened from. */
export function absoluteUrl(path: string): string {
  return new URL(path, window.location.origin).toString();
}
