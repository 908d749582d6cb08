/**
 * The Slack test message (POST /api/v1/notifications/slack/test): one chat.postMessage now,
 * built, sent and read by the same code as a Slack notification (message.ts here and the
 * SSRF-guarded sender), so a passing test means notifications get through. Never retried,
 * never recorded in the notification log.
 */
import { type SendRequest, type SendResult } from '../../delivery/index.js';
import { UserError } from '../../errors/index.js';
import type { NotificationSettings } from '../notification-settings.js';
import { escapeMrkdwn, isSlackWebhookUrl, judgeSlack, slackChannel, slackMessage, truncateChars, withSlackToken } from './message.js';

export interface SlackTestInput {
  channel?: string | undefined;
  text?: string | undefined;
}

export interface SlackTestResult {
  ok: true;
  /** Where it went: the channel given, or the default channel. */
  channel: string;
  /** Slack's id of the posted message. */
  ts: string;
}

export const SLACK_TEST_TEXT = 'Hookline test message: Slack notifications from Hookline reach this channel.';
/** Longest test text; also Slack's limit for a section block's text. */
export const SLACK_TEST_MAX_CHARS = 3000;
const TIMEOUT_MS = 10_000;

const HOW_TO_CONFIGURE =
  'set notifications.slack.bot_token (or the environment variable HOOKLINE_SLACK_BOT_TOKEN) to a bot token "xoxb-…" and notifications.slack.enabled: true, then restart (or call useSlackNotifications)';

export class SlackTester {
  constructor(
    private readonly settings: NotificationSettings,
    private readonly sendHttp: (req: SendRequest) => Promise<SendResult>,
  ) {}

  async send(input: SlackTestInput): Promise<SlackTestResult> {
    const s = this.settings.slack;
    if (!s.enabled) throw new UserError('slack_not_configured', `Slack notifications are turned off: ${HOW_TO_CONFIGURE}`);
    if (!s.bot_token) {
      // An incoming-webhook default channel posts without a token, but this test uses the Web API.
      throw new UserError('slack_not_configured', `Slack has no bot token, which the test message (chat.postMessage) needs: ${HOW_TO_CONFIGURE}`);
    }
    const channel = this.channelFor(input.channel);
    const text = input.text ?? SLACK_TEST_TEXT;
    // Shown as written: escaped, so a test cannot ping @channel or hide a link.
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: truncateChars(escapeMrkdwn(text), SLACK_TEST_MAX_CHARS) } }];
    const req = slackMessage({ target: channel, blocks, text: escapeMrkdwn(text), apiBaseUrl: s.api_base_url });
    const res = await this.sendHttp({ ...req, headers: withSlackToken(req.headers, s.bot_token), timeoutMs: TIMEOUT_MS });
    return { ok: true, channel, ts: readAnswer(res) };
  }

  /** The channel given, else the default; a name or id only (a URL here would be a request to anywhere). */
  private channelFor(given: string | undefined): string {
    const fallback = this.settings.slack.default_channel;
    if (given === undefined && fallback !== undefined && isSlackWebhookUrl(fallback)) {
      throw new UserError(
        'no_channel',
        'the default channel is an incoming-webhook URL, and the test message posts to a channel with the bot token: give "channel", e.g. "#alerts"',
      );
    }
    const raw = given ?? fallback;
    if (raw === undefined || !raw.trim())
      throw new UserError('no_channel', 'no channel: give "channel", e.g. "#alerts", or set notifications.slack.default_channel');
    if (isSlackWebhookUrl(raw))
      throw new UserError('invalid_channel', 'channel: give a channel name such as "#alerts" or an id such as "C0123ABCD", not a URL');
    try {
      return slackChannel(raw);
    } catch (err) {
      throw new UserError('invalid_channel', `channel: ${(err as Error).message}`);
    }
  }
}

/** Slack's `ts` from an accepted answer; any other answer is a 502 saying what Slack (or the network) said. */
function readAnswer(res: SendResult): string {
  const judged = judgeSlack(res, false);
  if (judged.error) {
    if (judged.error.code === 'slack_error') throw new UserError('slack_error', `Slack refused the message: ${judged.error.message}`);
    if (judged.error.code === 'slack_bad_response') throw new UserError('slack_error', `${judged.error.message}; is notifications.slack.api_base_url right?`);
    // Not an outage: the operator's own guard refused the address, which only configuration fixes.
    if (judged.error.code === 'ssrf_blocked') {
      throw new UserError(
        'slack_api_blocked',
        `notifications.slack.api_base_url is not allowed: ${judged.error.message}. If this target is intended, add it to delivery.allow_networks in the configuration`,
      );
    }
    // The sender's messages never hold header values (the token is scrubbed).
    throw new UserError('slack_unreachable', `Slack could not be reached at notifications.slack.api_base_url: ${judged.error.message}`);
  }
  const answer = parseJson(res.responseBody);
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    // 429 and 5xx are left to the retry engine for notifications; a test is not retried.
    if (typeof answer?.error === 'string' && answer.error) throw new UserError('slack_error', `Slack refused the message: ${answer.error} (HTTP ${status})`);
    throw new UserError('slack_unreachable', `Slack answered HTTP ${status}; try again later`);
  }
  if (typeof answer?.ts === 'string') return answer.ts;
  // A long message's echo is cut at 4 KB (judgeSlack reads such answers too); ts comes before it.
  return /^\s*\{\s*"ok"\s*:\s*true\b[^{]*?"ts"\s*:\s*"([0-9.]{1,40})"/.exec(res.responseBody)?.[1] ?? '';
}

function parseJson(body: string): { ts?: unknown; error?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' ? (v as { ts?: unknown; error?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
