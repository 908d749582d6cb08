import { urlProblem } from '../url-problem.js';
import { isSlackWebhookUrl, slackChannel } from './message.js';

/** Slack's settings (config `notifications.slack`, or `useSlackNotifications`). */
export interface SlackSettings {
  enabled: boolean;
  /** Secret: added at send time, never stored with a delivery. */
  bot_token?: string | undefined;
  default_channel?: string | undefined;
  templates_dir?: string | undefined;
  api_base_url: string;
}

/**
 * Why a Slack target is unusable, or undefined when it is fine: a channel name with or
 * without `#` (`#alerts`, `alerts`), a channel id (`C0123ABCD`), or an incoming-webhook URL.
 * A URL is never repeated in the message: an incoming-webhook URL is a credential.
 */
export function slackTargetProblem(target: string): string | undefined {
  if (/^https?:\/\//i.test(target.trim())) {
    if (!isSlackWebhookUrl(target))
      return 'Slack target looks like an incoming-webhook URL but is not a valid absolute URL; copy it again from Slack (https://hooks.slack.com/services/…)';
    const url = new URL(target.trim());
    if (url.username || url.password)
      return "Slack target is an incoming-webhook URL with a user name or password in it; remove them (Slack's URL carries its own token)";
    return undefined;
  }
  try {
    slackChannel(target);
    return undefined;
  } catch (err) {
    return (err as Error).message;
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
      `option "${at}": Slack is enabled but has no way to post: it needs bot_token. Set ${at}.bot_token (or the environment variable HOOKLINE_SLACK_BOT_TOKEN) to a bot token "xoxb-…", ` +
        `or set ${at}.default_channel to an incoming-webhook URL "https://hooks.slack.com/services/…"; or set ${at}.enabled: false.`,
    );
  }
  return problems;
}
