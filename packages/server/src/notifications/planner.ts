import type { SecretBox } from '../crypto/index.js';
import {
  callbackRequest,
  type Compile,
  maskWebhookUrl,
  namedWebhookRequest,
  type NotificationSettings,
  type Opener,
  postActionRequest,
  slackRequest,
  type SlackTemplates,
} from '../channels/index.js';
import type { AgentRecord, CrewRecord, DeliveryChannel, DeliveryRecord, FrozenRequest, PostActionBindingRecord, RunRecord, Store } from '../store/index.js';
import { type CompiledTemplate, compileTemplate, type TemplateMode } from '../templates/index.js';
import { type Clock } from '../util/index.js';
import { newDelivery } from '../delivery/index.js';
import { notificationContext, notifyEventFor, runEventFor } from './context.js';
import type { NotificationRule, NotificationRules, NotifyEvent } from './events.js';
import { rulesFromJson } from './rules.js';

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

/** What went wrong while rendering, recorded as a failed notification instead of a request. */
class RenderFailure {
  constructor(readonly message: string) {}
}

/**
 * Decides, when a run ends, every notification it causes (post-actions bound to its trigger,
 * the agent's callback, the Slack and named-webhook rules) and renders each request now, so
 * every attempt and manual retry sends identical content. Runs inside the run's final
 * transaction: the run's end and its notifications are stored together or not at all.
 */
export class Notifier {
  private readonly compiled = new Map<string, CompiledTemplate>();
  private readonly compile: Compile = (text, mode) => this.template(text, mode);
  private readonly open: Opener = (sealed) => this.options.box.open(sealed);

  constructor(private readonly options: NotifierOptions) {}

  /** Writes the run's notifications in `tx`; returns how many were queued to send. */
  async plan(tx: Store, run: RunRecord, agent: AgentRecord, crew: CrewRecord | undefined, eventId: string): Promise<number> {
    const event = notifyEventFor(run.status);
    const eventType = runEventFor(run.status);
    if (!event || !eventType) return 0;
    const now = this.options.clock.now();
    const ctx = notificationContext(run, agent, crew, now);
    const rows: DeliveryRecord[] = [];
    const add = (channel: DeliveryChannel, destination: string, target: string, req: FrozenRequest | RenderFailure, sourceId: string | null = null) => {
      const failed = req instanceof RenderFailure;
      rows.push(
        newDelivery(
          this.options.clock,
          now,
          // Notifications are in their run's tenant; the log is read by it.
          { env_id: run.env_id, event_id: eventId, endpoint_id: destination, event_type: eventType },
          {
            channel,
            run_id: run.id,
            agent_id: agent.id,
            target,
            source_id: sourceId,
            ...(failed ? { status: 'failed', last_error: req.message, request_enc: null } : { request_enc: this.options.box.seal(JSON.stringify(req)) }),
          },
        ),
      );
    };

    if (run.trigger_type === 'webhook' || run.trigger_type === 'schedule') {
      for (const b of await tx.postActions.firing(run.env_id, run.trigger_type, run.trigger_id ?? run.agent_id)) {
        if (!fires(b.fire_when, run.status)) continue;
        add(
          'post_action',
          b.action.id,
          b.action.name,
          this.attempt(() => postActionRequest(b.action, b, ctx, { compile: this.compile, open: this.open })),
          b.id,
        );
      }
    }
    if (agent.callback_url) {
      add(
        'callback',
        agent.id,
        agent.callback_url,
        this.attempt(() => callbackRequest(agent, run, eventType, this.open)),
      );
    }
    for (const rule of this.rulesFor(agent, event)) {
      // `slack.enabled: false` turns Slack off for every agent, rules included.
      if (rule.channel === 'slack' && !this.options.settings.slack.enabled) continue;
      if (rule.channel === 'slack') {
        // An incoming-webhook URL is a credential: it lives in the sealed request only.
        add(
          'slack',
          SLACK_DESTINATION,
          maskWebhookUrl(rule.target),
          this.attempt(() =>
            slackRequest(rule.target, agent.name, event, ctx, { settings: this.options.settings.slack, templates: this.options.slackTemplates() }),
          ),
        );
      } else {
        add(
          'webhook',
          webhookDestination(rule.target),
          rule.target,
          this.attempt(() => namedWebhookRequest(rule.target, ctx, { webhooks: this.options.settings.webhooks, compile: this.compile })),
        );
      }
    }
    if (rows.length) await tx.deliveries.insert(rows);
    return rows.filter((r) => r.status === 'pending').length;
  }

  /** An agent's own rules replace the defaults; without rules, Slack's default channel and every webhook subscribed to the event. */
  private rulesFor(agent: Pick<AgentRecord, 'notifications'>, event: NotifyEvent): NotificationRule[] {
    const own: NotificationRules | null = agent.notifications ? rulesFromJson(this.options.box.open(agent.notifications)) : null;
    if (own) return own[event] ?? [];
    const settings = this.options.settings;
    const out: NotificationRule[] = [];
    if (settings.slack.default_channel) out.push({ channel: 'slack', target: settings.slack.default_channel });
    for (const w of settings.webhooks) if (w.events.includes(event)) out.push({ channel: 'webhook', target: w.name });
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
}

/** Post-actions' fire-when: failure includes timeout (and a cancelled run, which did not succeed). */
function fires(when: PostActionBindingRecord['fire_when'], status: RunRecord['status']): boolean {
  if (when === 'any') return true;
  return when === 'success' ? status === 'completed' : status !== 'completed';
}
