import { signatureHeaders } from '../crypto/index.js';
import { type Judged, type PreparedDelivery, type RetryPolicy } from '../delivery/index.js';
import type { AuthSecret } from './post-action-auth.js';
import type { DeliveryRecord, FrozenRequest, PostActionRecord, Store } from '../store/index.js';
import type { NotificationSettings } from './notification-settings.js';
import { isSlackWebhookUrl, judgeSlack, withSlackToken } from './slack.js';
import type { Opener } from './endpoint.js';

/** Seed 000: 1 s, 2 s, 4 s … between attempts, capped at 30 s, `retry_count` times; 4xx is final. */
function postActionPolicy(retryCount: number): Partial<RetryPolicy> {
  return { schedule: Array.from({ length: retryCount }, (_, i) => Math.min(1000 * 2 ** i, 30_000)), retry4xx: false };
}

/** The auth header of a post-action, from its sealed credentials, at send time. */
function postActionAuth(a: Pick<PostActionRecord, 'auth_type' | 'auth_enc'>, open: Opener): Record<string, string> {
  if (a.auth_type === 'none' || !a.auth_enc) return {};
  const secret = JSON.parse(open(a.auth_enc)) as AuthSecret;
  if ('token' in secret) return { authorization: `Bearer ${secret.token}` };
  if ('username' in secret) return { authorization: `Basic ${Buffer.from(`${secret.username}:${secret.password}`, 'utf8').toString('base64')}` };
  return { [secret.name.toLowerCase()]: secret.value };
}

export interface NotificationChannelsOptions {
  store: Store;
  open: Opener;
  /** Opens a value read once (the frozen request), without caching it. */
  openFresh: Opener;
  settings: NotificationSettings;
}

/**
 * Send-time half of the notification channels: each delivery carries its frozen request;
 * here the channel's current credentials and signatures are added (so a rotated secret or
 * token applies to retries) and channel-specific rules set (retry policy, Slack's answers).
 */
export class NotificationChannels {
  constructor(private readonly o: NotificationChannelsOptions) {}

  async prepare(rows: DeliveryRecord[]): Promise<Map<string, PreparedDelivery | string>> {
    const out = new Map<string, PreparedDelivery | string>();
    const ids = (ch: string) => rows.filter((r) => r.channel === ch).map((r) => r.endpoint_id);
    const [actions, agents] = await Promise.all([this.o.store.postActions.getMany(ids('post_action')), this.o.store.agents.getAgents(ids('callback'))]);
    const actionById = new Map(actions.map((a) => [a.id, a]));
    const agentById = new Map(agents.map((a) => [a.id, a]));
    for (const row of rows) {
      if (!row.request_enc) {
        out.set(row.id, 'request_missing');
        continue;
      }
      const sealed = row.request_enc;
      const frozen = () => JSON.parse(this.o.openFresh(sealed)) as FrozenRequest;
      out.set(row.id, this.prepareOne(row, frozen, actionById.get(row.endpoint_id), agentById.get(row.endpoint_id)));
    }
    return out;
  }

  private prepareOne(row: DeliveryRecord, frozen: () => FrozenRequest, action: PostActionRecord | undefined, agent: { callback_secret_enc?: string | null } | undefined): PreparedDelivery | string {
    const base = { rateLimit: null, trackHealth: false };
    switch (row.channel) {
      case 'post_action': {
        if (!action) return 'post_action_deleted';
        if (!action.enabled) return 'post_action_disabled';
        const auth = postActionAuth(action, this.o.open);
        return { ...base, policy: postActionPolicy(action.retry_count), build: () => request(frozen(), auth) };
      }
      case 'callback': {
        if (!agent) return 'agent_deleted';
        if (!agent.callback_secret_enc) return 'callback_removed';
        const secret = this.o.open(agent.callback_secret_enc);
        return {
          ...base,
          build: (nowSec) => {
            const f = frozen();
            return request(f, signatureHeaders('callback', { msgId: row.id, timestampSec: nowSec, body: f.body, secrets: [secret] }));
          },
        };
      }
      case 'slack': {
        const viaUrl = isSlackWebhookUrl(row.target ?? '');
        const token = this.o.settings.slack.bot_token;
        if (!viaUrl && !token) return 'slack_not_configured: set notifications.slack.bot_token (HOOKLINE_SLACK_BOT_TOKEN)';
        // The target is already masked (origin only), as the notification log shows it.
        return { ...base, ...(viaUrl ? { recordedUrl: row.target! } : {}), build: () => request(frozen(), viaUrl ? {} : withSlackToken({}, token!)), judge: (res) => slackVerdict(judgeSlack(res, viaUrl)) };
      }
      case 'webhook': {
        const w = this.o.settings.webhooks.find((x) => x.name === row.target);
        if (!w) return `webhook_removed: no webhook named "${row.target}" is configured any more`;
        return {
          ...base,
          // Named webhook URLs often carry a token in their path or query; settings show the origin only, and so do attempts.
          recordedUrl: `${originOf(w.url)}/…`,
          build: (nowSec) => {
            const f = frozen();
            return request(f, signatureHeaders('agentgateway', { msgId: row.id, timestampSec: nowSec, body: f.body, secrets: [w.secret] }));
          },
        };
      }
      default:
        return `unknown_channel: ${String(row.channel)}`;
    }
  }
}

/** Slack's own error word (`channel_not_found`) is the whole story; 003's log shows just that. */
function slackVerdict(j: Judged): Judged {
  return j.error?.code === 'slack_error' ? { ...j, error: { ...j.error, code: j.error.message } } : j;
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '(not a URL)';
}

function request(f: FrozenRequest, extra: Record<string, string>) {
  return { method: f.method, url: f.url, headers: { ...f.headers, ...extra }, ...(f.body ? { body: f.body } : {}), timeoutMs: f.timeout_ms };
}
