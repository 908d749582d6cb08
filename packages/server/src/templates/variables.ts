/**
 * The variables each kind of template is given (docs/templates.md): post-action URL,
 * header and body templates and notification templates for Slack and outbound
 * webhooks. Used for docs and to warn about unknown names at save time.
 */
export interface TemplateVariable {
  name: string;
  type: 'string' | 'string | none' | 'any';
  description: string;
}

export const POST_ACTION_VARIABLES: readonly TemplateVariable[] = Object.freeze([
  { name: 'status', type: 'string', description: 'Run result: success or failed' },
  { name: 'trigger_type', type: 'string', description: 'Source type: webhook or schedule' },
  { name: 'trigger_name', type: 'string', description: 'Name of the webhook or schedule that triggered the run' },
  { name: 'team_name', type: 'string', description: 'Name of the agent team' },
  { name: 'run_id', type: 'string', description: 'Unique identifier of the source run' },
  { name: 'response', type: 'string', description: "The agent's response text (JSON-escaped in JSON templates)" },
  { name: 'error', type: 'string', description: 'Error message if the run failed (empty on success)' },
  { name: 'prompt', type: 'string', description: 'The prompt that was sent to the agent' },
  { name: 'started_at', type: 'string', description: 'Run start timestamp' },
  { name: 'finished_at', type: 'string', description: 'Run end timestamp' },
] as const);

export const NOTIFICATION_VARIABLES: readonly TemplateVariable[] = Object.freeze([
  { name: 'agent_name', type: 'string', description: 'Name of the agent' },
  { name: 'event', type: 'string', description: '"on_complete" | "on_error" | "on_timeout"' },
  { name: 'execution_id', type: 'string', description: 'UUID of the execution' },
  { name: 'session_id', type: 'string | none', description: 'Session ID (may be None)' },
  { name: 'output', type: 'any', description: 'Agent output (on_complete only)' },
  { name: 'error', type: 'string', description: 'Error message (on_error / on_timeout only)' },
  { name: 'timestamp', type: 'string', description: 'ISO-8601 timestamp' },
] as const);
