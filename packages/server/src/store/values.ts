/**
 * The store's records as the rest of the server sees them: booleans as booleans, JSON columns
 * parsed, closed sets as string unions. Times are integer milliseconds since the epoch. Sealed
 * columns (`*_enc`) stay sealed text: only the caller holds the key. The rows as stored are
 * schema.ts's, private to store/; the record groups convert at the edge.
 */
export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  role: 'admin' | 'read';
  /** The org the key is limited to; null for an installation key. */
  org_id: string | null;
  /** The environment the key is limited to; null for an installation or org key. */
  env_id: string | null;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** An org's own settings; an absent field takes the installation's value (docs/tenants.md). */
export interface OrgSettings {
  /** Retention windows as durations (`30d`), overriding `delivery.retention`. */
  retention?: { events?: string; attempts?: string };
  /** Limits of the org's every environment; an absent one is unlimited. */
  quotas?: { events_per_second?: number; endpoints?: number; agents?: number; stored_bytes?: number };
  /** Origins allowed to embed the portal in a frame (`frame-ancestors`). */
  portal_origins?: string[];
  /** The portal's brand: a CSS colour and an https logo URL. */
  brand?: { color?: string; logo_url?: string };
}

export interface OrgRecord {
  id: string;
  name: string;
  /** The installation's first org: what a request that names no tenant addresses. */
  is_default: boolean;
  settings: OrgSettings;
  created_at: number;
  updated_at: number;
}

export interface EnvRecord {
  id: string;
  org_id: string;
  name: string;
  /** The org's first environment: what an org key that names none addresses. */
  is_default: boolean;
  created_at: number;
}

export interface EndpointRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  url: string;
  description: string;
  /** Subscription patterns, as given. */
  events: string[];
  /** Sealed JSON object of custom headers (they often carry credentials). */
  headers_enc: string | null;
  timeout_ms: number;
  /** Retry delays in ms, or null for the configured default. */
  retry_schedule: number[] | null;
  signing_scheme: string;
  rate_limit: number | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: number | null;
  consecutive_failures: number;
  secret_enc: string;
  prev_secret_enc: string | null;
  prev_secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface EventRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  type: string;
  created_at: number;
  /** The frozen envelope exactly as sent: `{id,type,timestamp,org_id,env_id,data}`. */
  payload: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  id: string;
  /** The environment (tenant) it belongs to: its event's, or for a notification its run's. */
  env_id: string;
  event_id: string;
  endpoint_id: string;
  /** Copied from the event so the log can be filtered without a join. */
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due; while claimed, when the lease expires. */
  next_attempt_at: number;
  /** Claim token of the worker holding the lease; results from a stale lease are ignored. */
  lease_owner: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  /** endpoint | post_action | callback | slack | webhook (named notification webhooks). Default endpoint. */
  channel?: DeliveryChannel;
  /** The run that caused it: set for every notification (the notification log is these rows). */
  run_id?: string | null;
  agent_id?: string | null;
  /** What the log shows as the target: Slack channel, webhook name, post-action name, callback URL, endpoint id. */
  target?: string | null;
  /** The post-action binding that fired it. */
  source_id?: string | null;
  /** Sealed JSON of the frozen request ({@link FrozenRequest}) for channels other than endpoint. */
  request_enc?: string | null;
}

export type DeliveryChannel = 'endpoint' | 'post_action' | 'callback' | 'slack' | 'webhook';

/** A notification's request as rendered when its run ended; every attempt and manual retry sends it again. */
export interface FrozenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeout_ms: number;
}

export interface AttemptRecord {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  method: string;
  url: string;
  status_code: number | null;
  response_body: string;
  error_code: string | null;
  error_message: string | null;
}

export interface CrewRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface AgentRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  crew_id: string;
  name: string;
  description: string;
  runner: string;
  /** Sealed JSON of the runner's settings (they may hold credentials). */
  runner_config_enc: string;
  prompt_template: string;
  timeout_ms: number;
  max_concurrent_runs: number;
  model: string | null;
  webhook_secret_enc: string;
  /** Accepted inbound triggers per minute; null = unlimited. */
  rate_limit_per_minute: number | null;
  /** 'api', or 'file' for agents defined by an AGENT.md (changed by editing the file, not the API). Default 'api'. */
  source?: string;
  source_path?: string | null;
  /** Digest of the file's definition, so an unchanged file is not rewritten on every reload. */
  source_hash?: string | null;
  /** The agent's callback: where run results are POSTed, its custom headers (sealed JSON) and signing secret (sealed). */
  callback_url?: string | null;
  callback_headers_enc?: string | null;
  callback_secret_enc?: string | null;
  /** The per-agent notification rules, sealed JSON (a target may be an incoming-webhook URL); null = the configured defaults apply. */
  notifications?: string | null;
  created_at: number;
  updated_at: number;
}

