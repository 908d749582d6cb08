import { NOTIFY_EVENTS, WEBHOOK_NAME_PATTERN } from '../config/index.js';
import { NOTIFY_EVENT_FOR_RUN_EVENT, type NotifyEvent } from '../channels/index.js';

/** The notification events, and the run events they stand for. */
export { NOTIFY_EVENTS, NOTIFY_EVENT_FOR_RUN_EVENT, type NotifyEvent, WEBHOOK_NAME_PATTERN };

/** One per-agent notification rule: where a run event of this agent is announced. */
export interface NotificationRule {
  channel: 'slack' | 'webhook';
  /** A Slack channel (with or without #) or incoming-webhook URL; or a named webhook from the config. */
  target: string;
}

/** An agent's rules; an agent with rules gets exactly these (events it does not list get nothing). */
export type NotificationRules = Partial<Record<NotifyEvent, NotificationRule[]>>;
