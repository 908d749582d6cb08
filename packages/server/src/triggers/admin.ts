import { randomBytes } from 'node:crypto';
import { generateWebhookSecret, isStandardWebhookSecret, type SecretBox } from '../crypto/index.js';
import type { AgentRecord, Page, Store, WebhookTriggerRecord } from '../store/index.js';
import { type Clock, newId, iso } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { WebhookTriggerView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import type { TriggerScheme } from './inbound.js';

export interface WebhookTriggerInput {
  name: string;
  scheme?: TriggerScheme;
  /** Bring your own secret (e.g. one a Standard Webhooks sender generated); else one is made. */
  secret?: string;
  prompt_template?: string;
  enabled?: boolean;
}

export type { WebhookTriggerView };

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** `trigger` is the agent's own trigger URL: /webhooks/{crew}/{agent}/trigger. */
const RESERVED = new Set(['trigger']);
const MIN_SECRET_LENGTH = 16;

function newSecret(scheme: TriggerScheme): string {
  // Standard Webhooks receivers expect whsec_<base64>; GitHub and Grafana take any string.
  return scheme === 'standard' ? generateWebhookSecret() : `hltr_${randomBytes(32).toString('base64url')}`;
}

function checkSecret(scheme: TriggerScheme, secret: string): void {
  if (scheme === 'standard' && !isStandardWebhookSecret(secret))
    throw new UserError('invalid_secret', '`secret` for the standard scheme must look like whsec_<base64>, as Standard Webhooks senders generate');
  if (secret.length < MIN_SECRET_LENGTH)
    throw new UserError('invalid_secret', `\`secret\` must be at least ${MIN_SECRET_LENGTH} characters; omit it to have one generated`);
}

/**
 * Named webhook triggers (the "webhook" trigger type that post-actions bind to): several URLs for one agent, each
 * with its own secret, signing scheme and prompt template.
 */
export class WebhookTriggerAdmin {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  view(t: WebhookTriggerRecord): WebhookTriggerView {
    return {
      id: t.id,
      agent_id: t.agent_id,
      crew_id: t.crew_id,
      name: t.name,
      scheme: t.scheme as TriggerScheme,
      prompt_template: t.prompt_template,
      enabled: t.enabled,
      url: `/api/v1/webhooks/${t.crew_id}/${t.agent_id}/${t.name}`,
      created_at: iso(t.created_at),
      updated_at: iso(t.updated_at),
    };
  }

  /** A trigger of `agent`, which the caller found in `tenant`. */
  async create(tenant: Tenant, agent: AgentRecord, input: WebhookTriggerInput): Promise<WebhookTriggerView & { secret: string }> {
    if (agent.env_id !== tenant.envId) throw notFound('agent', agent.id);
    if (!NAME.test(input.name) || RESERVED.has(input.name)) {
      throw new UserError(
        'invalid_name',
        `trigger name "${input.name}" must be 1–63 lower-case letters, digits, - or _, and not "trigger" (the agent's own URL)`,
      );
    }
    if (await this.store.triggers.byName(agent.env_id, agent.id, input.name))
      throw new UserError('conflict', `agent ${agent.id} already has a trigger named ${input.name}`);
    const scheme = input.scheme ?? 'hookline';
    const secret = input.secret ?? newSecret(scheme);
    checkSecret(scheme, secret);
    const now = this.clock.now();
    const row: WebhookTriggerRecord = {
      id: newId('wht', this.clock).toLowerCase(),
      env_id: agent.env_id,
      agent_id: agent.id,
      crew_id: agent.crew_id,
      name: input.name,
      scheme,
      secret_enc: this.box.seal(secret),
      prompt_template: input.prompt_template ?? '',
      enabled: input.enabled !== false,
      created_at: now,
      updated_at: now,
    };
    await this.store.triggers.insert(row);
    return { ...this.view(row), secret };
  }

  async get(tenant: Tenant, id: string): Promise<WebhookTriggerRecord> {
    const t = await this.store.triggers.get(tenant.envId, id);
    if (!t) throw notFound('webhook trigger', id);
    return t;
  }

  async list(tenant: Tenant, page: Page & { agentId?: string }) {
    const { rows, total } = await this.store.triggers.list(tenant.envId, page);
    return { items: rows.map((r) => this.view(r)), total };
  }

  /** Name and scheme are part of the sender's setup, so they are fixed; delete and recreate to change them. */
  async update(tenant: Tenant, id: string, input: { prompt_template?: string; enabled?: boolean }): Promise<WebhookTriggerView> {
    const patch: Partial<WebhookTriggerRecord> = { updated_at: this.clock.now() };
    if (input.prompt_template !== undefined) patch.prompt_template = input.prompt_template;
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    const row = await this.store.triggers.update(tenant.envId, id, patch);
    if (!row) throw notFound('webhook trigger', id);
    return this.view(row);
  }

  /** Deletes the trigger with the post-action bindings that watch it. */
  async remove(tenant: Tenant, id: string): Promise<void> {
    const deleted = await this.store.transaction(async (tx) => {
      await tx.postActions.deleteBindingsForTrigger(tenant.envId, 'webhook', id);
      return tx.triggers.delete(tenant.envId, id);
    });
    if (!deleted) throw notFound('webhook trigger', id);
  }

  /** A new secret takes effect at once (senders such as GitHub hold only one). */
  async rotateSecret(tenant: Tenant, id: string, secret?: string): Promise<{ secret: string }> {
    const t = await this.get(tenant, id);
    const next = secret ?? newSecret(t.scheme as TriggerScheme);
    checkSecret(t.scheme as TriggerScheme, next);
    await this.store.triggers.update(tenant.envId, id, { secret_enc: this.box.seal(next), updated_at: this.clock.now() });
    return { secret: next };
  }

  secret(t: WebhookTriggerRecord): string {
    return this.box.open(t.secret_enc);
  }
}
