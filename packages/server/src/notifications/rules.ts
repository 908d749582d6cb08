import { slackTargetProblem } from '../channels/index.js';
import { didYouMean } from '../util/index.js';
import { NOTIFY_EVENTS, type NotificationRule, type NotificationRules, type NotifyEvent } from './events.js';

/**
 * Per-agent notification rules (docs/notifications.md), as written in an AGENT.md `notifications:` block:
 *
 *   notifications:
 *     on_complete:
 *       - channel: slack
 *         target: "#reports"
 *     on_error:
 *       - channel: webhook
 *         target: default
 *
 * Parsed once (AGENT.md load, API save) into `NotificationRules`; stored as JSON.
 */

const CHANNELS = ['slack', 'webhook'] as const;
const RULE_KEYS = ['channel', 'target'] as const;

/** A rule that cannot be used; `path` is where it is (`notifications.on_error[1].channel`). */
export class RulesError extends Error {
  override name = 'RulesError';
  constructor(
    /** Dotted path with [index] for list items, e.g. `notifications.on_error[1].channel`. */
    readonly path: string,
    /** The same path as keys and indexes, to find the spot in a YAML document. */
    readonly segments: readonly (string | number)[],
    /** What is wrong and what is allowed, without the path. */
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

export interface ParseRulesOptions {
  /** Names of the webhooks configured under `notifications.webhooks`; a webhook target must be one. */
  webhookNames: readonly string[];
  /** Where the rules sit, for error paths. @defaultValue 'notifications' */
  root?: string;
}

/**
 * Validates an AGENT.md `notifications` value (or the same shape from the API) against the
 * shape in docs/notifications.md. Throws `RulesError` naming the first problem; an empty list for an event is
 * allowed and means that event is announced nowhere.
 */
export function parseNotificationRules(value: unknown, opts: ParseRulesOptions): NotificationRules {
  return parse(value, opts.webhookNames, opts.root ?? 'notifications');
}

/** The rules as stored: events in NOTIFY_EVENTS order, each rule as `{channel, target}`. */
export function rulesToJson(rules: NotificationRules): string {
  const out: Record<string, NotificationRule[]> = {};
  for (const event of NOTIFY_EVENTS) {
    const list = rules[event];
    if (list) out[event] = list.map((r) => ({ channel: r.channel, target: r.target }));
  }
  return JSON.stringify(out);
}

/**
 * Reads stored rules; `null` (no rules: the gateway defaults apply) stays `null`. Webhook
 * names are not checked here: one removed from the config since is the sender's to report.
 */
export function rulesFromJson(json: string | null): NotificationRules | null {
  if (json === null) return null;
  return parse(JSON.parse(json) as unknown, null, 'notifications');
}

type Path = (string | number)[];

function parse(value: unknown, webhookNames: readonly string[] | null, root: string): NotificationRules {
  const fail = (at: Path, detail: string): never => {
    throw new RulesError(render(root, at), [root, ...at], detail);
  };
  if (!isPlainObject(value)) {
    fail([], 'must be a mapping of events to lists of rules, e.g. on_error: [{channel: slack, target: "#alerts"}]');
  }
  const rules: NotificationRules = {};
  for (const [key, list] of Object.entries(value as Record<string, unknown>)) {
    if (!(NOTIFY_EVENTS as readonly string[]).includes(key)) {
      fail([key], `unknown event "${key}"${didYouMean(key, NOTIFY_EVENTS)} (the events are ${NOTIFY_EVENTS.join(', ')})`);
    }
    const event = key as NotifyEvent;
    // `on_error:` with nothing after it is YAML null: the same as an empty list.
    if (list === null) {
      rules[event] = [];
      continue;
    }
    if (!Array.isArray(list)) fail([event], `must be a list of rules ("- channel: slack" then "target: …"), or [] to send nothing for ${event}`);
    rules[event] = (list as unknown[]).map((entry, i) => parseRule(entry, [event, i], webhookNames, fail));
    const seen = new Set<string>();
    rules[event]!.forEach((r, i) => {
      const k = `${r.channel}\u0000${r.target}`;
      if (seen.has(k)) fail([event, i], `the same ${r.channel} target is listed twice for ${event}; remove one (each rule sends its own message)`);
      seen.add(k);
    });
  }
  return rules;
}

function parseRule(entry: unknown, at: Path, webhookNames: readonly string[] | null, fail: (at: Path, detail: string) => never): NotificationRule {
  if (!isPlainObject(entry)) fail(at, 'must be a mapping with "channel" (slack or webhook) and "target"');
  const rule = entry as Record<string, unknown>;
  for (const key of Object.keys(rule)) {
    if (!(RULE_KEYS as readonly string[]).includes(key))
      fail([...at, key], `unknown key "${key}"${didYouMean(key, RULE_KEYS)} (a rule has only "channel" and "target")`);
  }
  const channel = rule.channel;
  if (channel === undefined) fail(at, 'is missing "channel": add "channel: slack" or "channel: webhook"');
  if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
    const shown = typeof channel === 'string' ? `"${channel}"${didYouMean(channel, CHANNELS)}` : JSON.stringify(channel);
    fail([...at, 'channel'], `channel must be "slack" or "webhook", not ${shown}`);
  }
  const target = rule.target;
  if (target === undefined) {
    fail(
      at,
      channel === 'slack'
        ? 'is missing "target": add the Slack channel, e.g. target: "#alerts"'
        : 'is missing "target": add the name of a webhook from notifications.webhooks in the config',
    );
  }
  if (typeof target !== 'string' || target.length === 0) fail([...at, 'target'], 'target must be a non-empty text');
  const t = target as string;
  if (channel === 'slack') {
    const problem = slackTargetProblem(t);
    if (problem) fail([...at, 'target'], problem);
  } else if (webhookNames !== null && !webhookNames.includes(t)) {
    const detail = webhookNames.length
      ? `no webhook named "${t}" is configured${didYouMean(t, webhookNames)} (configured webhooks: ${webhookNames.map((n) => `"${n}"`).join(', ')})`
      : `no webhook named "${t}": no webhooks are configured; add one under notifications.webhooks in hookline.yaml (name, url, secret)`;
    fail([...at, 'target'], detail);
  }
  return { channel: channel as NotificationRule['channel'], target: t };
}

const isPlainObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `notifications.on_error[1].channel` */
function render(root: string, at: Path): string {
  return at.reduce<string>((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : `${s}.${seg}`), root);
}
