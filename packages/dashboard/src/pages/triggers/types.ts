// Schedules and named webhook triggers as the API shows them, and where each trigger's page is.
import type { Run } from '../../api.js';
import { href } from '../../router.js';

export interface Schedule {
  id: string;
  agent_id: string;
  name: string;
  cron: string;
  timezone: string;
  prompt: string;
  enabled: boolean;
  misfire_grace_seconds: number;
  /** Null when disabled. */
  next_run_at: string | null;
  next_runs: string[];
  last_run_at: string | null;
  last_run_id: string | null;
  last_skip_reason: string | null;
  created_at: string;
  updated_at: string;
}

export const TRIGGER_SCHEMES = ['hookline', 'github', 'standard', 'grafana'] as const;
export type TriggerScheme = (typeof TRIGGER_SCHEMES)[number];

export const SCHEME_HINT: Record<TriggerScheme, string> = {
  hookline: 'X-Signature: hex HMAC-SHA256 of the body, optional X-Timestamp',
  github: 'X-Hub-Signature-256, as GitHub webhooks send it',
  standard: 'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); secret whsec_…',
  grafana: 'X-Grafana-Alerting-Signature, as Grafana contact points send it',
};

export interface WebhookTrigger {
  id: string;
  agent_id: string;
  crew_id: string;
  name: string;
  scheme: TriggerScheme;
  prompt_template: string;
  enabled: boolean;
  /** A path on this server, e.g. /api/v1/webhooks/ops/reviewer/github. */
  url: string;
  created_at: string;
  updated_at: string;
}

export interface AgentSummary {
  id: string;
  name: string;
  crew_id: string;
}

/** A run as GET /api/v1/runs lists it, with the fields that say which trigger started it. */
export interface TriggerRun extends Run {
  trigger_id: string | null;
  trigger_name: string | null;
  started_at: string | null;
  error: string | null;
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
