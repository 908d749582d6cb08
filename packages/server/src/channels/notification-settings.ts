/**
 * The settings the notification channels read at send time (Slack's token, a named webhook's
 * secret), changed in place by the fluent API. Checked by notifications/settings.ts.
 */
import type { NOTIFY_EVENTS } from '../config/index.js';

type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** Slack's settings (config `notifications.slack`, or `useSlackNotifications`). */
export interface SlackSettings {
  enabled: boolean;
  /** Secret: added at send time, never stored with a delivery. */
  bot_token?: string | undefined;
  default_channel?: string | undefined;
  templates_dir?: string | undefined;
  api_base_url: string;
}

/** One named outbound webhook (config `notifications.webhooks`, or `useWebhookNotifications`). */
export interface NamedWebhook {
  name: string;
  url: string;
  /** Signs X-AgentGateway-Signature; read at send time. */
  secret: string;
  events: NotifyEvent[];
  payload_template?: string | undefined;
}

/** What the notifier and the send-time channels read; one object, changed in place by the fluent API. */
export interface NotificationSettings {
  slack: SlackSettings;
  webhooks: NamedWebhook[];
}
