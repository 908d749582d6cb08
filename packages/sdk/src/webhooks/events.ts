/** What Hookline POSTs to receivers, by channel (see docs/endpoints-and-signing.md, callbacks.md, notifications.md). */

/** The callback payload (docs/callbacks.md): the body of an agent's callback, and the core of `run.*` event data. */
export interface CallbackPayload {
  agent_loop_id: string;
  agent_loop_name: string;
  /** The run id (`run_…`); the same in every retry, so deduplicate on it. */
  execution_id: string;
  status: 'completed' | 'failed' | 'timeout';
  /** `null` when failed. */
  result: { output: string; iterations_used: number | null; tool_calls: number | null } | null;
  metadata: {
    started_at: string | null;
    completed_at: string | null;
    duration_seconds: number | null;
    model: string | null;
    tokens_used: number | null;
  };
  error: string | null;
}

/** `data` of `run.started`, `run.completed`, `run.failed` and `run.timeout`. */
export interface RunEventData extends Omit<CallbackPayload, 'status'> {
  /** `run.started` carries the live status (`running`); an ended run, `completed`, `failed` or `timeout`. */
  status: CallbackPayload['status'] | 'running';
  crew_id: string;
  crew_name: string | null;
  trigger_type: string;
  trigger_name: string | null;
}

/** The envelope every endpoint delivery carries (docs/endpoints-and-signing.md). */
export interface EventEnvelope<Type extends string = string, Data = unknown> {
  /** `evt_…` or the id given when publishing; also the `webhook-id` header. Deduplicate on it. */
  id: string;
  type: Type;
  /** When the event was published (ISO 8601); the same on every retry. */
  timestamp: string;
  org_id: string;
  env_id: string;
  data: Data;
}

export type RunEventType = 'run.started' | 'run.completed' | 'run.failed' | 'run.timeout';
export type RunEvent = EventEnvelope<RunEventType, RunEventData>;
export type WebhookTestEvent = EventEnvelope<'webhook.test', { endpoint_id: string; message: string }>;
export type EndpointDisabledEvent = EventEnvelope<'endpoint.disabled', { endpoint_id: string; reason: string }>;
/** The events Hookline emits itself. */
export type BuiltInEvent = RunEvent | WebhookTestEvent | EndpointDisabledEvent;
/** Anything an endpoint can receive: a built-in event or one you published (narrow with the guards below). */
export type HooklineEvent = BuiltInEvent | EventEnvelope;

/** The default body of a named notification webhook (signed `agentgateway`), unless the operator set a `payload_template`. */
export interface NamedWebhookPayload {
  event: 'on_complete' | 'on_error' | 'on_timeout';
  agent_name: string;
  execution_id: string;
  session_id: string | null;
  output: string | null;
  error: string | null;
  timestamp: string;
}

const RUN_TYPES = new Set<string>(['run.started', 'run.completed', 'run.failed', 'run.timeout']);

export const isRunEvent = (e: { type?: unknown }): e is RunEvent => typeof e.type === 'string' && RUN_TYPES.has(e.type);
export const isWebhookTestEvent = (e: { type?: unknown }): e is WebhookTestEvent => e.type === 'webhook.test';
export const isEndpointDisabledEvent = (e: { type?: unknown }): e is EndpointDisabledEvent => e.type === 'endpoint.disabled';
