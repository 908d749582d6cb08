/**
 * Words the configuration shares with the modules that act on it, defined here so that
 * configuration imports nothing above it (agents/ and notifications/ import them from here).
 */

/** The runner kinds an agent may name (`runner:` in an AGENT.md, `agents.default_runner.runner`). */
export const RUNNERS = ['command', 'http', 'openai'] as const;

/** Run events that notifications announce, as agents' rules and named webhooks name them. */
export const NOTIFY_EVENTS = ['on_complete', 'on_error', 'on_timeout'] as const;

/** A named webhook's name (config `notifications.webhooks[].name`, `useWebhookNotifications`): what rules use as `target`. */
export const WEBHOOK_NAME_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';

/** How long a run may take when its agent sets no `timeout_seconds` (10 minutes); `agents.default_timeout_seconds` changes it. */
export const DEFAULT_AGENT_TIMEOUT_SECONDS = 600;
