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
}

/**
 * Turns an event into deliveries: the event row and one delivery per subscribed, enabled
 * endpoint are written in one transaction (the transactional outbox), so an accepted event
 * can never be lost between "stored" and "queued".
 */
export class Publisher {
  private readonly clock: Clock;
  constructor(private readonly o: PublisherOptions) {
    this.clock = o.clock ?? systemClock;
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
   * Publishes to every matching endpoint, or only to `onlyEndpointId` (test events). Pass a
   * transaction's store as `within` to make the event part of a larger write.
   */
  async publish(input: PublishInput, onlyEndpointId?: string, within: Store = this.o.store): Promise<PublishResult> {
    const now = this.clock.now();
    const env = this.envelope(input, now);
    const row: EventTable = { id: env.id, type: env.type, created_at: now, payload: JSON.stringify(env) };
    const result = await within.transaction(async (tx) => {
      if (!(await tx.insertEvent(row))) {
        const existing = await tx.getEvent(env.id);
        return { event: JSON.parse(existing!.payload) as Envelope, duplicate: true, deliveries: 0 };
      }
      const targets = onlyEndpointId ? [onlyEndpointId] : await tx.matchEndpoints(patternsMatching(env.type));
      await tx.insertDeliveries(this.deliveryRows(row, targets, now));
      return { event: env, duplicate: false, deliveries: targets.length };
    });
    if (result.deliveries) this.o.onEnqueued?.();
    return result;
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
