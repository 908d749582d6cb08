import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/index.js';
import type { AgentTable, CrewTable, Page, Store } from '../store/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { notFound, UserError } from '../util/errors.js';
import { newId } from '../util/ids.js';
import { iso } from '../util/time.js';

export const RUNNERS = ['command'] as const;
export type RunnerKind = (typeof RUNNERS)[number];

export interface CommandRunnerConfig {
  command: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface AgentInput {
  crew_id: string;
  name: string;
  description?: string;
  runner: RunnerKind;
  runner_config: CommandRunnerConfig;
  prompt_template?: string;
  timeout_seconds?: number;
  max_concurrent_runs?: number;
  model?: string | null;
  rate_limit_per_minute?: number | null;
}

export interface AgentView {
  id: string;
  crew_id: string;
  name: string;
  description: string;
  runner: string;
  /** Command and arguments are shown; environment values are hidden (they hold credentials). */
  runner_config: { command: string; args: string[]; cwd: string | null; env: Record<string, string> };
  prompt_template: string;
  timeout_seconds: number;
  max_concurrent_runs: number;
  model: string | null;
  rate_limit_per_minute: number | null;
  trigger_url: string;
  created_at: string;
  updated_at: string;
}

/** 004 calls it "the per-agent secret"; 32 random bytes, URL-safe. */
const newTriggerSecret = () => `hltr_${randomBytes(32).toString('base64url')}`;
const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Crews and agents: validation, sealed runner settings, per-agent trigger secrets. */
export class AgentAdmin {
  constructor(private readonly store: Store, private readonly box: SecretBox, private readonly clock: Clock = systemClock) {}

  crewView(c: CrewTable) {
    return { id: c.id, name: c.name, created_at: iso(c.created_at), updated_at: iso(c.updated_at) };
  }

  async createCrew(input: { id?: string; name: string }) {
    const id = input.id ?? newId('crew', this.clock).toLowerCase();
    if (!SLUG.test(id)) throw new UserError(422, 'invalid_id', `crew id "${id}" must be 1–63 lower-case letters, digits, - or _`);
    if (await this.store.agents.getCrew(id)) throw new UserError(409, 'conflict', `crew ${id} already exists`);
    const now = this.clock.now();
    const row: CrewTable = { id, name: input.name, created_at: now, updated_at: now };
    await this.store.agents.insertCrew(row);
    return this.crewView(row);
  }

  async getCrew(id: string): Promise<CrewTable> {
    const c = await this.store.agents.getCrew(id);
    if (!c) throw notFound('crew', id);
    return c;
  }

  async deleteCrew(id: string): Promise<void> {
    await this.getCrew(id);
    const n = await this.store.agents.countAgentsInCrew(id);
    if (n) throw new UserError(409, 'crew_not_empty', `crew ${id} still has ${n} agent(s); delete or move them first`);
    await this.store.agents.deleteCrew(id);
  }

  /** Runner settings with secrets opened, for the executor and the redacted view. */
  runnerSettings(row: AgentTable): CommandRunnerConfig {
    return JSON.parse(this.box.open(row.runner_config_enc)) as CommandRunnerConfig;
  }

  view(row: AgentTable): AgentView {
    const cfg = this.runnerSettings(row);
    return {
      id: row.id,
      crew_id: row.crew_id,
      name: row.name,
      description: row.description,
      runner: row.runner,
      runner_config: { command: cfg.command, args: cfg.args ?? [], cwd: cfg.cwd ?? null, env: Object.fromEntries(Object.keys(cfg.env ?? {}).map((k) => [k, '********'])) },
      prompt_template: row.prompt_template,
      timeout_seconds: row.timeout_ms / 1000,
      max_concurrent_runs: row.max_concurrent_runs,
      model: row.model,
      rate_limit_per_minute: row.rate_limit_per_minute,
      trigger_url: `/api/v1/webhooks/${row.crew_id}/${row.id}/trigger`,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    };
  }

  async create(input: AgentInput & { id?: string }): Promise<AgentView & { webhook_secret: string }> {
    await this.getCrew(input.crew_id).catch(() => {
      throw new UserError(422, 'unknown_crew', `crew ${input.crew_id} does not exist; create it with POST /api/v1/crews`);
    });
    const id = input.id ?? newId('agt', this.clock).toLowerCase();
    if (!SLUG.test(id)) throw new UserError(422, 'invalid_id', `agent id "${id}" must be 1–63 lower-case letters, digits, - or _`);
    if (await this.store.agents.getAgent(id)) throw new UserError(409, 'conflict', `agent ${id} already exists`);
    const now = this.clock.now();
    const secret = newTriggerSecret();
    const row: AgentTable = {
      id,
      crew_id: input.crew_id,
      name: input.name,
      description: input.description ?? '',
      runner: input.runner,
      runner_config_enc: this.box.seal(JSON.stringify(input.runner_config)),
      prompt_template: input.prompt_template ?? '',
      timeout_ms: (input.timeout_seconds ?? 600) * 1000,
      max_concurrent_runs: input.max_concurrent_runs ?? 1,
      model: input.model ?? null,
      webhook_secret_enc: this.box.seal(secret),
      rate_limit_per_minute: input.rate_limit_per_minute ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.store.agents.insertAgent(row);
    return { ...this.view(row), webhook_secret: secret };
  }

  async get(id: string): Promise<AgentTable> {
    const a = await this.store.agents.getAgent(id);
    if (!a) throw notFound('agent', id);
    return a;
  }

  async list(page: Page & { crewId?: string }) {
    const { rows, total } = await this.store.agents.listAgents(page);
    return { items: rows.map((r) => this.view(r)), total };
  }

  async update(id: string, input: Partial<Omit<AgentInput, 'crew_id'>>): Promise<AgentView> {
    const patch: Partial<AgentTable> = { updated_at: this.clock.now() };
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    if (input.runner !== undefined) patch.runner = input.runner;
    if (input.runner_config !== undefined) patch.runner_config_enc = this.box.seal(JSON.stringify(input.runner_config));
    if (input.prompt_template !== undefined) patch.prompt_template = input.prompt_template;
    if (input.timeout_seconds !== undefined) patch.timeout_ms = input.timeout_seconds * 1000;
    if (input.max_concurrent_runs !== undefined) patch.max_concurrent_runs = input.max_concurrent_runs;
    if (input.model !== undefined) patch.model = input.model;
    if (input.rate_limit_per_minute !== undefined) patch.rate_limit_per_minute = input.rate_limit_per_minute;
    const row = await this.store.agents.updateAgent(id, patch);
    if (!row) throw notFound('agent', id);
    return this.view(row);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.store.agents.deleteAgent(id))) throw notFound('agent', id);
  }

  async rotateWebhookSecret(id: string): Promise<{ webhook_secret: string }> {
    await this.get(id);
    const secret = newTriggerSecret();
    await this.store.agents.updateAgent(id, { webhook_secret_enc: this.box.seal(secret), updated_at: this.clock.now() });
    return { webhook_secret: secret };
  }

  webhookSecret(row: AgentTable): string {
    return this.box.open(row.webhook_secret_enc);
  }
}
