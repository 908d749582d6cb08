import type { HooklineConfig } from '../config/index.js';
import { namedWebhookProblems } from './named-webhook/index.js';
import { slackSettingsProblems } from './slack/index.js';

/**
 * Checks of `notifications` that the schema cannot express: unique webhook names,
 * usable URLs, a way for Slack to post when it is enabled, payload templates that compile.
 * Returns one message per problem, in validateConfig's `option "key": …` form. No message
 * repeats a secret (bot token, webhook secret, incoming-webhook URL).
 */
export function notificationProblems(n: HooklineConfig['notifications']): string[] {
  const problems: string[] = [];
  const { slack, webhooks } = n;
  problems.push(...slackSettingsProblems(slack, 'notifications.slack'));

  const firstWithName = new Map<string, number>();
  webhooks.forEach((w, i) => {
    const at = `notifications.webhooks[${i}]`;
    const earlier = firstWithName.get(w.name);
    if (earlier !== undefined) {
      problems.push(
        `option "${at}.name": "${w.name}" is already the name of notifications.webhooks[${earlier}]; give each webhook its own name (agents' notification rules pick webhooks by name).`,
      );
    } else {
      firstWithName.set(w.name, i);
    }
    problems.push(...namedWebhookProblems(w, at));
  });
  return problems;
}
