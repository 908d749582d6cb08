import type { Logger } from 'pino';
import { type RunService } from '../runs/index.js';
import type { AgentRecord, ScheduleRecord, Store } from '../store/index.js';
import { type Clock } from '../util/index.js';
import { latestFireAtOrBefore, nextFire } from './cron.js';
import { decideTick, isRunActive, tickKey } from './policy.js';

export interface SchedulerOptions {
  store: Store;
  runs: RunService;
  clock: Clock;
  log: Logger;
  /**
   * Longest sleep between looks at the table; the loop otherwise wakes at the nearest
   * `next_run_at`, and at once when this process changes a schedule (`schedules.poll_interval`).
   */
  pollIntervalMs: number;
  /** Due schedules read per round trip (`schedules.batch_size`). */
  batchSize: number;
}

/** What a schedule's run is asked: the agent's prompt template, then the schedule's prompt. */
export const schedulePrompt = (agent: Pick<AgentRecord, 'prompt_template'>, s: Pick<ScheduleRecord, 'prompt'>) =>
  [agent.prompt_template.trim(), s.prompt].filter(Boolean).join('\n\n');

export type TickOutcome = 'fired' | 'skipped' | 'lost';

export interface TickReport {
  fired: number;
  skipped: number;
  /** Due ticks another process handled first. */
  lost: number;
}

/**
 * Fires cron ticks. Any number of processes may run one against the same database: each due
 * tick is claimed by a compare-and-set of `next_run_at` (from the value read to the next future
 * tick) in the same transaction that queues its run, so exactly one process fires it. The
 * run's idempotency key `schedule:{id}:{tick}` is a second guard.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pollMs: number;
  private readonly batch: number;

  constructor(private readonly options: SchedulerOptions) {
    this.pollMs = options.pollIntervalMs;
    this.batch = options.batchSize;
  }

  start(): void {
    this.stopped = false;
    this.plan(0);
  }

  /** Stops the loop and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Schedules changed here: look again now rather than at the planned time. */
  wake(): void {
    if (!this.stopped) this.plan(0);
  }

  /** Handles every schedule due at the clock's now. Safe to call concurrently, here or elsewhere. */
  async tick(): Promise<TickReport> {
    const work = this.handleDue();
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private plan(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), delayMs);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    let delay = this.pollMs;
    try {
      await this.tick();
      const nearest = await this.options.store.schedules.nextDueAt();
      const wait = nearest === undefined ? Infinity : nearest - this.options.clock.now();
      // Still due right after a tick means it failed; the poll interval paces the retry.
      if (wait > 0) delay = Math.min(delay, wait);
    } catch (err) {
      this.options.log.error({ err }, 'scheduler: handling due schedules failed; will retry');
    }
    if (!this.stopped) this.plan(delay);
  }

  private async handleDue(): Promise<TickReport> {
    const report: TickReport = { fired: 0, skipped: 0, lost: 0 };
    const now = this.options.clock.now();
    // Each handled row leaves the due set, so a few rounds drain even a large backlog.
    for (let round = 0; round < 10; round++) {
      const due = await this.options.store.schedules.listDue(now, this.batch);
      for (const s of due) {
        try {
          report[await this.handle(s)]++;
        } catch (err) {
          this.options.log.error({ err, scheduleId: s.id }, 'scheduler: handling a due schedule failed; it stays due');
        }
      }
      if (due.length < this.batch) break;
    }
    if (report.fired) this.options.runs.wakeExecutor();
    return report;
  }

  /** One due schedule, in one transaction: claim the tick, then queue its run or record the skip. It runs in the schedule's tenant. */
  private async handle(s: ScheduleRecord): Promise<TickOutcome> {
    const dueAt = s.next_run_at!;
    const seen = { next_run_at: dueAt, last_run_id: s.last_run_id };
    return this.options.store.transaction(async (tx) => {
      const now = this.options.clock.now();
      const agent = await tx.agents.getAgent(s.env_id, s.agent_id);
      if (!agent) {
        const claimed = await tx.schedules.claimTick(s.id, seen, {
          enabled: false,
          next_run_at: null,
          last_skip_reason: `agent ${s.agent_id} no longer exists; schedule disabled`,
          updated_at: now,
        });
        return claimed ? 'skipped' : 'lost';
      }
      const previous = s.last_run_id ? await tx.agents.getRun(s.env_id, s.last_run_id) : undefined;
      const latest = Math.max(dueAt, latestFireAtOrBefore(s, now) ?? dueAt);
      const decision = decideTick({ dueAt, latest, now, graceMs: s.misfire_grace_ms, previousRunActive: isRunActive(previous, now) });
      const next = nextFire(s, now);
      if (decision.action === 'skip') {
        const claimed = await tx.schedules.claimTick(s.id, seen, { next_run_at: next, last_skip_reason: decision.reason, updated_at: now });
        if (claimed) this.options.log.info({ scheduleId: s.id, reason: decision.reason }, 'scheduler: tick skipped');
        return claimed ? 'skipped' : 'lost';
      }
      if (!(await tx.schedules.claimTick(s.id, seen, { next_run_at: next, updated_at: now }))) return 'lost';
      const { run, created } = await this.options.runs.enqueue(
        {
          agent,
          triggerType: 'schedule',
          triggerId: s.id,
          triggerName: s.name,
          prompt: schedulePrompt(agent, s),
          idempotencyKey: tickKey(s.id, decision.tick),
        },
        tx,
      );
      // A tick that already has its run (e.g. re-enabled after the clock went back) is not fired twice.
      await tx.schedules.update(
        s.env_id,
        s.id,
        created
          ? { last_run_id: run.id, last_run_at: now, last_skip_reason: null }
          : { last_skip_reason: `the tick at ${new Date(decision.tick).toISOString()} already ran (run ${run.id})` },
      );
      return created ? 'fired' : 'skipped';
    });
  }
}
