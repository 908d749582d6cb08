import type { Logger } from 'pino';
import type { DeliveryEngineStore } from '../store/index.js';
import type { Clock } from '../util/index.js';
import { DueAnnouncements } from './due-timer.js';
import { type DeliveryResult, earliestRetry, type Finished, healthOf, resultOf } from './outcome.js';

export interface ResultWriterOptions {
  store: Pick<DeliveryEngineStore, 'recordResults' | 'disableEndpoint'>;
  clock: Clock;
  log: Logger;
  /** Consecutive failed attempts after which an endpoint is disabled. */
  autoDisableAfter: number;
  /** The claim (lease owner) row `id` is held under now: a row re-claimed mid-request changed hands. */
  ownerOf: (id: string) => string | undefined;
  /** How many of `pending` finished deliveries one write takes now. */
  batchOf: (pending: number) => number;
  /** These deliveries' results were written, or failed to be: either way no longer held. */
  written: (ids: string[]) => void;
  /** A retry due at `at` was written. */
  retryDue: (at: number) => void;
  /** Called for every delivery whose new state is written (the live stream); must not throw. */
  onResult?: (r: DeliveryResult) => void;
}

/**
 * Writes finished deliveries by group commit: whatever finished while the previous write ran
 * goes in the next one. Then it disables endpoints that failed too often, and tells other
 * processes about retries they would not otherwise look for.
 */
export class ResultWriter {
  private pending: Finished[] = [];
  private writing: Promise<void> | null = null;
  private readonly announcements = new DueAnnouncements();

  constructor(private readonly options: ResultWriterOptions) {}

  add(finished: Finished): void {
    this.pending.push(finished);
    if (!this.writing) this.writing = this.writeLoop();
  }

  /** Resolves once everything added so far is written (or its write failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /**
   * While tenants contend on SQLite a write takes a few rows and the rest wait a turn of the
   * event loop, so other tenants' publishes are not held up behind one long write.
   */
  private async writeLoop(): Promise<void> {
    try {
      let cut = true;
      while (this.pending.length) {
        if (cut) await new Promise<void>((r) => setImmediate(r));
        const limit = this.options.batchOf(this.pending.length);
        cut = limit < this.pending.length;
        const batch = this.pending.splice(0, limit);
        try {
          await this.write(batch);
        } catch (err) {
          // The rows stay leased and come back after the lease: at-least-once holds.
          this.options.log.error({ err, count: batch.length }, 'delivery: writing results failed; the deliveries will be retried after their lease');
        }
        this.options.written(batch.map((f) => f.row.id));
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(batch: Finished[]): Promise<void> {
    const { store, clock } = this.options;
    const { health, gone } = healthOf(batch);
    // The earliest retry in the batch: this process wakes for it, and tells the others if it is news.
    const retryAt = earliestRetry(batch);
    const announce = retryAt !== undefined && this.announcements.worth(retryAt, clock.now()) ? retryAt : undefined;
    const after = await store.recordResults({
      attempts: batch.flatMap((f) => (f.attempt ? [f.attempt] : [])),
      updates: batch.map((f) => ({ ...f.update, leaseOwner: this.options.ownerOf(f.row.id) ?? f.update.leaseOwner })),
      health,
      ...(announce !== undefined ? { announceDueAt: announce } : {}),
    });
    // Committed: only now may the timer find the row (or another process claim it).
    if (announce !== undefined) this.announcements.sent(announce);
    if (retryAt !== undefined) this.options.retryDue(retryAt);
    if (this.options.onResult) for (const f of batch) this.options.onResult(resultOf(f));
    const toDisable = new Map<string, string>(gone.map((id) => [id, 'the endpoint answered 410 Gone']));
    for (const e of after) {
      if (e.enabled && e.consecutive_failures >= this.options.autoDisableAfter && !toDisable.has(e.id)) {
        toDisable.set(e.id, `${e.consecutive_failures} consecutive failed attempts`);
      }
    }
    for (const [id, reason] of toDisable) {
      try {
        const disabled = await store.disableEndpoint(id, reason, clock.now()); // false: another worker won
        if (disabled) this.options.log.warn({ endpointId: id, reason }, 'endpoint disabled');
      } catch (err) {
        // The results are written; the next failed attempt will try the disable again.
        this.options.log.error({ err, endpointId: id }, 'delivery: disabling the endpoint failed');
      }
    }
  }
}
