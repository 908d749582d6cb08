import type { FrozenRequest } from '../../store/index.js';
import { DEFAULT_TIMEOUT_MS, type NoticeContext } from '../channel.js';
import type { NotifyEvent } from '../notify-events.js';
import { fallbackText, isSlackWebhookUrl, slackChannel, slackMessage } from './message.js';
import type { SlackSettings } from './settings.js';
import type { SlackTemplates } from './templates.js';

/** A Slack message: the agent's or event's template from templates_dir, else the built-in Block Kit layout. */
export function slackRequest(
  target: string,
  agentName: string,
  event: NotifyEvent,
  ctx: NoticeContext,
  o: { settings: SlackSettings; templates: SlackTemplates },
): FrozenRequest {
  const { blocks, text } = o.templates.renderMessage(agentName, event, ctx);
  const to = isSlackWebhookUrl(target) ? target : slackChannel(target);
  return { ...slackMessage({ target: to, blocks, text: text ?? fallbackText(ctx), apiBaseUrl: o.settings.api_base_url }), timeout_ms: DEFAULT_TIMEOUT_MS };
}
