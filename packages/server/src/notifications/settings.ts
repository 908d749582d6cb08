import { checkDestinationUrl } from '../delivery/destination-url.js';
import { compileTemplate, TemplateError } from '../templates/index.js';
import { UserError } from '../util/errors.js';
import { NOTIFY_EVENTS, type NotifyEvent } from './events.js';

/** 003's Slack settings (config `notifications.slack`, or `useSlackNotifications`). */
export interface SlackSettings {
  enabled: boolean;
  /** Secret: added at send time, never stored with a delivery. */
  bot_token?: string | undefined;
  default_channel?: string | undefined;
  templates_dir?: string | undefined;
  api_base_url: string;
}

/** One of 003's named outbound webhooks. */
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

/**
 * What is wrong with one named webhook (`at` names it, e.g. `notifications.webhooks[1]`): an
 * absolute http(s) URL without credentials and a payload template that compiles. Messages
 * never repeat the secret. Shared by the config file check and the fluent API.
 */
export function namedWebhookProblems(w: Pick<NamedWebhook, 'url' | 'payload_template'>, at: string): string[] {
  const problems: string[] = [];
  try {
    checkDestinationUrl(w.url, { field: `option "${at}.url"`, example: 'https://hooks.example.com/agent-events', credentialsHint: 'remove the user:password part (receivers check the X-AgentGateway-Signature made with "secret" instead)' });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push(err.message + '.');
  }
  if (w.payload_template !== undefined) {
    try {
      compileTemplate(w.payload_template, { mode: 'json' });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      problems.push(`option "${at}.payload_template": line ${err.line}, column ${err.column} of the template: ${err.message}. Fix the template (syntax: docs/templates.md).`);
    }
  }
  return problems;
}

/** One named webhook as the fluent API gets it, checked like the config file's entries. */
export function checkNamedWebhook(w: NamedWebhook): NamedWebhook {
  const at = `useWebhookNotifications("${w.name}")`;
  const problems = namedWebhookProblems(w, at);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(w.name)) problems.push(`${at}: name must be 1–64 letters, digits, "_", "." or "-"`);
  if (!w.secret) problems.push(`${at}: secret is required (it signs X-AgentGateway-Signature)`);
  const unknown = w.events.filter((e) => !(NOTIFY_EVENTS as readonly string[]).includes(e));
  if (unknown.length) problems.push(`${at}: unknown events ${unknown.join(', ')}; use ${NOTIFY_EVENTS.join(', ')}`);
  if (problems.length) throw new UserError(422, 'invalid_notifications', problems.join('\n'));
  return { ...w, events: [...w.events] };
}