/** What started a run: a named webhook (or the agent's own URL), a schedule, a person, the API. */
export type RunTriggerType = 'webhook' | 'schedule' | 'manual' | 'api';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'timeout' | 'cancelled';

export interface RunRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  crew_id: string;
  agent_id: string;
  trigger_type: RunTriggerType;
  trigger_id: string | null;
  trigger_name: string | null;
  prompt: string;
  status: RunStatus;
  output: string | null;
  error: string | null;
  exit_code: number | null;
  iterations_used: number | null;
  tool_calls: number | null;
  tokens_used: number | null;
  idempotency_key: string | null;
  /** Worker holding a running run, and until when; an expired lease means its worker died. */
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface RunLogRecord {
  run_id: string;
  seq: number;
  agent_id: string;
  at: number;
  stream: 'stdout' | 'stderr' | 'system';
  line: string;
}

/** A named URL that starts runs of one agent, with its own secret, signing scheme and prompt. */
export interface WebhookTriggerRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  agent_id: string;
  crew_id: string;
  /** The last path segment of its URL: /api/v1/webhooks/{crew}/{agent}/{name}. */
  name: string;
  /** hookline | github | standard | grafana */
  scheme: string;
  secret_enc: string;
  /** Used instead of the agent's prompt template when not empty. */
  prompt_template: string;
  enabled: boolean;
  created_at: number;
  updated_at: number;
}

/** A cron schedule that starts runs of one agent. */
export interface ScheduleRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  agent_id: string;
  name: string;
  cron: string;
  /** IANA time zone the expression is read in. */
  timezone: string;
  /** Put after the agent's prompt template. */
  prompt: string;
  enabled: boolean;
  /** How late a tick may still run; later ticks are skipped. */
  misfire_grace_ms: number;
  /** The next tick to fire; null when disabled or when the expression has no future tick. */
  next_run_at: number | null;
  last_run_at: number | null;
  last_run_id: string | null;
  /** Why the most recent tick did not start a run; null when it did. */
  last_skip_reason: string | null;
  created_at: number;
  updated_at: number;
}

export type PostActionMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type PostActionAuthType = 'none' | 'bearer' | 'basic' | 'header';

/** A reusable HTTP request (a post-action) fired when a bound trigger's run ends. */
export interface PostActionRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  name: string;
  method: PostActionMethod;
  url_template: string;
  /** Sealed JSON object of header name → value template (values may hold credentials); null when none. */
  headers_enc: string | null;
  body_template: string;
  auth_type: PostActionAuthType;
  /** Sealed JSON: bearer {token}, basic {username,password}, header {name,value}; null for none. */
  auth_enc: string | null;
  timeout_ms: number;
  /** Retries after the first attempt, 0–5. */
  retry_count: number;
  enabled: boolean;
  created_at: number;
  updated_at: number;
}

/** Attaches a post-action to one webhook trigger or schedule. */
export interface PostActionBindingRecord {
  id: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  post_action_id: string;
  trigger_type: 'webhook' | 'schedule';
  /** A webhook trigger id (wht_…), an agent id (its own trigger URL), or a schedule id (sch_…). */
  trigger_id: string;
  /** any | success | failure (failure includes timeout). */
  fire_when: 'any' | 'success' | 'failure';
  /** Used instead of the post-action's body template when not null. */
  body_override: string | null;
  enabled: boolean;
  created_at: number;
  updated_at: number;
}

/** A request bin of the Inspector: `/inspect/{name}` captures whatever is sent to it. */
export interface InspectorBinRecord {
  /** 1–64 letters, digits, `_` or `-`: the last segment of its capture URL. */
  name: string;
  /** The environment (tenant) it belongs to (docs/tenants.md). */
  env_id: string;
  /** auto | standard | x-signature | agentgateway | github | callback */
  scheme: string;
  /** Sealed secret that captured signatures are checked with; null = none. */
  secret_enc: string | null;
  /** The seq of the latest capture (0 before the first). */
  next_seq: number;
  created_at: number;
}

/** One request captured into a bin. */
export interface InspectorRequestRecord {
  id: string;
  bin: string;
  /** 1, 2, 3… per bin, in capture order. */
  seq: number;
  method: string;
  /** As received: path and query string. */
  path: string;
  /** Lower-case header name → value. */
  headers: Record<string, string>;
  /** The stored bytes (at most inspector.max_body_bytes), base64. */
  body_base64: string;
  body_truncated: boolean;
  /** Size of the whole body as received. */
  size_bytes: number;
  remote_address: string;
  received_at: number;
  /** The signature check at capture time (inspector/'s SignatureCheck); null when there was nothing to check. */
  signature: object | null;
}
