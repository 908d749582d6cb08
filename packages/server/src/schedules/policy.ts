import type { RunRecord } from '../store/index.js';
import { iso } from '../util/index.js';

export type TickDecision = { action: 'fire'; tick: number } | { action: 'skip'; reason: string };

export interface DueTick {
  /** The oldest tick not handled yet (the schedule's next_run_at). */
  dueAt: number;
  /** The most recent tick at or before `now`; equals `dueAt` unless ticks were missed. */
  latest: number;
  now: number;
  graceMs: number;
  /** The schedule's previous run is still queued or running. */
  previousRunActive: boolean;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The misfire and overlap policy. Ticks missed while nothing was running (downtime, a clock
 * jump forward) coalesce into the most recent one, which runs if it is at most `graceMs` late
 * (as Kubernetes' startingDeadlineSeconds); otherwise it is skipped. A run is never started
 * while the schedule's previous run is still going.
 */
export function decideTick(t: DueTick): TickDecision {
  const late = t.now - t.latest;
  if (late > t.graceMs) {
    const which = t.dueAt === t.latest ? `the tick at ${iso(t.latest)}` : `the ticks from ${iso(t.dueAt)} to ${iso(t.latest)}; the latest`;
    return { action: 'skip', reason: `missed: ${which} was ${seconds(late)} late (misfire grace ${seconds(t.graceMs)})` };
  }
  if (t.previousRunActive) return { action: 'skip', reason: 'previous run still running' };
  return { action: 'fire', tick: t.latest };
}

/**
 * Whether a run still occupies its schedule. A running run whose lease has expired lost its
 * worker: it no longer blocks the schedule (the next worker start marks it failed).
 */
export function isRunActive(run: Pick<RunRecord, 'status' | 'lease_until'> | undefined, now: number): boolean {
  if (!run) return false;
  if (run.status === 'queued') return true;
  return run.status === 'running' && (run.lease_until === null || run.lease_until > now);
}

/** The idempotency key of a tick's run: the unique index on (agent_id, idempotency_key) refuses a second one. */
export const tickKey = (scheduleId: string, tick: number) => `schedule:${scheduleId}:${tick}`;
