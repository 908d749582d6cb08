import type { Store, DeliveryTable, EventTable } from '../store/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { newId } from '../util/ids.js';
import { patternsMatching } from './catalog.js';

export interface Envelope {
  id: string;
  type: string;
  timestamp: string;
  org_id: string;
  env_id: string;
  data: unknown;
}

export interface PublishInput {
  type: string;
  data: unknown;
  /** Caller's id; publishing the same id again returns the first event and creates nothing. */
  id?: string;
}

export interface PublishResult {
  event: Envelope;
  duplicate: boolean;
  deliveries: number;
}

export interface PublisherOptions {
  store: Store;
  orgId: string;
  envId: string;
  clock?: Clock;
  /** Called after a commit that enqueued deliveries, so this process's dispatcher starts at once. */
  onEnqueued?: () => void;
  /** Called with new events once they are committed (also when written in a caller's transaction); must not throw. */
  onPublished?: (events: Envelope[]) => void;
}

/**
 * Turns an event into deliveries: the event row and one delivery per subscribed, enabled
 * endpoint are written in one transaction (the transactional outbox), so an accepted event
 * can never be lost between "stored" and "queued".
 */
interface Pending {
  input: PublishInput;
  onlyEndpointId: string | undefined;
  resolve: (r: PublishResult) => void;
  reject: (err: unknown) => void;
}

/** Most events written in one publish transaction. */
const MAX_BATCH = 500;

export class Publisher {
  private readonly clock: Clock;
  private queue: Pending[] = [];
  private kickScheduled = false;
  private writers = 0;
  /**
   * Batches written at once. SQLite has one writer anyway; PostgreSQL overlaps a few so a
   * batch does not wait for the previous one's round trips (same-id races resolve through
   * the primary key: the second insert waits for the first and becomes a duplicate).
   */
  private readonly maxWriters: number;
  constructor(private readonly o: PublisherOptions) {
    this.clock = o.clock ?? systemClock;
    this.maxWriters = o.store.dialect === 'postgres' ? 4 : 1;
  }

  private envelope(input: PublishInput, now: number): Envelope {
    return {
      id: input.id ?? newId('evt', this.clock),
      type: input.type,
      timestamp: new Date(now).toISOString(),
      org_id: this.o.orgId,
      env_id: this.o.envId,
      data: input.data ?? {},
    };
  }

  private deliveryRows(event: EventTable, endpointIds: string[], now: number): DeliveryTable[] {
    return endpointIds.map((endpoint_id) => ({
      id: newId('dlv', this.clock),
      event_id: event.id,
      endpoint_id,
      event_type: event.type,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_owner: null,
      created_at: now,
      updated_at: now,
      delivered_at: null,
      last_status_code: null,
      last_error: null,
    }));
  }

  /**
   * Publishes to every matching endpoint, or only to `onlyEndpointId` (test events).
   * Concurrent calls are grouped into one transaction (group commit): under load a batch
   * costs about what one event did, and each caller still learns only when its own event
   * is on disk. Pass a transaction's store as `within` to make the event part of that write.
   */
  publish(input: PublishInput, onlyEndpointId?: string, within?: Store): Promise<PublishResult> {
    if (within) return this.write([{ input, onlyEndpointId, resolve: () => {}, reject: () => {} }], within).then((r) => r[0]!);
    return new Promise((resolve, reject) => {
      this.queue.push({ input, onlyEndpointId, resolve, reject });
      if (!this.kickScheduled) {
        this.kickScheduled = true;
        // Wait one turn so that concurrent callers land in the same batch.
        setImmediate(() => {
          this.kickScheduled = false;
          this.kick();
        });
      }
    });
  }

