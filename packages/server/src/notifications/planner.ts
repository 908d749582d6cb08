import type { SecretBox } from '../crypto/index.js';
import { fallbackText, isSlackWebhookUrl, maskWebhookUrl, slackChannel, slackMessage, USER_AGENT } from '../channels/index.js';
import type { AgentRecord, CrewRecord, DeliveryChannel, DeliveryRecord, FrozenRequest, PostActionBindingRecord, PostActionRecord, RunRecord, Store } from '../store/index.js';
import { type CompiledTemplate, compileTemplate, type TemplateMode } from '../templates/index.js';
import { type Clock } from '../util/index.js';
import { newDelivery } from '../delivery/index.js';
import { callbackPayload, notificationContext, notifyEventFor, type NotificationContext, runEventFor } from './context.js';
import type { NotificationRule, NotificationRules, NotifyEvent } from './events.js';
import { rulesFromJson } from './rules.js';
import type { NotificationSettings } from './settings.js';
import type { SlackTemplates } from './slack-templates.js';

export interface NotifierOptions {
  box: SecretBox;
  clock: Clock;
  settings: NotificationSettings;
  /** The loaded templates_dir (replaced when `useSlackNotifications` points elsewhere). */
  slackTemplates: () => SlackTemplates;
}

/** Destination keys of the channels that are not rows of their own (the dispatcher's per-destination fairness). */
const SLACK_DESTINATION = 'slack';
const webhookDestination = (name: string) => `webhook:${name}`;

const DEFAULT_TIMEOUT_MS = 30_000;

/** What went wrong while rendering, recorded as a failed notification instead of a request. */
class RenderFailure {
  constructor(readonly message: string) {}
}

/**
 * Decides, when a run ends, every notification it causes (post-actions bound to its trigger,
 * the agent's callback, 003's Slack and named-webhook rules) and renders each request now, so
 * every attempt and manual retry sends identical content. Runs inside the run's final
 * transaction: the run's end and its notifications are stored together or not at all.
 */
export class Notifier {
  private readonly compiled = new Map<string, CompiledTemplate>();

  constructor(private readonly o: NotifierOptions) {}

  /** Writes the run's notifications in `tx`; returns how many were queued to send. */
  async plan(tx: Store, run: RunRecord, agent: AgentRecord, crew: CrewRecord | undefined, eventId: string): Promise<number> {
    const event = notifyEventFor(run.status);
    const eventType = runEventFor(run.status);
    if (!event || !eventType) return 0;
    const now = this.o.clock.now();
    const ctx = notificationContext(run, agent, crew, now);
    const rows: DeliveryRecord[] = [];
    const add = (channel: DeliveryChannel, destination: string, target: string, req: FrozenRequest | RenderFailure, sourceId: string | null = null) => {
      const failed = req instanceof RenderFailure;
      rows.push(
        newDelivery(this.o.clock, now, { event_id: eventId, endpoint_id: destination, event_type: eventType }, {
          channel, run_id: run.id, agent_id: agent.id, target, source_id: sourceId,
          ...(failed ? { status: 'failed', last_error: req.message, request_enc: null } : { request_enc: this.o.box.seal(JSON.stringify(req)) }),
        }),
      );
    };

    if (run.trigger_type === 'webhook' || run.trigger_type === 'schedule') {
      for (const b of await tx.postActions.firing(run.trigger_type, run.trigger_id ?? run.agent_id)) {
        if (!fires(b.fire_when, run.status)) continue;
        add('post_action', b.action.id, b.action.name, this.attempt(() => this.postActionRequest(b.action, b, ctx)), b.id);
      }
    }
    if (agent.callback_url) {
      add('callback', agent.id, agent.callback_url, this.attempt(() => this.callbackRequest(agent, run)));
    }
    for (const rule of this.rulesFor(agent, event)) {
      // `slack.enabled: false` turns Slack off for every agent, rules included.
      if (rule.channel === 'slack' && !this.o.settings.slack.enabled) continue;
      if (rule.channel === 'slack') {
        // An incoming-webhook URL is a credential: it lives in the sealed request only.
        add('slack', SLACK_DESTINATION, maskWebhookUrl(rule.target), this.attempt(() => this.slackRequest(rule.target, agent.name, event, ctx)));
      } else {
        add('webhook', webhookDestination(rule.target), rule.target, this.attempt(() => this.webhookRequest(rule.target, ctx)));
      }
    }
    if (rows.length) await tx.deliveries.insert(rows);
    return rows.filter((r) => r.status === 'pending').length;
  }

