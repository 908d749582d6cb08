// The surface of notifications/: what a run's end causes (the planner), the template variables,
// The per-agent notification rules and the notification log. Each channel's own code lives in channels/.
export { notificationContext, notifyEventFor, runEventFor, type NotificationContext } from './context.js';
export { NOTIFY_EVENTS, NOTIFY_EVENT_FOR_RUN_EVENT, type NotificationRule, type NotificationRules, type NotifyEvent } from './events.js';
export { Notifier, type NotifierOptions } from './planner.js';
export { CHANNELS, NotificationLog, notificationView, type NotificationQuery } from './log.js';
export { parseNotificationRules, RulesError, rulesFromJson, rulesToJson } from './rules.js';
