import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/index.js';
import { type SsrfGuard } from '../net/index.js';
import type { AgentRecord, CrewRecord, Page, Store } from '../store/index.js';
import { type Clock, systemClock, newId, iso } from '../util/index.js';
import { DEFAULT_AGENT_TIMEOUT_SECONDS } from '../config/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { AgentView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import type { NotificationRules } from '../notifications/index.js';
import { maskWebhookUrl } from '../channels/index.js';
import { parseNotificationRules, RulesError, rulesFromJson, rulesToJson } from '../notifications/index.js';
import { checkRunnerSettings, type CommandRunnerSettings, redactRunnerSettings, RUNNERS, type RunnerKind, type RunnerSettings } from './runner-config.js';

export { RUNNERS, type RunnerKind, type RunnerSettings };
export type { AgentView };
export type CommandRunnerConfig = CommandRunnerSettings;

export interface AgentInput {
  crew_id: string;
  name: string;
  description?: string;
  runner: RunnerKind;
  /** Checked against `runner`'s settings schema (see runner-config.ts). */
  runner_config: RunnerSettings;
  prompt_template?: string;
  timeout_seconds?: number;
  max_concurrent_runs?: number;
  model?: string | null;
  rate_limit_per_minute?: number | null;
  /** Per-agent notification rules (`on_complete: [{channel, target}]`…); null = the configured defaults. */
  notifications?: NotificationRules | null;
}

