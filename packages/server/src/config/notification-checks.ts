import { checkDestinationUrl } from '../delivery/destination-url.js';
import { isSlackWebhookUrl } from '../channels/slack.js';
import { slackTargetProblem } from '../notifications/rules.js';
import { namedWebhookProblems } from '../notifications/settings.js';
import { UserError } from '../util/errors.js';
import type { HooklineConfig } from './schema.js';

/**
 * Checks of `notifications` that the schema cannot express (seed 003): unique webhook names,
 * usable URLs, a way for Slack to post when it is enabled, payload templates that compile.
 * Returns one message per problem, in validateConfig's `option "key": …` form. No message
 * repeats a secret (bot token, webhook secret, incoming-webhook URL).
 */
export function notificationProblems(n: HooklineConfig['notifications']): string[] {
  const problems: string[] = [];
  const url = (raw: string, field: string, example: string, credentialsHint: string) => {
    try {
      checkDestinationUrl(raw, { field: `option "${field}"`, example, credentialsHint });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(err.message + '.');
    }
  };

  const { slack, webhooks } = n;
  url(slack.api_base_url, 'notifications.slack.api_base_url', 'https://slack.com/api', 'remove them (the bot token is sent as a bearer token)');
  const channelProblem = slack.default_channel === undefined ? undefined : slackTargetProblem(slack.default_channel);
  if (channelProblem) problems.push(`option "notifications.slack.default_channel": ${channelProblem}.`);
  if (slack.enabled && slack.bot_token === undefined && !(slack.default_channel !== undefined && isSlackWebhookUrl(slack.default_channel))) {
    problems.push(
      'option "notifications.slack": Slack is enabled but has no way to post. Set notifications.slack.bot_token (or the environment variable HOOKLINE_SLACK_BOT_TOKEN) to a bot token "xoxb-…", '
        + 'or set notifications.slack.default_channel to an incoming-webhook URL "https://hooks.slack.com/services/…"; or set notifications.slack.enabled: false.',
    );
  }

  const firstWithName = new Map<string, number>();
  webhooks.forEach((w, i) => {
    const at = `notifications.webhooks[${i}]`;
    const earlier = firstWithName.get(w.name);
    if (earlier !== undefined) {
      problems.push(`option "${at}.name": "${w.name}" is already the name of notifications.webhooks[${earlier}]; give each webhook its own name (agents' notification rules pick webhooks by name).`);
    } else {
      firstWithName.set(w.name, i);
    }
    problems.push(...namedWebhookProblems(w, at));
  });
  return problems;
}