  /** Starts batch writers while there is work and a free writer. */
  private kick(): void {
    while (this.queue.length && this.writers < this.maxWriters) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.writers++;
      void this.writeBatch(batch).finally(() => {
        this.writers--;
        this.kick();
      });
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      const results = await this.write(batch, this.o.store);
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One bad event must not fail its neighbours: retry them one by one.
      await Promise.all(batch.map((p) => this.write([p], this.o.store).then((r) => p.resolve(r[0]!), p.reject)));
    }
  }

  private async write(batch: Pending[], store: Store): Promise<PublishResult[]> {
    const now = this.clock.now();
    const envs = batch.map((p) => this.envelope(p.input, now));
    // The first occurrence of an id in the batch wins, as it would one call at a time.
    const first = new Map<string, number>();
    envs.forEach((e, i) => first.has(e.id) || first.set(e.id, i));
    const rows: EventTable[] = [...first.values()].map((i) => ({ id: envs[i]!.id, type: envs[i]!.type, created_at: now, payload: JSON.stringify(envs[i]) }));
    const results = await store.transaction(async (tx) => {
      const inserted = await tx.insertEvents(rows);
      const existing = new Map((await tx.getEvents(rows.filter((r) => !inserted.has(r.id)).map((r) => r.id))).map((e) => [e.id, JSON.parse(e.payload) as Envelope]));
      const fresh = rows.filter((r) => inserted.has(r.id));
      const broadcast = fresh.filter((r) => !batch[first.get(r.id)!]!.onlyEndpointId);
      const subs = broadcast.length ? await tx.matchSubscriptions([...new Set(broadcast.flatMap((r) => patternsMatching(r.type)))]) : [];
      const byPattern = new Map<string, string[]>();
      for (const s of subs) {
        const ids = byPattern.get(s.pattern);
        if (ids) ids.push(s.endpoint_id);
        else byPattern.set(s.pattern, [s.endpoint_id]);
      }
      const targets = new Map<string, string[]>();
      for (const r of fresh) {
        const only = batch[first.get(r.id)!]!.onlyEndpointId;
        targets.set(r.id, only ? [only] : [...new Set(patternsMatching(r.type).flatMap((p) => byPattern.get(p) ?? []))]);
      }
      await tx.insertDeliveries(fresh.flatMap((r) => this.deliveryRows(r, targets.get(r.id)!, now)));
      const onPublished = this.o.onPublished;
      if (onPublished && fresh.length) {
        const published = fresh.map((r) => envs[first.get(r.id)!]!);
        tx.afterCommit(() => onPublished(published));
      }
      return envs.map((env, i): PublishResult => {
        const own = first.get(env.id) === i && inserted.has(env.id);
        if (own) return { event: env, duplicate: false, deliveries: targets.get(env.id)!.length };
        return { event: existing.get(env.id) ?? envs[first.get(env.id)!]!, duplicate: true, deliveries: 0 };
      });
    });
    if (results.some((r) => r.deliveries)) this.o.onEnqueued?.();
    return results;
  }

  /**
   * Re-enqueues the events of [since, until) that `patterns` select, for one endpoint,
   * page by page (each page its own transaction, so a huge window never holds one lock).
   */
  async replay(endpointId: string, patterns: string[], since: number, until: number, onProgress?: (n: number) => void): Promise<number> {
    let afterId: string | undefined;
    let total = 0;
    for (;;) {
      const page = await this.o.store.listEventsInWindow({ since, until, limit: 1000, ...(afterId ? { afterId } : {}) });
      if (!page.length) break;
      afterId = page[page.length - 1]!.id;
      // webhook.test events were addressed to one endpoint; they are not part of any stream.
      const wanted = page.filter((e) => e.type !== 'webhook.test' && patternsMatching(e.type).some((p) => patterns.includes(p)));
      const now = this.clock.now();
      const rows = wanted.flatMap((e) => this.deliveryRows({ ...e, payload: '' }, [endpointId], now));
      if (rows.length) await this.o.store.transaction((tx) => tx.insertDeliveries(rows));
      total += rows.length;
      onProgress?.(total);
    }
    if (total) this.o.onEnqueued?.();
    return total;
  }
}