/** The agent's trigger-URL secret (docs/webhook-triggers.md); 32 random bytes, URL-safe. */
const newTriggerSecret = () => `hltr_${randomBytes(32).toString('base64url')}`;
const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Crews and agents: validation, sealed runner settings, per-agent trigger secrets. */
export class AgentAdmin {
  /** `guard` vets runner URLs when an agent is saved (the runners check again on every request). */
  /** `webhookNames` are the configured named webhooks a notification rule may target. */
  /** `defaultTimeoutSeconds` is a new agent's timeout when it gives none (`agents.default_timeout_seconds`). */
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock = systemClock,
    private readonly guard?: SsrfGuard,
    private readonly webhookNames: () => readonly string[] = () => [],
    private readonly defaultTimeoutSeconds: number = DEFAULT_AGENT_TIMEOUT_SECONDS,
  ) {}

  crewView(c: CrewRecord) {
    return { id: c.id, name: c.name, created_at: iso(c.created_at), updated_at: iso(c.updated_at) };
  }

  async createCrew(tenant: Tenant, input: { id?: string; name: string }) {
    const id = input.id ?? newId('crew', this.clock).toLowerCase();
    if (!SLUG.test(id)) throw new UserError('invalid_id', `crew id "${id}" must be 1–63 lower-case letters, digits, - or _`);
    // Crew ids are in inbound URLs, so unique in the installation, whichever tenant holds one.
    if (await this.store.agents.findCrew(id)) throw new UserError('conflict', `crew ${id} already exists`);
    const now = this.clock.now();
    const row: CrewRecord = { id, env_id: tenant.envId, name: input.name, created_at: now, updated_at: now };
    await this.store.agents.insertCrew(row);
    return this.crewView(row);
  }

  async getCrew(tenant: Tenant, id: string): Promise<CrewRecord> {
    const c = await this.store.agents.getCrew(tenant.envId, id);
    if (!c) throw notFound('crew', id);
    return c;
  }

  async listCrews(tenant: Tenant) {
    return (await this.store.agents.listCrews(tenant.envId)).map((c) => this.crewView(c));
  }

  async deleteCrew(tenant: Tenant, id: string): Promise<void> {
    await this.getCrew(tenant, id);
    const n = await this.store.agents.countAgentsInCrew(tenant.envId, id);
    if (n) throw new UserError('crew_not_empty', `crew ${id} still has ${n} agent(s); delete or move them first`);
    await this.store.agents.deleteCrew(tenant.envId, id);
  }

  private storedSettings(row: AgentRecord): RunnerSettings {
    return JSON.parse(this.box.open(row.runner_config_enc)) as RunnerSettings;
  }

  /** Runner settings with secrets opened, for the executor; an openai runner without a model uses the agent's. */
  runnerSettings(row: AgentRecord): RunnerSettings {
    const cfg = this.storedSettings(row);
    if (row.runner === 'openai' && !('model' in cfg && cfg.model) && row.model) return { ...cfg, model: row.model };
    return cfg;
  }

  view(row: AgentRecord): AgentView {
    return {
      id: row.id,
      crew_id: row.crew_id,
      name: row.name,
      description: row.description,
      runner: row.runner as RunnerKind,
      runner_config: redactRunnerSettings(row.runner, this.storedSettings(row)),
      prompt_template: row.prompt_template,
      timeout_seconds: row.timeout_ms / 1000,
      max_concurrent_runs: row.max_concurrent_runs,
      model: row.model,
      rate_limit_per_minute: row.rate_limit_per_minute,
      trigger_url: `/api/v1/webhooks/${row.crew_id}/${row.id}/trigger`,
      source: (row.source ?? 'api') as AgentView['source'],
      source_path: row.source_path ?? null,
      notifications: this.rulesView(row),
      callback_url: row.callback_url ?? null,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    };
  }

  async create(tenant: Tenant, input: AgentInput & { id?: string }): Promise<AgentView & { webhook_secret: string }> {
    await this.getCrew(tenant, input.crew_id).catch(() => {
      throw new UserError('unknown_crew', `crew ${input.crew_id} does not exist; create it with POST /api/v1/crews`);
    });
    const id = input.id ?? newId('agt', this.clock).toLowerCase();
    if (!SLUG.test(id)) throw new UserError('invalid_id', `agent id "${id}" must be 1–63 lower-case letters, digits, - or _`);
    // Agent ids are in inbound URLs, so unique in the installation, whichever tenant holds one.
    if (await this.store.agents.findAgent(id)) throw new UserError('conflict', `agent ${id} already exists`);
    const settings = this.checkRunner(input.runner, input.runner_config, input.model ?? null);
    const now = this.clock.now();
    const secret = newTriggerSecret();
    const row: AgentRecord = {
      id,
      env_id: tenant.envId,
      crew_id: input.crew_id,
      name: input.name,
      description: input.description ?? '',
      runner: input.runner,
      runner_config_enc: this.box.seal(JSON.stringify(settings)),
      prompt_template: input.prompt_template ?? '',
      timeout_ms: (input.timeout_seconds ?? this.defaultTimeoutSeconds) * 1000,
      max_concurrent_runs: input.max_concurrent_runs ?? 1,
      model: input.model ?? null,
      webhook_secret_enc: this.box.seal(secret),
      rate_limit_per_minute: input.rate_limit_per_minute ?? null,
      notifications: this.checkRules(input.notifications),
      created_at: now,
      updated_at: now,
    };
    await this.store.agents.insertAgent(row);
    return { ...this.view(row), webhook_secret: secret };
  }

  async get(tenant: Tenant, id: string): Promise<AgentRecord> {
    const a = await this.store.agents.getAgent(tenant.envId, id);
    if (!a) throw notFound('agent', id);
    return a;
  }

  async list(tenant: Tenant, page: Page & { crewId?: string }) {
    const { rows, total } = await this.store.agents.listAgents(tenant.envId, page);
    return { items: rows.map((r) => this.view(r)), total };
  }

  async update(tenant: Tenant, id: string, input: Partial<Omit<AgentInput, 'crew_id'>>): Promise<AgentView> {
    const patch: Partial<AgentRecord> = { updated_at: this.clock.now() };
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    if (input.runner !== undefined || input.runner_config !== undefined || input.model !== undefined) {
      const current = await this.get(tenant, id);
      const runner = input.runner ?? (current.runner as RunnerKind);
      if (runner !== current.runner && input.runner_config === undefined) {
        throw new UserError('invalid_runner_config', `changing runner to "${runner}" needs its runner_config as well`);
      }
      const settings = this.checkRunner(runner, input.runner_config ?? this.storedSettings(current), input.model === undefined ? current.model : input.model);
      patch.runner = runner;
      if (input.runner_config !== undefined) patch.runner_config_enc = this.box.seal(JSON.stringify(settings));
    }
    if (input.prompt_template !== undefined) patch.prompt_template = input.prompt_template;
    if (input.timeout_seconds !== undefined) patch.timeout_ms = input.timeout_seconds * 1000;
    if (input.max_concurrent_runs !== undefined) patch.max_concurrent_runs = input.max_concurrent_runs;
    if (input.model !== undefined) patch.model = input.model;
    if (input.rate_limit_per_minute !== undefined) patch.rate_limit_per_minute = input.rate_limit_per_minute;
    if (input.notifications !== undefined) patch.notifications = this.checkRules(input.notifications);
    const row = await this.store.agents.updateAgent(tenant.envId, id, patch);
    if (!row) throw notFound('agent', id);
    return this.view(row);
  }

  /** Deletes the agent with its named webhook triggers, schedules and the post-action bindings to any of them (its runs stay, as history). */
  async remove(tenant: Tenant, id: string): Promise<void> {
    const { envId } = tenant;
    const deleted = await this.store.transaction(async (tx) => {
      // First: it finds the bindings through the triggers and schedules deleted next.
      await tx.postActions.deleteBindingsForAgent(envId, id);
      await tx.triggers.deleteForAgent(envId, id);
      await tx.schedules.deleteForAgent(envId, id);
      return tx.agents.deleteAgent(envId, id);
    });
    if (!deleted) throw notFound('agent', id);
  }

  /** A new secret (or `secret`, for agents defined in files) that works at once; the old one stops. */
  async rotateWebhookSecret(tenant: Tenant, id: string, chosen?: string): Promise<{ webhook_secret: string }> {
    await this.get(tenant, id);
    if (chosen !== undefined && chosen.length < 16) throw new UserError('invalid_secret', 'a webhook secret must be at least 16 characters');
    const secret = chosen ?? newTriggerSecret();
    await this.store.agents.updateAgent(tenant.envId, id, { webhook_secret_enc: this.box.seal(secret), updated_at: this.clock.now() });
    return { webhook_secret: secret };
  }

  private checkRunner(runner: string, raw: unknown, agentModel: string | null): RunnerSettings {
    if (!(RUNNERS as readonly string[]).includes(runner)) throw new UserError('invalid_runner', `runner must be one of ${RUNNERS.join(', ')}, not "${runner}"`);
    return checkRunnerSettings(runner as RunnerKind, raw, { guard: this.guard, agentModel });
  }

  /** The agent's rules as the API shows them: incoming-webhook URLs reduced to their origin. */
  private rulesView(row: AgentRecord): NotificationRules | null {
    const rules = row.notifications ? rulesFromJson(this.box.open(row.notifications)) : null;
    if (!rules) return null;
    return Object.fromEntries(Object.entries(rules).map(([event, list]) => [event, list.map((r) => ({ ...r, target: maskWebhookUrl(r.target) }))]));
  }

  /** Stored form of the per-agent notification rules; a 422 naming the spot (`notifications.on_error[0].target`) when wrong. */
  checkRules(rules: unknown): string | null {
    if (rules === undefined || rules === null) return null;
    try {
      // Sealed: a Slack target may be an incoming-webhook URL, which is a credential.
      return this.box.seal(rulesToJson(parseNotificationRules(rules, { webhookNames: this.webhookNames() })));
    } catch (err) {
      if (err instanceof RulesError) throw new UserError('invalid_notifications', err.message, { field: err.path });
      throw err;
    }
  }

  webhookSecret(row: AgentRecord): string {
    return this.box.open(row.webhook_secret_enc);
  }
}
