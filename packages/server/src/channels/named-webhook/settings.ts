import { NOTIFY_EVENTS, WEBHOOK_NAME_PATTERN } from '../../config/index.js';
import { compileTemplate, TemplateError } from '../../templates/index.js';
import { UserError } from '../../errors/index.js';
import type { NotifyEvent } from '../notify-events.js';
import { urlProblem } from '../url-problem.js';

/** One named outbound webhook (config `notifications.webhooks`, or `useWebhookNotifications`). */
export interface NamedWebhook {
  name: string;
  url: string;
  /** Signs X-AgentGateway-Signature; read at send time. */
  secret: string;
  events: NotifyEvent[];
  payload_template?: string | undefined;
}

/**
 * What is wrong with one named webhook (`at` names it, e.g. `notifications.webhooks[1]`): an
 * absolute http(s) URL without credentials and a payload template that compiles. Messages
 * never repeat the secret. Shared by the config file check and the fluent API.
 */
export function namedWebhookProblems(w: Pick<NamedWebhook, 'url' | 'payload_template'>, at: string): string[] {
  const problems: string[] = [];
  const url = urlProblem(
    w.url,
    `${at}.url`,
    'https://hooks.example.com/agent-events',
    'remove the user:password part (receivers check the X-AgentGateway-Signature made with "secret" instead)',
  );
  if (url) problems.push(url);
  if (w.payload_template !== undefined) {
    try {
      compileTemplate(w.payload_template, { mode: 'json' });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      problems.push(
        `option "${at}.payload_template": line ${err.line}, column ${err.column} of the template: ${err.message}. Fix the template (syntax: docs/templates.md).`,
      );
    }
  }
  return problems;
}

/** One named webhook as the fluent API gets it, checked like the config file's entries. */
export function checkNamedWebhook(w: NamedWebhook): NamedWebhook {
  const at = `useWebhookNotifications("${w.name}")`;
  const problems = namedWebhookProblems(w, at);
  if (!new RegExp(WEBHOOK_NAME_PATTERN).test(w.name)) problems.push(`${at}: name must be 1–64 letters, digits, "_", "." or "-"`);
  if (!w.secret) problems.push(`${at}: secret is required (it signs X-AgentGateway-Signature)`);
  const unknown = w.events.filter((e) => !(NOTIFY_EVENTS as readonly string[]).includes(e));
  if (unknown.length) problems.push(`${at}: unknown events ${unknown.join(', ')}; use ${NOTIFY_EVENTS.join(', ')}`);
  if (problems.length) throw new UserError('invalid_notifications', problems.join('\n'));
  return { ...w, events: [...w.events] };
}
