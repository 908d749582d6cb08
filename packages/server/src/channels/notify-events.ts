import { NOTIFY_EVENTS } from '../config/index.js';

/** The notification events (docs/notifications.md), which a Slack template or a named webhook is chosen by. */
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** The run event each notification event stands for. */
export const NOTIFY_EVENT_FOR_RUN_EVENT: Readonly<Record<string, NotifyEvent>> = Object.freeze({
  'run.completed': 'on_complete',
  'run.failed': 'on_error',
  'run.timeout': 'on_timeout',
});
