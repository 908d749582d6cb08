/**
 * What GET /api/v1/settings shows: the running configuration as an operator wants to check
 * it, and nothing secret. No token, no webhook secret, no incoming-webhook URL, no path or
 * query of a named webhook's URL (they often carry a credential): origins only.
 */
import { readFileSync } from 'node:fs';
import { isSlackWebhookUrl, maskWebhookUrl } from '../channels/index.js';
import type { HooklineConfig } from '../config/index.js';
import type { NotificationSettings } from '../channels/index.js';
import { TIMEOUT_SECONDS } from '../post-actions/index.js';
import { parseDuration } from '../util/index.js';
import type { SettingsView } from '../wire/index.js';

export type Settings = SettingsView;

export interface SettingsSource {
  config: HooklineConfig;
  /** The live notification settings: `useSlackNotifications` / `useWebhookNotifications` change them after start. */
  notifications: NotificationSettings;
  store: 'sqlite' | 'postgres';
  /** Tells whether the bot token came from HOOKLINE_SLACK_BOT_TOKEN. */
  env: NodeJS.ProcessEnv;
}

/** What net/ssrf-guard.ts refuses; keep in step with its tables. */
export const SSRF_BLOCKED =
  'Outbound requests to loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local, CGNAT, multicast, reserved and documentation addresses, ' +
  'and to cloud metadata services (169.254.169.254, metadata.google.internal and the like), are refused, ' +
  'checked against every address a name resolves to when connecting, unless allowed in delivery.allow_networks.';

/** Endpoints and post-actions both default to this request timeout (seconds). */
const DEFAULT_TIMEOUT_SECONDS = TIMEOUT_SECONDS.default;

let version: string | undefined;
/** The server package's version; the same path from src/ and dist/. */
export function serverVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}

export function settingsView(s: SettingsSource): Settings {
  const c = s.config;
  const slack = s.notifications.slack;
  const token = slack.bot_token;
  const channel = slack.default_channel;
  return {
    version: serverVersion(),
    store: s.store,
    public_url: c.server.public_url ?? null,
    slack: {
      enabled: slack.enabled,
      configured: Boolean(token),
      token_source: token ? (s.env.HOOKLINE_SLACK_BOT_TOKEN === token ? 'env' : 'config') : null,
      // An incoming-webhook URL is a credential: its origin only.
      default_channel: channel === undefined ? null : isSlackWebhookUrl(channel) ? maskWebhookUrl(channel) : channel,
      api_base_url: slack.api_base_url,
      templates_dir: slack.templates_dir ?? null,
    },
    named_webhooks: s.notifications.webhooks.map((w) => ({ name: w.name, url: origin(w.url), events: [...w.events] })),
    delivery: {
      allow_networks: [...c.delivery.allow_networks],
      blocked: SSRF_BLOCKED,
      timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
      retry_schedule: c.delivery.retry_schedule.map((d) => parseDuration(d)! / 1000),
    },
    inspector: { enabled: c.inspector.enabled, max_requests_per_bin: c.inspector.max_requests_per_bin, max_body_bytes: c.inspector.max_body_bytes },
  };
}
