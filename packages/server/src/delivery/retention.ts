import type { Logger } from 'pino';
import type { DeliveryEngineStore } from '../store/index.js';
import { type Clock } from '../util/index.js';

export interface RetentionOptions {
  store: Pick<DeliveryEngineStore, 'pruneAttempts' | 'pruneEvents'>;
  clock: Clock;
  log: Logger;
  attemptsMs: number;
  eventsMs: number;
  intervalMs: number;
  batchSize: number;
}

/**
 * Deletes old history in small batches so the database does not grow forever. Pending work
 * is never pruned: an event stays while any of its deliveries is still pending.
 */
export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: RetentionOptions) {}

  start(): void {
    const tick = () => {
      this.running = this.runOnce().catch((err) => this.options.log.error({ err }, 'retention: pruning failed; will try again next interval'));
      this.timer = setTimeout(tick, this.options.intervalMs);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, Math.min(this.options.intervalMs, 60_000));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  /** One full pass; returns what it deleted. */
  async runOnce(): Promise<{ attempts: number; events: number }> {
    const now = this.options.clock.now();
    const total = { attempts: 0, events: 0 };
    let n: number;
    do {
      n = await this.options.store.pruneAttempts(now - this.options.attemptsMs, this.options.batchSize);
      total.attempts += n;
    } while (n === this.options.batchSize);
    do {
      n = await this.options.store.pruneEvents(now - this.options.eventsMs, this.options.batchSize);
      total.events += n;
    } while (n === this.options.batchSize);
    if (total.attempts || total.events) this.options.log.info(total, 'retention: pruned old history');
    return total;
  }
}
