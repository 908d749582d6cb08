import { type Judged } from '../../delivery/index.js';
import type { DeliveryRecord } from '../../store/index.js';
import type { Channel, Opener } from '../channel.js';
import { FROZEN_BASE, frozenRequest, prepareFrozen } from '../frozen.js';
import { isSlackWebhookUrl, judgeSlack, withSlackToken } from './message.js';
import type { SlackSettings } from './settings.js';

/**
 * Send-time half of Slack: the frozen message with the current bot token (none for an
 * incoming-webhook URL), and Slack's answers read by judgeSlack.
 */
export class SlackChannel implements Channel {
  constructor(
    private readonly settings: () => SlackSettings,
    private readonly openFresh: Opener,
  ) {}

  async prepare(rows: DeliveryRecord[]) {
    return prepareFrozen(rows, this.openFresh, (row, frozen) => {
      const viaUrl = isSlackWebhookUrl(row.target ?? '');
      const token = this.settings().bot_token;
      if (!viaUrl && !token) return 'slack_not_configured: set notifications.slack.bot_token (HOOKLINE_SLACK_BOT_TOKEN)';
      // The target is already masked (origin only), as the notification log shows it.
      return {
        ...FROZEN_BASE,
        ...(viaUrl ? { recordedUrl: row.target! } : {}),
        build: () => frozenRequest(frozen(), viaUrl ? {} : withSlackToken({}, token!)),
        judge: (res) => slackVerdict(judgeSlack(res, viaUrl)),
      };
    });
  }
}

/** Slack's own error word (`channel_not_found`) is the whole story; the notification log shows just that. */
function slackVerdict(j: Judged): Judged {
  return j.error?.code === 'slack_error' ? { ...j, error: { ...j.error, code: j.error.message } } : j;
}
