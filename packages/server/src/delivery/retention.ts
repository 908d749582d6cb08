import type { Logger } from 'pino';
import type { DeliveryEngineStore, EnvSelection } from '../store/index.js';
import { type Clock } from '../util/index.js';

export interface RetentionOptions {
  store: Pick<DeliveryEngineStore, 'pruneAttempts' | 'pruneEvents'>;
  clock: Clock;
  log: Logger;
  attemptsMs: number;
  eventsMs: number;
  intervalMs: number;
  batchSize: number;
  /** Environments whose org sets its own windows (read at each pass); the rest keep the ones above. */
  overrides?: () => Promise<RetentionOverride[]>;
}

/** An org's own retention windows, for its environments; an absent window is the installation's. */
export interface RetentionOverride {
  envIds: string[];
  attemptsMs?: number;
  eventsMs?: number;
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

  /** One full pass: the orgs with their own windows, then everything else; returns what it deleted. */
  async runOnce(): Promise<{ attempts: number; events: number }> {
    const { store, attemptsMs, eventsMs } = this.options;
    const now = this.options.clock.now();
    const overrides = (await this.options.overrides?.()) ?? [];
    const total = { attempts: 0, events: 0 };
    const own = { attempts: [] as string[], events: [] as string[] };
    for (const org of overrides) {
      if (org.attemptsMs !== undefined) {
        total.attempts += await this.drain((limit) => store.pruneAttempts(now - org.attemptsMs!, limit, { only: org.envIds }));
        own.attempts.push(...org.envIds);
      }
      if (org.eventsMs !== undefined) {
        total.events += await this.drain((limit) => store.pruneEvents(now - org.eventsMs!, limit, { only: org.envIds }));
        own.events.push(...org.envIds);
      }
    }
    total.attempts += await this.drain((limit) => store.pruneAttempts(now - attemptsMs, limit, except(own.attempts)));
    total.events += await this.drain((limit) => store.pruneEvents(now - eventsMs, limit, except(own.events)));
    if (total.attempts || total.events) this.options.log.info(total, 'retention: pruned old history');
    return total;
  }

  /** Runs one prune in batches until a batch comes back short; returns the rows deleted. */
  private async drain(prune: (limit: number) => Promise<number>): Promise<number> {
    const { batchSize } = this.options;
    let total = 0;
    let n: number;
    do {
      n = await prune(batchSize);
      total += n;
    } while (n === batchSize);
    return total;
  }
}

const except = (envIds: string[]): EnvSelection | undefined => (envIds.length ? { except: envIds } : undefined);
