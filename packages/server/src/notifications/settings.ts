import { checkDestinationUrl } from '../delivery/index.js';
import { compileTemplate, TemplateError } from '../templates/index.js';
import { UserError } from '../errors/index.js';
import { isSlackWebhookUrl, type NamedWebhook, type SlackSettings } from '../channels/index.js';
import { NOTIFY_EVENTS, WEBHOOK_NAME_PATTERN } from './events.js';

export type { NamedWebhook, NotificationSettings, SlackSettings } from '../channels/index.js';
import { slackTargetProblem } from './rules.js';

/** A URL option's problem in `option "field": …` form, or undefined when it is usable. */
function urlProblem(raw: string, field: string, example: string, credentialsHint: string): string | undefined {
  try {
    checkDestinationUrl(raw, { field: `option "${field}"`, example, credentialsHint });
    return undefined;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return err.message + '.';
  }
}

/**
 * What is wrong with Slack's settings (`at` names them: `notifications.slack`, or
 * `useSlackNotifications`): the API base URL, the default channel, and a way to post when
 * Slack is enabled. Shared by the config file check and the fluent API; no message repeats
 * the token or an incoming-webhook URL.
 */
export function slackSettingsProblems(s: SlackSettings, at: string): string[] {
  const problems: string[] = [];
  const api = urlProblem(s.api_base_url, `${at}.api_base_url`, 'https://slack.com/api', 'remove them (the bot token is sent as a bearer token)');
  if (api) problems.push(api);
  const channel = s.default_channel === undefined ? undefined : slackTargetProblem(s.default_channel);
  if (channel) problems.push(`option "${at}.default_channel": ${channel}.`);
  if (s.enabled && !s.bot_token && !(s.default_channel !== undefined && isSlackWebhookUrl(s.default_channel))) {
    problems.push(
      `option "${at}": Slack is enabled but has no way to post: it needs bot_token. Set ${at}.bot_token (or the environment variable HOOKLINE_SLACK_BOT_TOKEN) to a bot token "xoxb-…", `
        + `or set ${at}.default_channel to an incoming-webhook URL "https://hooks.slack.com/services/…"; or set ${at}.enabled: false.`,
    );
  }
  return problems;
}

/**
 * What is wrong with one named webhook (`at` names it, e.g. `notifications.webhooks[1]`): an
 * absolute http(s) URL without credentials and a payload template that compiles. Messages
 * never repeat the secret. Shared by the config file check and the fluent API.
 */
export function namedWebhookProblems(w: Pick<NamedWebhook, 'url' | 'payload_template'>, at: string): string[] {
  const problems: string[] = [];
  const url = urlProblem(w.url, `${at}.url`, 'https://hooks.example.com/agent-events', 'remove the user:password part (receivers check the X-AgentGateway-Signature made with "secret" instead)');
  if (url) problems.push(url);
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
  if (!new RegExp(WEBHOOK_NAME_PATTERN).test(w.name)) problems.push(`${at}: name must be 1–64 letters, digits, "_", "." or "-"`);
  if (!w.secret) problems.push(`${at}: secret is required (it signs X-AgentGateway-Signature)`);
  const unknown = w.events.filter((e) => !(NOTIFY_EVENTS as readonly string[]).includes(e));
  if (unknown.length) problems.push(`${at}: unknown events ${unknown.join(', ')}; use ${NOTIFY_EVENTS.join(', ')}`);
  if (problems.length) throw new UserError('invalid_notifications', problems.join('\n'));
  return { ...w, events: [...w.events] };
}
