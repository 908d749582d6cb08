/**
 * Slack notifications (docs/slack.md): the built-in Block Kit message, the request for a channel
 * (Web API chat.postMessage) or an incoming-webhook URL, and reading Slack's answers, which
 * report most failures inside an HTTP 200. Pure: no sending, no secrets kept.
 */
import { type Judged, type SendResult } from '../../delivery/index.js';
import { type NoticeContext, USER_AGENT } from '../channel.js';

/** What a Slack message shows of a run: the notification variables (docs/templates.md). */
export type SlackContext = NoticeContext;

export interface SlackRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** How long an output or error summary may get before it is cut (characters, not bytes). */
export const SUMMARY_CHARS = 500;

const EVENT_WORDS: Readonly<Record<string, string>> = { on_complete: 'completed', on_error: 'failed', on_timeout: 'timed out' };
const EVENT_ICONS: Readonly<Record<string, string>> = { on_complete: ':white_check_mark:', on_error: ':x:', on_timeout: ':hourglass:' };

/** An http(s) URL target is an incoming-webhook URL; anything else names a channel. */
export function isSlackWebhookUrl(target: string): boolean {
  if (!/^https?:\/\//i.test(target.trim())) return false;
  try {
    new URL(target.trim());
    return true;
  } catch {
    return false;
  }
}

/**
 * How an incoming-webhook URL is shown (logs, the notification log, agent views): its path is
 * the credential, so only the origin is kept, e.g. `https://hooks.slack.com/…`.
 */
export function maskWebhookUrl(target: string): string {
  return isSlackWebhookUrl(target) ? `${new URL(target.trim()).origin}/…` : target;
}

/** Slack's conversation ids: C (channel), G (private/group), D (direct message). */
const SLACK_ID = /^[CGD][A-Z0-9]{8,}$/;

/**
 * The `channel` for chat.postMessage from a rule's target, given with or without `#`:
 * `alerts` → `#alerts`; `#alerts` and ids such as `C0123ABCD` stay as they are.
 */
export function slackChannel(target: string): string {
  const value = target.trim();
  const how = 'give a channel name such as "#alerts" or "alerts", or a channel id such as "C0123ABCD"';
  if (!value || value === '#') throw new Error(`Slack target is empty; ${how}`);
  if (/[\s,]/.test(value)) {
    throw new Error(`Slack target ${JSON.stringify(target)} is not one channel name (it has a space or comma); ${how}, one per rule`);
  }
  if (value.indexOf('#', 1) !== -1) throw new Error(`Slack target ${JSON.stringify(target)} has a "#" inside the name; ${how}`);
  if (value.replace(/^#/, '').length > 80) throw new Error(`Slack target ${JSON.stringify(target)} is longer than Slack's 80-character channel names; ${how}`);
  if (value.startsWith('#') || SLACK_ID.test(value)) return value;
  return `#${value}`;
}

/** Slack's mrkdwn escaping: only these three, so `<!channel>` or `<http://x|y>` in a value shows as text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to `max` characters (code points, so an emoji is never split), ending with "…". */
export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Any output as text: strings as they are, other values as JSON. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export const eventWords = (event: string): string => EVENT_WORDS[event] ?? event;

/** The output (on_complete) or error (otherwise) summary, cut and escaped, as a code block. */
function summary(ctx: SlackContext): { label: string; text: string } {
  const isComplete = ctx.event === 'on_complete';
  const raw = asText(isComplete ? ctx.output : ctx.error).trim();
  const label = isComplete ? 'Output' : 'Error';
  if (!raw) return { label, text: isComplete ? '_(no output)_' : '_(no error message)_' };
  // A ``` inside the value would close the code block early; a zero-width space breaks it up.
  const body = escapeMrkdwn(truncateChars(raw, SUMMARY_CHARS)).replace(/```/g, '``\u200b`');
  return { label, text: `\`\`\`${body}\`\`\`` };
}

/** The built-in message: agent name, event, execution id, and a summary of the output or error. */
export function builtinSlackBlocks(ctx: SlackContext): unknown[] {
  const agent = escapeMrkdwn(truncateChars(asText(ctx.agent_name), 200));
  const words = eventWords(ctx.event);
  const icon = EVENT_ICONS[ctx.event] ?? ':bell:';
  const { label, text } = summary(ctx);
  const context = [`${escapeMrkdwn(asText(ctx.timestamp))}`];
  if (ctx.session_id) context.push(`session \`${escapeMrkdwn(truncateChars(asText(ctx.session_id), 200))}\``);
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `${icon} *${agent}* ${escapeMrkdwn(words)}` } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Agent*\n${agent}` },
        { type: 'mrkdwn', text: `*Event*\n${escapeMrkdwn(words)} (\`${escapeMrkdwn(ctx.event)}\`)` },
        { type: 'mrkdwn', text: `*Execution*\n\`${escapeMrkdwn(truncateChars(asText(ctx.execution_id), 200))}\`` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*${label}*\n${text}` } },
    { type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: t })) },
  ];
}

/** The `text` Slack shows in notifications and where blocks cannot be shown. */
export function fallbackText(ctx: SlackContext): string {
  const head = `${truncateChars(asText(ctx.agent_name), 200)} ${eventWords(ctx.event)}`;
  const error = ctx.event === 'on_complete' ? '' : asText(ctx.error).replace(/\s+/g, ' ').trim();
  return escapeMrkdwn(error ? `${head}: ${truncateChars(error, 150)}` : head);
}

/**
 * The frozen request: chat.postMessage for a channel, the URL itself for an incoming webhook.
 * No token here; `withSlackToken` adds it at send time, so it is never stored with the request.
 */
export function slackMessage(args: { target: string; blocks: unknown[]; text: string; apiBaseUrl: string }): SlackRequest {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT };
  if (isSlackWebhookUrl(args.target)) {
    return { method: 'POST', url: args.target.trim(), headers, body: JSON.stringify({ text: args.text, blocks: args.blocks }) };
  }
  const channel = slackChannel(args.target);
  const url = `${args.apiBaseUrl.replace(/\/+$/, '')}/chat.postMessage`;
  return { method: 'POST', url, headers, body: JSON.stringify({ channel, text: args.text, blocks: args.blocks }) };
}

export function withSlackToken(headers: Record<string, string>, token: string): Record<string, string> {
  return { ...headers, authorization: `Bearer ${token}` };
}

/** Slack errors that a later attempt may get past; every other Slack error needs a person. */
export const RETRYABLE_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  // Slack's answer while a workspace is being moved into an org; it clears on its own.
  'team_added_to_org',
]);

const isClientError = (code: number) => code >= 400 && code < 500 && code !== 408 && code !== 429;

const slackFailure = (res: SendResult, slackError: string): Judged => ({
  ...res,
  error: { code: 'slack_error', message: slackError },
  retryable: RETRYABLE_SLACK_ERRORS.has(slackError),
});

/**
 * Reads Slack's answer. The Web API answers HTTP 200 `{"ok":false,"error":"channel_not_found"}`;
 * incoming webhooks answer 4xx with the error as plain text. 429, 5xx and network failures are
 * left to the engine, which retries them (honouring Retry-After).
 */
export function judgeSlack(res: SendResult, viaWebhookUrl: boolean): Judged {
  const status = res.statusCode;
  if (res.error || status === null) return res;
  if (viaWebhookUrl) {
    if (!isClientError(status)) return res;
    const text = res.responseBody.trim();
    return { ...res, error: { code: 'slack_error', message: /^[a-z_]{1,100}$/.test(text) ? text : `HTTP ${status}` }, retryable: false };
  }

  const answer = parseAnswer(res.responseBody);
  if (status >= 200 && status < 300) {
    if (!answer) {
      const seen = res.responseBody.trim() ? `: ${truncateChars(res.responseBody.trim(), 100)}` : ' an empty body';
      return { ...res, error: { code: 'slack_bad_response', message: `Slack answered HTTP ${status} without a JSON "ok" field${seen}` }, retryable: true };
    }
    return answer.ok ? res : slackFailure(res, answer.error);
  }
  // A 4xx that still names a Slack error (e.g. from a proxy in front of the API) is read the same way.
  if (isClientError(status) && answer && !answer.ok) return slackFailure(res, answer.error);
  return res;
}

function parseAnswer(body: string): { ok: true } | { ok: false; error: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return cutAnswer(body);
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as { ok?: unknown }).ok !== 'boolean') return undefined;
  const { ok, error } = parsed as { ok: boolean; error?: unknown };
  if (ok) return { ok: true };
  return { ok: false, error: typeof error === 'string' && error ? error : 'unknown_error' };
}

/**
 * The sender keeps only a body's first 4 KB, and chat.postMessage echoes the whole message
 * back, so a long message's answer arrives cut and is no longer JSON. Slack writes `ok` (and
 * `error`) first; they are read from the start of the text.
 */
function cutAnswer(body: string): { ok: true } | { ok: false; error: string } | undefined {
  const head = /^\s*\{\s*"ok"\s*:\s*(true|false)\s*(?:,\s*"error"\s*:\s*"([a-z_]{1,100})")?/.exec(body);
  if (!head) return undefined;
  return head[1] === 'true' ? { ok: true } : { ok: false, error: head[2] ?? 'unknown_error' };
}