  /** 003: an agent's own rules replace the defaults; without rules, Slack's default channel and every webhook subscribed to the event. */
  private rulesFor(agent: Pick<AgentRecord, 'notifications'>, event: NotifyEvent): NotificationRule[] {
    const own: NotificationRules | null = agent.notifications ? rulesFromJson(this.o.box.open(agent.notifications)) : null;
    if (own) return own[event] ?? [];
    const s = this.o.settings;
    const out: NotificationRule[] = [];
    if (s.slack.default_channel) out.push({ channel: 'slack', target: s.slack.default_channel });
    for (const w of s.webhooks) if (w.events.includes(event)) out.push({ channel: 'webhook', target: w.name });
    return out;
  }

  private attempt(render: () => FrozenRequest): FrozenRequest | RenderFailure {
    try {
      return render();
    } catch (err) {
      return new RenderFailure(`render_failed: ${(err as Error).message}`);
    }
  }

  private template(text: string, mode: TemplateMode): CompiledTemplate {
    const key = `${mode}\u0000${text}`;
    let t = this.compiled.get(key);
    if (!t) {
      t = compileTemplate(text, { mode });
      if (this.compiled.size >= 500) this.compiled.delete(this.compiled.keys().next().value!);
      this.compiled.set(key, t);
    }
    return t;
  }

  /** Seed 000: URL, header values and body rendered; auth is added at send time from the sealed credentials. */
  private postActionRequest(a: PostActionRecord, b: PostActionBindingRecord, ctx: NotificationContext): FrozenRequest {
    const url = this.template(a.url_template, 'url').render(ctx);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    const own = a.headers_enc ? (JSON.parse(this.o.box.open(a.headers_enc)) as Record<string, string>) : {};
    for (const [name, value] of Object.entries(own)) headers[name.toLowerCase()] = this.template(value, 'header').render(ctx);
    const bodyTemplate = b.body_override ?? a.body_template;
    const body = bodyTemplate && a.method !== 'GET' ? this.template(bodyTemplate, 'auto') : undefined;
    if (body && !('content-type' in headers)) headers['content-type'] = body.mode === 'json' ? 'application/json' : 'text/plain; charset=utf-8';
    return { method: a.method, url, headers, body: body ? body.render(ctx) : '', timeout_ms: a.timeout_ms };
  }

  /** Seed 002: its payload exactly; the signature and timestamp are added at send time. */
  private callbackRequest(agent: AgentRecord, run: RunRecord): FrozenRequest {
    const headers: Record<string, string> = agent.callback_headers_enc ? (JSON.parse(this.o.box.open(agent.callback_headers_enc)) as Record<string, string>) : {};
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      method: 'POST',
      url: agent.callback_url!,
      headers: { ...lower, 'content-type': 'application/json', 'user-agent': USER_AGENT, 'x-hookline-event-type': runEventFor(run.status)! },
      body: JSON.stringify(callbackPayload(run, agent)),
      timeout_ms: DEFAULT_TIMEOUT_MS,
    };
  }

  /** 003's Slack message: the agent's or event's template from templates_dir, else the built-in Block Kit layout. */
  private slackRequest(target: string, agentName: string, event: NotifyEvent, ctx: NotificationContext): FrozenRequest {
    const s = this.o.settings.slack;
    const { blocks, text } = this.o.slackTemplates().renderMessage(agentName, event, ctx);
    const to = isSlackWebhookUrl(target) ? target : slackChannel(target);
    return { ...slackMessage({ target: to, blocks, text: text ?? fallbackText(ctx), apiBaseUrl: s.api_base_url }), timeout_ms: DEFAULT_TIMEOUT_MS };
  }

  /** 003's named webhook: its payload_template (JSON-escaped) or a default JSON body; signed at send time. */
  private webhookRequest(name: string, ctx: NotificationContext): FrozenRequest {
    const w = this.o.settings.webhooks.find((x) => x.name === name);
    if (!w) throw new Error(`no webhook named "${name}" is configured (notifications.webhooks)`);
    const body = w.payload_template
      ? this.template(w.payload_template, 'json').render(ctx)
      : JSON.stringify({ event: ctx.event, agent_name: ctx.agent_name, execution_id: ctx.execution_id, session_id: ctx.session_id, output: ctx.output, error: ctx.error || null, timestamp: ctx.timestamp });
    return { method: 'POST', url: w.url, headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT }, body, timeout_ms: DEFAULT_TIMEOUT_MS };
  }
}

/** Seed 000: failure includes timeout (and a cancelled run, which did not succeed). */
function fires(when: PostActionBindingRecord['fire_when'], status: RunRecord['status']): boolean {
  if (when === 'any') return true;
  return when === 'success' ? status === 'completed' : status !== 'completed';
}
