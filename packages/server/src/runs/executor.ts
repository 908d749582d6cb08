import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type AgentAdmin, type Runner, type RunOutcome } from '../agents/index.js';
import type { Publisher } from '../events/index.js';
import type { AgentRecord, RunRecord, Store } from '../store/index.js';
import { type Clock, storableText } from '../util/index.js';
import type { StreamEmitter } from '../stream/index.js';
import type { Tenant } from '../tenants/index.js';
import { streamRun } from './live.js';
import { RunLogWriter } from './log-writer.js';
import type { RunAnnouncer } from './announce.js';
import { runEventData } from './payload.js';

export interface ExecutorOptions {
  store: Store;
  agents: AgentAdmin;
  publisher: Publisher;
  /** Records what an ended run causes: its run.* event and notifications. */
  announcer: RunAnnouncer;
  /** The tenant of a stored env_id (read in `within`): a run's events are published in its agent's tenant. */
  tenantOf: (envId: string, within: Store) => Promise<Tenant>;
  log: Logger;
  clock: Clock;
  /** Builds the runner for an agent (tests and later runner kinds plug in here). */
  runnerFor: (runner: string, settings: unknown) => Runner;
  /** The live stream: run.started / run.* ends and agent.log lines go here. */
  stream?: StreamEmitter;
  /** A running run's lease (`runs.lease`); renewed at a third of it while the process lives. */
  leaseMs: number;
  /** How often queued runs are looked for and leases renewed (`runs.poll_interval`). */
  pollIntervalMs: number;
}

/**
 * Starts queued runs (respecting each agent's max_concurrent_runs), keeps their leases alive,
 * and records how they ended, with the run event and its deliveries, in one transaction.
 */
export class RunExecutor {
  private readonly worker = `r_${randomBytes(6).toString('hex')}`;
  private readonly active = new Map<string, AbortController>();
  private readonly finished = new Set<Promise<void>>();
  private readonly doneById = new Map<string, Promise<void>>();
  /** Agents seen at their max_concurrent_runs; cleared when one of their runs ends here, and every tick. */
  private readonly saturated = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private again = false;
  private stopped = true;
  private readonly leaseMs: number;

  constructor(private readonly options: ExecutorOptions) {
    this.leaseMs = options.leaseMs;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.sweepOrphans();
    const tick = () => {
      void this.renew().catch((err) => this.options.log.error({ err }, 'runs: renewing leases failed'));
      this.saturated.clear();
      this.wake();
      this.timer = setTimeout(tick, Math.min(this.options.pollIntervalMs, this.leaseMs / 3));
      this.timer.unref();
    };
    tick();
  }

  /** Stops starting runs; runs still going are cancelled and recorded as failed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const c of this.active.values()) c.abort(new Error('Hookline stopped during the run'));
    await Promise.all([...this.finished]);
  }

  /**
   * Looks for queued runs to start. With the agent of a new run, a wake is skipped while that
   * agent is known to be at its max_concurrent_runs: a burst of triggers for a busy agent then
   * costs no queries here. The periodic tick forgets what it knew (runs end in other processes).
   */
  wake(agentId?: string): void {
    if (this.stopped || (agentId !== undefined && this.saturated.has(agentId))) return;
    void this.pump().catch((err) => this.options.log.error({ err }, 'runs: starting queued runs failed; will retry'));
  }

  /** Cancels a run this process is running; resolves once it is recorded. Undefined if not here. */
  cancelLocal(runId: string): Promise<void> | undefined {
    const c = this.active.get(runId);
    if (!c) return undefined;
    c.abort(new Error('cancelled'));
    return this.doneById.get(runId);
  }

  /** Waits until no run is running in this process (tests). */
  async idle(): Promise<void> {
    while (this.finished.size || this.pumping) await Promise.all([...this.finished, new Promise((r) => setTimeout(r, 5))]);
  }

