import type { DeliveryChannel, DeliveryStatus, PostActionAuthType, PostActionMethod, RunStatus, RunTriggerType } from '../store/index.js';

/**
 * Words a response may hold, defined here so that the schemas below every module can name
 * them; the modules that act on them re-export them from where they always did.
 */

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'timeout', 'cancelled'] as const satisfies readonly RunStatus[];
/** What started a run: a webhook (the agent's URL or a named trigger), a schedule, a person, or a report of a run made elsewhere. */
export const RUN_TRIGGER_TYPES = ['webhook', 'schedule', 'manual', 'api'] as const satisfies readonly RunTriggerType[];
/** How a named webhook trigger's sender signs. */
export const TRIGGER_SCHEMES = ['hookline', 'github', 'standard', 'grafana'] as const;
export const KEY_ROLES = ['admin', 'read'] as const;

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const satisfies readonly PostActionMethod[];
export const AUTH_TYPES = ['none', 'bearer', 'basic', 'header'] as const satisfies readonly PostActionAuthType[];
export const TRIGGER_TYPES = ['webhook', 'schedule'] as const;
export const FIRE_WHEN = ['any', 'success', 'failure'] as const;
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const satisfies readonly DeliveryStatus[];
/** The notification log's channels (the notification channels, and the endpoints'). */
export const CHANNELS = ['slack', 'webhook', 'post_action', 'callback', 'endpoint'] as const satisfies readonly DeliveryChannel[];
