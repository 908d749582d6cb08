/**
 * Shapes of the routes whose OpenAPI entry has no response schema yet (crews, agents, runs,
 * named webhook triggers, logs). Everything else is derived from the server's OpenAPI
 * document in ./generated/api-types.ts; see ./types.ts.
 */

export type RunnerKind = 'command' | 'http' | 'openai';
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'timeout' | 'cancelled';
export type TriggerType = 'webhook' | 'schedule' | 'manual' | 'report' | (string & {});

export interface Crew {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface NotificationRule {
  channel: 'slack' | 'webhook';
  /** A Slack channel or incoming-webhook URL, or a named webhook from the server's config. */
  target: string;
}
/** Seed 003's per-agent rules. */
export type NotificationRules = Partial<Record<'on_complete' | 'on_error' | 'on_timeout', NotificationRule[]>>;

/** Runner settings as the API shows them: secret values (env, headers, api_key) as `********`. */
export type RunnerConfigView =
  | { command: string; args: string[]; cwd: string | null; env: Record<string, string> }
  | { url: string; headers: Record<string, string> }
  | { base_url: string; model: string | null; api_key: string | null; system_prompt: string | null; temperature: number | null; max_tokens: number | null };

export interface Agent {
  id: string;
  crew_id: string;
  name: string;
  description: string;
  runner: RunnerKind;
  runner_config: RunnerConfigView;
  prompt_template: string;
  timeout_seconds: number;
  max_concurrent_runs: number;
  model: string | null;
  rate_limit_per_minute: number | null;
  /** The agent's own inbound URL (path), signed with its webhook secret. */
  trigger_url: string;
  /** `file` when an AGENT.md defines it: change the file, not the API. */
  source: 'api' | 'file';
  source_path: string | null;
  notifications: NotificationRules | null;
  callback_url: string | null;
  created_at: string;
  updated_at: string;
}

/** `POST /api/v1/agents` answers with the inbound secret, shown only here. */
export interface AgentWithSecret extends Agent {
  webhook_secret: string;
}

export interface AgentFilesReport {
  dir: string;
  loaded: { id: string; path: string; action: 'created' | 'updated' | 'unchanged' }[];
  removed: string[];
  errors: { path: string; line: number; message: string }[];
}

export interface Run {
  id: string;
  crew_id: string;
  agent_id: string;
  trigger_type: TriggerType;
  trigger_id: string | null;
  trigger_name: string | null;
  prompt: string;
  status: RunStatus;
  output: string | null;
  error: string | null;
  exit_code: number | null;
  usage: { iterations_used: number | null; tool_calls: number | null; tokens_used: number | null };
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_seconds: number | null;
}

/** `POST /api/v1/runs/report` adds whether this `external_id` was reported before. */
export interface ReportedRun extends Run {
  duplicate: boolean;
}

export interface RunLogLine {
  run_id: string;
  seq: number;
  at: string;
  stream: 'stdout' | 'stderr' | (string & {});
  line: string;
}

export interface RunLogs {
  items: RunLogLine[];
  /** The run's status when the lines were read: poll with `after_seq` until it has ended. */
  run_status: RunStatus;
}

export type WebhookTriggerScheme = 'hookline' | 'github' | 'standard' | 'grafana';

export interface WebhookTrigger {
  id: string;
  agent_id: string;
  crew_id: string;
  name: string;
  scheme: WebhookTriggerScheme;
  prompt_template: string;
  enabled: boolean;
  /** Path of the trigger URL: /api/v1/webhooks/{crew}/{agent}/{name}. */
  url: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookTriggerWithSecret extends WebhookTrigger {
  secret: string;
}
