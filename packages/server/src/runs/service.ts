import type { AgentRecord, RunFilter, RunRecord, Store } from '../store/index.js';
import { type Clock, GroupCommit, newId } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { StreamEmitter } from '../stream/index.js';
import type { Tenant } from '../tenants/index.js';
import type { RunExecutor } from './executor.js';
import type { RunAnnouncer } from './announce.js';
import { streamRun } from './live.js';

export interface ExternalReport {
  agent: AgentRecord;
  status: 'completed' | 'failed' | 'timeout';
  output?: string | null;
  error?: string | null;
  prompt?: string;
  startedAt?: number;
  finishedAt?: number;
  usage?: { iterations_used?: number; tool_calls?: number; tokens_used?: number };
  externalId?: string;
}

export interface RunRequest {
  agent: AgentRecord;
  triggerType: 'webhook' | 'schedule' | 'manual' | 'api';
  triggerId?: string | null;
  triggerName?: string | null;
  prompt: string;
  idempotencyKey?: string | null;
}

/** Creating, finding and cancelling runs; the executor does the running. A run is in its agent's tenant. */
export class RunService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly executor: () => RunExecutor | undefined,
    private readonly stream?: StreamEmitter,
    /** Announces a run cancelled before it started (run.failed and its notifications), like any other end. */
    private readonly announcer?: RunAnnouncer,
  ) {
    // One transaction per batch of concurrent triggers instead of one commit each.
    this.inserts = new GroupCommit({ write: (rows) => this.insertAll(rows, store), maxBatch: 500, maxWriters: store.dialect === 'postgres' ? 4 : 1 });
  }

  private readonly inserts: GroupCommit<RunRecord, { run: RunRecord; created: boolean }>;

  private insertAll(rows: RunRecord[], store: Store): Promise<{ run: RunRecord; created: boolean }[]> {
    return store.transaction(async (tx) => {
      const results = await tx.agents.insertRuns(rows);
      for (const r of results) if (r.created) tx.afterCommit(() => streamRun(this.stream, r.run));
      return results;
    });
  }

  /**
   * Queues a run; the same idempotency key for the same agent returns the first run.
   * Inside the caller's transaction `tx`, the caller wakes the executor after commit ({@link wakeExecutor}).
   */
  async enqueue(r: RunRequest, tx?: Store): Promise<{ run: RunRecord; created: boolean }> {
    const now = this.clock.now();
    const row: RunRecord = {
      id: newId('run', this.clock),
      env_id: r.agent.env_id,
      crew_id: r.agent.crew_id,
      agent_id: r.agent.id,
      trigger_type: r.triggerType,
      trigger_id: r.triggerId ?? null,
      trigger_name: r.triggerName ?? null,
      prompt: r.prompt,
      status: 'queued',
      output: null,
      error: null,
      exit_code: null,
      iterations_used: null,
      tool_calls: null,
      tokens_used: null,
      idempotency_key: r.idempotencyKey ?? null,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
    };
    if (tx) return (await this.insertAll([row], tx))[0]!;
    const result = await this.inserts.submit(row);
    if (result.created) this.wakeExecutor(row.agent_id);
    return result;
  }

  /** Tells this process's executor (if it has one) that runs are queued. */
  wakeExecutor(agentId?: string): void {
    this.executor()?.wake(agentId);
  }

  async get(tenant: Tenant, id: string): Promise<RunRecord> {
    const run = await this.store.agents.getRun(tenant.envId, id);
    if (!run) throw notFound('run', id);
    return run;
  }

  list(tenant: Tenant, f: RunFilter) {
    return this.store.agents.listRuns(tenant.envId, f);
  }

  /** Log lines of one of the tenant's runs, or its agent's most recent ones. */
  logs(tenant: Tenant, f: { runId?: string; agentId?: string; afterSeq?: number; limit: number }) {
    return this.store.agents.listLogs(tenant.envId, f);
  }

  /**
   * Records a run that an outside platform executed (POST /api/v1/runs/report): stored in its
   * final state and announced with its run.* event in one transaction, like a local run.
   * The same `externalId` for the same agent records once.
   */
  async report(r: ExternalReport, publish: (tx: Store, run: RunRecord, agent: AgentRecord) => Promise<void>): Promise<{ run: RunRecord; created: boolean }> {
    const now = this.clock.now();
    const startedAt = r.startedAt ?? now;
    const finishedAt = r.finishedAt ?? now;
    if (finishedAt < startedAt) throw new UserError('invalid_time', '`finished_at` is earlier than `started_at`');
    const row: RunRecord = {
      id: newId('run', this.clock),
      env_id: r.agent.env_id,
      crew_id: r.agent.crew_id,
      agent_id: r.agent.id,
      trigger_type: 'api',
      trigger_id: r.externalId ?? null,
      trigger_name: 'report',
      prompt: r.prompt ?? '',
      status: r.status,
      output: r.output ?? null,
      error: r.error ?? null,
      exit_code: null,
      iterations_used: r.usage?.iterations_used ?? null,
      tool_calls: r.usage?.tool_calls ?? null,
      tokens_used: r.usage?.tokens_used ?? null,
      idempotency_key: r.externalId ? `report:${r.externalId}` : null,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      started_at: startedAt,
      finished_at: finishedAt,
      updated_at: now,
    };
    return this.store.transaction(async (tx) => {
      const result = (await this.insertAll([row], tx))[0]!;
      if (result.created) await publish(tx, result.run, r.agent);
      return result;
    });
  }

  /** Cancels a queued run at once, or a running one in this process; elsewhere it is a 409. */
  async cancel(tenant: Tenant, id: string): Promise<RunRecord> {
    const run = await this.get(tenant, id);
    if (run.status === 'queued') {
      const now = this.clock.now();
      const patch = {
        status: 'cancelled',
        output: null,
        error: 'cancelled before it started',
        exit_code: null,
        iterations_used: null,
        tool_calls: null,
        tokens_used: null,
        finished_at: now,
        updated_at: now,
      } as const;
      const final: RunRecord = { ...run, ...patch };
      await this.store.transaction(async (tx) => {
        if (!(await tx.agents.finishRun(id, patch))) return;
        tx.afterCommit(() => streamRun(this.stream, final));
        const agent = await tx.agents.getAgent(run.env_id, run.agent_id);
        if (agent) await this.announcer?.ended(tx, final, agent);
      });
    } else if (run.status === 'running') {
      const done = this.executor()?.cancelLocal(id);
      if (!done) throw new UserError('run_elsewhere', `run ${id} is running in another Hookline process; cancel it through that process's API`);
      await done;
    } else {
      throw new UserError('run_finished', `run ${id} already ended (${run.status})`);
    }
    return this.get(tenant, id);
  }
}
