import { type RunService } from '../runs/index.js';
import type { Page, RunRecord, ScheduleRecord, Store } from '../store/index.js';
import { type Clock, newId, iso } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { ScheduleView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import { type CronSpec, nextFire, nextFires, validateSpec } from './cron.js';
import { isRunActive } from './policy.js';
import { schedulePrompt } from './scheduler.js';

export interface ScheduleInput {
  agent_id: string;
  name: string;
  cron: string;
  timezone?: string;
  prompt?: string;
  enabled?: boolean;
  misfire_grace_seconds?: number;
}

export type ScheduleUpdate = Partial<Omit<ScheduleInput, 'agent_id'>>;

export type { ScheduleView };

export interface ScheduleAdminOptions {
  store: Store;
  clock: Clock;
  runs: RunService;
  /** Called after a schedule was created, changed or deleted (this process's scheduler looks again). */
  onChange?: () => void;
}

const DEFAULT_GRACE_S = 60;
const MAX_GRACE_S = 86_400;

/** Schedules as the API sees them: validation, next-tick bookkeeping, run now. */
export class ScheduleAdmin {
  constructor(private readonly options: ScheduleAdminOptions) {}

  view(row: ScheduleRecord): ScheduleView {
    const next = row.next_run_at;
    return {
      id: row.id,
      agent_id: row.agent_id,
      name: row.name,
      cron: row.cron,
      timezone: row.timezone,
      prompt: row.prompt,
      enabled: row.enabled,
      misfire_grace_seconds: row.misfire_grace_ms / 1000,
      next_run_at: iso(next),
      next_runs: next === null ? [] : [next, ...nextFires(row, next, 2)].map((t) => iso(t)),
      last_run_at: iso(row.last_run_at),
      last_run_id: row.last_run_id,
      last_skip_reason: row.last_skip_reason,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    };
  }

  async create(tenant: Tenant, input: ScheduleInput): Promise<ScheduleView> {
    if (!(await this.options.store.agents.getAgent(tenant.envId, input.agent_id)))
      throw new UserError('unknown_agent', `agent ${input.agent_id} does not exist`);
    const now = this.options.clock.now();
    const spec: CronSpec = { cron: input.cron.trim(), timezone: input.timezone ?? 'UTC' };
    validateSpec(spec, now);
    const enabled = input.enabled ?? true;
    const row: ScheduleRecord = {
      id: newId('sch', this.options.clock),
      env_id: tenant.envId,
      agent_id: input.agent_id,
      name: input.name,
      ...spec,
      prompt: input.prompt ?? '',
      enabled,
      misfire_grace_ms: graceMs(input.misfire_grace_seconds ?? DEFAULT_GRACE_S),
      next_run_at: enabled ? nextFire(spec, now) : null,
      last_run_at: null,
      last_run_id: null,
      last_skip_reason: null,
      created_at: now,
      updated_at: now,
    };
    await this.options.store.schedules.insert(row);
    this.options.onChange?.();
    return this.view(row);
  }

  async get(tenant: Tenant, id: string): Promise<ScheduleRecord> {
    const row = await this.options.store.schedules.get(tenant.envId, id);
    if (!row) throw notFound('schedule', id);
    return row;
  }

  async list(tenant: Tenant, page: Page & { agentId?: string }): Promise<{ items: ScheduleView[]; total: number }> {
    const { rows, total } = await this.options.store.schedules.list(tenant.envId, page);
    return { items: rows.map((r) => this.view(r)), total };
  }

  /** Enabling, or changing the expression or zone, plans the next tick from now. */
  async update(tenant: Tenant, id: string, input: ScheduleUpdate): Promise<ScheduleView> {
    const row = await this.get(tenant, id);
    const now = this.options.clock.now();
    const patch: Partial<ScheduleRecord> = { updated_at: now };
    if (input.name !== undefined) patch.name = input.name;
    if (input.prompt !== undefined) patch.prompt = input.prompt;
    if (input.misfire_grace_seconds !== undefined) patch.misfire_grace_ms = graceMs(input.misfire_grace_seconds);
    const spec: CronSpec = { cron: input.cron?.trim() ?? row.cron, timezone: input.timezone ?? row.timezone };
    const specChanged = spec.cron !== row.cron || spec.timezone !== row.timezone;
    if (specChanged) {
      validateSpec(spec, now);
      Object.assign(patch, spec);
    }
    const enabled = input.enabled ?? row.enabled;
    patch.enabled = enabled;
    if (!enabled) patch.next_run_at = null;
    else if (!row.enabled || specChanged) patch.next_run_at = nextFire(spec, now);
    const updated = await this.options.store.schedules.update(tenant.envId, id, patch);
    if (!updated) throw notFound('schedule', id);
    this.options.onChange?.();
    return this.view(updated);
  }

  /** Deletes the schedule with the post-action bindings that watch it. */
  async remove(tenant: Tenant, id: string): Promise<void> {
    const deleted = await this.options.store.transaction(async (tx) => {
      await tx.postActions.deleteBindingsForTrigger(tenant.envId, 'schedule', id);
      return tx.schedules.delete(tenant.envId, id);
    });
    if (!deleted) throw notFound('schedule', id);
    this.options.onChange?.();
  }

  /** Starts a run now (enabled or not), unless the schedule's previous run is still going. */
  async runNow(tenant: Tenant, id: string): Promise<RunRecord> {
    const schedule = await this.get(tenant, id);
    const run = await this.options.store.transaction(async (tx) => {
      const now = this.options.clock.now();
      const agent = await tx.agents.getAgent(tenant.envId, schedule.agent_id);
      if (!agent) throw new UserError('schedule_agent_deleted', `agent ${schedule.agent_id} of schedule ${id} no longer exists`);
      const previous = schedule.last_run_id ? await tx.agents.getRun(tenant.envId, schedule.last_run_id) : undefined;
      if (previous && isRunActive(previous, now))
        throw new UserError('previous_run_active', `run ${previous.id} of schedule ${id} is still ${previous.status}; a schedule never overlaps its runs`);
      const { run } = await this.options.runs.enqueue(
        { agent, triggerType: 'schedule', triggerId: schedule.id, triggerName: schedule.name, prompt: schedulePrompt(agent, schedule) },
        tx,
      );
      // Rolled back if the scheduler recorded a run meanwhile: then that one is the run in progress.
      if (!(await tx.schedules.recordManualRun(schedule.id, schedule.last_run_id, run.id, now)))
        throw new UserError('previous_run_active', `schedule ${id} started a run at the same moment; see its last_run_id`);
      return run;
    });
    this.options.runs.wakeExecutor();
    return run;
  }
}

function graceMs(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_GRACE_S)
    throw new UserError('invalid_misfire_grace', `misfire_grace_seconds must be between 0 and ${MAX_GRACE_S} (24 h); got ${seconds}`);
  return Math.round(seconds * 1000);
}
