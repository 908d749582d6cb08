/**
 * The settings the notification channels read at send time (Slack's token, a named webhook's
 * secret), changed in place by the fluent API. Each channel checks its own part
 * (slack/settings.ts, named-webhook/settings.ts).
 */
import type { NamedWebhook } from './named-webhook/index.js';
import type { SlackSettings } from './slack/index.js';

/** What the notifier and the send-time channels read; one object, changed in place by the fluent API. */
export interface NotificationSettings {
  slack: SlackSettings;
  webhooks: NamedWebhook[];
}