  /**
   * Per agent with queued runs: as many of its oldest as it has room for. Going agent by agent
   * (not down one global queue) keeps a long queue behind one busy agent from starving others.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return void (this.again = true);
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (const agentId of await this.options.store.agents.listAgentsWithQueuedRuns()) {
          if (this.stopped) break;
          if (!this.saturated.has(agentId)) await this.startQueued(agentId);
        }
      } while (this.again && !this.stopped);
    } finally {
      this.pumping = false;
    }
  }

  private async startQueued(agentId: string): Promise<void> {
    // The queue is every tenant's: the agent's row says whose run it is.
    const agent = await this.options.store.agents.findAgent(agentId);
    if (!agent) {
      for (const run of await this.options.store.agents.listQueued(agentId, 100)) {
        await this.finish(run, { status: 'failed', output: '', error: 'the agent was deleted before the run started', exitCode: null, usage: {} }, null);
      }
      return;
    }
    const now = this.options.clock.now();
    let room = agent.max_concurrent_runs - (await this.options.store.agents.countRunning(agent.id, now));
    for (const run of room > 0 ? await this.options.store.agents.listQueued(agent.id, room) : []) {
      const startedRun: RunRecord = { ...run, status: 'running', started_at: now, updated_at: now };
      const started = await this.options.store.transaction(async (tx) => {
        if (!(await tx.agents.startRun(run.id, this.worker, now, now + this.leaseMs))) return false;
        const crew = await tx.agents.getCrew(agent.env_id, run.crew_id);
        await this.options.publisher.publish(
          {
            tenant: await this.options.tenantOf(agent.env_id, tx),
            type: 'run.started',
            data: runEventData(startedRun, agent, crew),
            id: `evt_${run.id}_started`,
          },
          undefined,
          tx,
        );
        tx.afterCommit(() => streamRun(this.options.stream, startedRun));
        return true;
      });
      if (!started) continue; // another process took it
      room--;
      this.launch(startedRun, agent);
    }
    if (room <= 0) this.saturated.add(agent.id);
  }

  private launch(run: RunRecord, agent: NonNullable<Awaited<ReturnType<Store['agents']['getAgent']>>>): void {
    const abort = new AbortController();
    this.active.set(run.id, abort);
    const done = (async () => {
      let outcome: RunOutcome;
      const logs = new RunLogWriter(this.options.store, this.options.clock, this.options.log, run.id, agent.id, {
        stream: this.options.stream,
        crewId: run.crew_id,
        envId: run.env_id,
      });
      try {
        const runner = this.options.runnerFor(agent.runner, this.options.agents.runnerSettings(agent));
        const crew = await this.options.store.agents.getCrew(agent.env_id, agent.crew_id);
        outcome = await runner.run(
          {
            runId: run.id,
            agentId: agent.id,
            agentName: agent.name,
            crewId: agent.crew_id,
            crewName: crew?.name ?? '',
            triggerType: run.trigger_type,
            triggerName: run.trigger_name,
            prompt: run.prompt,
          },
          { timeoutMs: agent.timeout_ms, signal: abort.signal, onLog: (stream, line) => logs.add(stream, line) },
        );
      } catch (err) {
        outcome = { status: 'failed', output: '', error: `runner error: ${(err as Error).message}`, exitCode: null, usage: {} };
      }
      await logs.close();
      if (outcome.status === 'cancelled' && this.stopped) outcome = { ...outcome, status: 'failed', error: 'Hookline stopped during the run' };
      // Still in `active` while it is being recorded, so its lease keeps being renewed.
      await this.record(run, outcome, agent);
      this.active.delete(run.id);
      this.saturated.delete(agent.id);
      this.wake();
    })();
    this.finished.add(done);
    this.doneById.set(run.id, done);
    void done.finally(() => {
      this.finished.delete(done);
      this.doneById.delete(run.id);
    });
  }

  /**
   * finish(), retried while the store fails (a database restart): until it is written, the
   * outcome and its run.* notifications exist only here. Gives up when the executor stops;
   * the lease then expires and the next start's orphan sweep records the run as failed.
   */
  private async record(run: RunRecord, outcome: RunOutcome, agent: AgentRecord): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.finish(run, outcome, agent);
      } catch (err) {
        if (this.stopped)
          return void this.options.log.error(
            { err, runId: run.id },
            'runs: recording the outcome failed while stopping; the lease will expire and mark it failed',
          );
        this.options.log.error({ err, runId: run.id }, 'runs: recording the outcome failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 4000)));
      }
    }
  }

  /** Final state + run event + its deliveries, in one transaction. */
  async finish(run: RunRecord, outcome: RunOutcome, agent: AgentRecord | null): Promise<void> {
    const now = this.options.clock.now();
    const final: RunRecord = {
      ...run,
      status: outcome.status,
      // As stored (see storableText), so the event and notifications say what the run record says.
      output: storableText(outcome.output),
      error: storableText(outcome.error),
      exit_code: outcome.exitCode,
      iterations_used: outcome.usage.iterations_used ?? null,
      tool_calls: outcome.usage.tool_calls ?? null,
      tokens_used: outcome.usage.tokens_used ?? null,
      finished_at: now,
      updated_at: now,
    };
    await this.options.store.transaction(async (tx) => {
      const { status, output, error, exit_code, iterations_used, tool_calls, tokens_used, finished_at, updated_at } = final;
      if (!(await tx.agents.finishRun(run.id, { status, output, error, exit_code, iterations_used, tool_calls, tokens_used, finished_at, updated_at }))) return;
      tx.afterCommit(() => streamRun(this.options.stream, final));
      if (agent) await this.options.announcer.ended(tx, final, agent);
    });
  }

  private async renew(): Promise<void> {
    if (this.active.size) await this.options.store.agents.renewLeases(this.worker, [...this.active.keys()], this.options.clock.now() + this.leaseMs);
  }

  /** Runs whose worker died mid-run: recorded as failed (runners are not assumed idempotent). */
  private async sweepOrphans(): Promise<void> {
    const now = this.options.clock.now();
    for (const run of await this.options.store.agents.listOrphaned(now, 1000)) {
      const agent = (await this.options.store.agents.getAgent(run.env_id, run.agent_id)) ?? null;
      await this.finish(
        run,
        {
          status: 'failed',
          output: run.output ?? '',
          error: 'the worker running this run stopped (its lease expired); the run was not retried',
          exitCode: null,
          usage: {},
        },
        agent,
      );
    }
  }
}
