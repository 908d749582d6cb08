// Post-actions as the API shows them (the SDK's generated types), with their ranges and defaults
// (docs/post-actions.md), so the builder's hints and limits say exactly what the server will accept.
import type {
  Binding,
  BindingTriggerType,
  PostAction,
  PostActionPreview,
  PostActionPreviewRequest,
  PostActionRun,
  TemplateProblem,
  TriggerBinding,
} from '@hookline/sdk';

export type { Binding, PostAction, PostActionRun, TemplateProblem, TriggerBinding };
export type PreviewInput = PostActionPreviewRequest;
export type Preview = PostActionPreview;

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export const AUTH_TYPES = ['none', 'bearer', 'basic', 'header'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const FIRE_WHEN = ['any', 'success', 'failure'] as const;
export type FireWhen = (typeof FIRE_WHEN)[number];

export const FIRE_WHEN_LABEL: Record<FireWhen, string> = {
  any: 'any outcome',
  success: 'success only',
  failure: 'failure only (failed, timed out or cancelled)',
};

export const TIMEOUT_SECONDS = { min: 1, max: 300, default: 30 } as const;
export const RETRY_COUNT = { min: 0, max: 5, default: 0 } as const;

/** What the API shows instead of a stored header value. */
export const HIDDEN = '********';

export type TriggerType = BindingTriggerType;

/** Every variable a post-action template gets (docs/templates.md): the post-actions', then the notifications'. */
export const TEMPLATE_VARIABLES: readonly { name: string; description: string }[] = [
  { name: 'status', description: 'Run result: success or failed' },
  { name: 'trigger_type', description: 'Source type: webhook or schedule' },
  { name: 'trigger_name', description: 'Name of the webhook or schedule that triggered the run' },
  { name: 'team_name', description: 'Name of the agent team' },
  { name: 'run_id', description: 'Unique identifier of the source run' },
  { name: 'response', description: "The agent's response text (JSON-escaped in JSON templates)" },
  { name: 'error', description: 'Error message if the run failed (empty on success)' },
  { name: 'prompt', description: 'The prompt that was sent to the agent' },
  { name: 'started_at', description: 'Run start timestamp' },
  { name: 'finished_at', description: 'Run end timestamp' },
  { name: 'agent_name', description: 'Name of the agent' },
  { name: 'event', description: '"on_complete" | "on_error" | "on_timeout"' },
  { name: 'execution_id', description: 'The run id (same as run_id)' },
  { name: 'session_id', description: 'Always none in Hookline' },
  { name: 'output', description: 'Agent output' },
  { name: 'timestamp', description: 'ISO-8601 timestamp' },
];
