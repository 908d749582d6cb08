import type { DeliveryRecord, EventRecord, PublishBatchResult, PublishedType, Store } from '../store/index.js';
import { UserError } from '../errors/index.js';
import { type Clock, systemClock, newId, GroupCommit } from '../util/index.js';
import { newDelivery, applyLease, type DeliveryHandoff } from '../delivery/index.js';
import type { EnvelopeView, PublishedView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import { BUILTIN_EVENT_TYPES, patternsMatching } from './catalog.js';

export type Envelope = EnvelopeView;
export type PublishResult = PublishedView;

export interface PublishInput {
  /**
   * The org and environment the event belongs to: the envelope says so, and only that
   * environment's endpoints receive it. Absent only for the run events of runs/ until agents
   * carry their tenant (then required): those take the default tenant.
   */
  tenant: Tenant;
  type: string;
  data: unknown;
  /**
   * Caller's id; publishing the same id again in the same tenant returns the first event and
   * creates nothing. Ids are unique in the installation: one another tenant used is a `conflict`.
   */
  id?: string;
  /** The run an event announces: its deliveries then appear in the notification log. */
  run?: { run_id: string; agent_id: string };
}

export interface PublisherOptions {
  store: Store;
  clock?: Clock;
  /** Called after a commit that queued deliveries (not handed off), so this process's dispatcher looks at once. */
  onEnqueued?: () => void;
  /**
   * This process's dispatcher, if it runs one: group-committed publishes lease it the deliveries
   * it has room for in the same write, and it starts them once committed (no claim round trip).
   */
  handoff?: () => DeliveryHandoff | undefined;
  /** Called with new events once they are committed (also when written in a caller's transaction); must not throw. */
  onPublished?: (events: Envelope[]) => void;
}

/**
 * Turns an event into deliveries: the event row and one delivery per subscribed, enabled
 * endpoint are written in one atomic write (the transactional outbox), so an accepted event
 * can never be lost between "stored" and "queued".
 */
interface Pending {
  input: PublishInput;
  onlyEndpointId: string | undefined;
}

/** Most events written in one publish transaction. */
const MAX_BATCH = 500;
/** Event types this process remembers having recorded; past this the memory starts over (a type is then recorded again, harmlessly). */
const MAX_REMEMBERED_TYPES = 10_000;

export class Publisher {
  private readonly clock: Clock;
  /**
   * Batches are written a few at a time on PostgreSQL so a batch does not wait for the previous
   * one's round trips (same-id races resolve through the primary key: the second insert waits
   * for the first and becomes a duplicate); SQLite has one writer anyway.
   */
  private readonly batches: GroupCommit<Pending, PublishResult | UserError>;
  /** `env_id\ntype` of types already in the store's record of published types: only a new type costs a write. */
  private readonly recordedTypes = new Set<string>();
  constructor(private readonly options: PublisherOptions) {
    this.clock = options.clock ?? systemClock;
    this.batches = new GroupCommit({
      write: (batch) => this.write(batch, options.store, options.handoff?.()),
      maxBatch: MAX_BATCH,
      maxWriters: options.store.dialect === 'postgres' ? 4 : 1,
    });
  }

  private envelope(input: PublishInput, now: number): Envelope {
    const tenant = input.tenant;
    return {
      id: input.id ?? newId('evt', this.clock),
      type: input.type,
      timestamp: new Date(now).toISOString(),
      org_id: tenant.orgId,
      env_id: tenant.envId,
      data: input.data ?? {},
    };
  }

  private deliveryRows(event: EventRecord, endpointIds: string[], now: number, run?: PublishInput['run']): DeliveryRecord[] {
    return endpointIds.map((endpoint_id) =>
      newDelivery(
        this.clock,
        now,
        { env_id: event.env_id, event_id: event.id, endpoint_id, event_type: event.type },
        run ? { run_id: run.run_id, agent_id: run.agent_id, target: endpoint_id } : {},
      ),
    );
  }

  /**
   * Publishes to every matching endpoint, or only to `onlyEndpointId` (test events).
   * Concurrent calls are grouped into one transaction (group commit): under load a batch
   * costs about what one event did, and each caller still learns only when its own event
   * is on disk. Pass a transaction's store as `within` to make the event part of that write.
   */
  async publish(input: PublishInput, onlyEndpointId?: string, within?: Store): Promise<PublishResult> {
    const result = within ? (await this.write([{ input, onlyEndpointId }], within))[0]! : await this.batches.submit({ input, onlyEndpointId });
    if (result instanceof UserError) throw result;
    return result;
  }

  /**
   * Two round trips on PostgreSQL: read which endpoints subscribe, then one statement writes the
   * events, the deliveries of the new ones, their types and the wake-up (no transaction to open
   * and close). Inside a caller's transaction the statement is part of that write, and nothing is
   * handed off (that transaction may still roll back).
   */
  private async write(batch: Pending[], store: Store, handoff?: DeliveryHandoff): Promise<(PublishResult | UserError)[]> {
    const now = this.clock.now();
    const envs = batch.map((p) => this.envelope(p.input, now));
    // The first occurrence of an id in the batch wins, as it would one call at a time.
    const first = new Map<string, number>();
    envs.forEach((e, i) => first.has(e.id) || first.set(e.id, i));
    const rows: EventRecord[] = [...first.values()].map((i) => ({
      id: envs[i]!.id,
      env_id: envs[i]!.env_id,
      type: envs[i]!.type,
      created_at: now,
      payload: JSON.stringify(envs[i]),
    }));
    const pendingOf = (id: string) => batch[first.get(id)!]!;
    // Targets as if every event were new; the write drops the deliveries of duplicates.
    const broadcast = rows.filter((r) => !pendingOf(r.id).onlyEndpointId);
    // Only endpoints of an event's own environment receive it: (environment, pattern) pairs, one query for the batch.
    const subKey = (envId: string, pattern: string) => `${envId}\n${pattern}`;
    const wanted = new Map(
      broadcast.flatMap((r) => patternsMatching(r.type).map((pattern) => [subKey(r.env_id, pattern), { env_id: r.env_id, pattern }] as const)),
    );
    const subs = wanted.size ? await store.endpoints.matchSubscriptions([...wanted.values()]) : { pairs: [], endpoints: [] };
    const byPattern = new Map<string, string[]>();
    for (const sub of subs.pairs) {
      const key = subKey(sub.env_id, sub.pattern);
      const ids = byPattern.get(key);
      if (ids) ids.push(sub.endpoint_id);
      else byPattern.set(key, [sub.endpoint_id]);
    }
    const targets = new Map<string, string[]>();
    for (const r of rows) {
      const only = pendingOf(r.id).onlyEndpointId;
      targets.set(r.id, only ? [only] : [...new Set(patternsMatching(r.type).flatMap((p) => byPattern.get(subKey(r.env_id, p)) ?? []))]);
    }
    const deliveries = rows.flatMap((r) => this.deliveryRows(r, targets.get(r.id)!, now, pendingOf(r.id).input.run));
    const unrecorded: PublishedType[] = [
      ...new Map(rows.filter((r) => !this.typeRecorded(r)).map((r) => [subKey(r.env_id, r.type), { env_id: r.env_id, type: r.type }])).values(),
    ];
    const lease = deliveries.length ? handoff?.reserve(deliveries, now) : undefined;
    applyLease(deliveries, lease);
    let written: PublishBatchResult;
    try {
      written = await store.events.writePublishBatch({ events: rows, deliveries, types: unrecorded, now });
    } catch (err) {
      if (lease) handoff!.cancel(lease);
      throw err;
    }
    const { inserted, existing: stored } = written;
    const fresh = rows.filter((r) => inserted.has(r.id));
    // Committed (this is never a caller's transaction when there is a lease): the dispatcher's now.
    const storedDeliveries = deliveries.filter((d) => inserted.has(d.event_id));
    const handed = lease ? storedDeliveries.filter((d) => lease.ids.has(d.id)) : [];
    if (lease) handoff!.accept(lease, handed, { events: fresh, endpoints: subs.endpoints });
    const existing = new Map(stored.map((e) => [e.id, e]));
    // A duplicate committed by another writer during the statement was outside its snapshot: read it now.
    const unseen = rows.filter((r) => !inserted.has(r.id) && !existing.has(r.id)).map((r) => r.id);
    for (const e of await store.events.getMany(unseen)) existing.set(e.id, e);
    this.rememberTypes(
      store,
      unrecorded.filter((t) => fresh.some((r) => r.env_id === t.env_id && r.type === t.type)),
    );
    const onPublished = this.options.onPublished;
    if (onPublished && fresh.length) {
      const published = fresh.map((r) => envs[first.get(r.id)!]!);
      store.afterCommit(() => onPublished(published));
    }
    const results = envs.map((env, i): PublishResult | UserError => {
      const own = first.get(env.id) === i && inserted.has(env.id);
      if (own) return { event: env, duplicate: false, deliveries: targets.get(env.id)!.length };
      // The stored event (or the batch's first with this id). Another tenant's is neither shown nor returned: its id is simply taken.
      const row = existing.get(env.id);
      const event = row ? (JSON.parse(row.payload) as Envelope) : envs[first.get(env.id)!]!;
      if ((row?.env_id ?? event.env_id) !== env.env_id)
        return new UserError('conflict', `event id ${env.id} is already used; event ids are unique in the installation, pick another (or leave id out)`);
      return { event, duplicate: true, deliveries: 0 };
    });
    if (storedDeliveries.length > handed.length) store.afterCommit(() => (handoff ? handoff.queued() : this.options.onEnqueued?.()));
    return results;
  }

  /** Built-in types are never recorded (every environment knows them); others once per environment. */
  private typeRecorded(t: { env_id: string; type: string }): boolean {
    return Object.hasOwn(BUILTIN_EVENT_TYPES, t.type) || this.recordedTypes.has(`${t.env_id}\n${t.type}`);
  }

  /** Remembers types noted by this write, once it is committed. */
  private rememberTypes(store: Store, noted: PublishedType[]): void {
    if (!noted.length) return;
    store.afterCommit(() => {
      if (this.recordedTypes.size + noted.length > MAX_REMEMBERED_TYPES) this.recordedTypes.clear();
      for (const t of noted) this.recordedTypes.add(`${t.env_id}\n${t.type}`);
    });
  }

  /**
   * Re-enqueues the events of [since, until) that `patterns` select, for one endpoint, from its
   * tenant's events only, page by page (each page its own transaction, so a huge window never
   * holds one lock).
   */
  async replay(endpoint: { id: string; env_id: string }, patterns: string[], since: number, until: number, onProgress?: (n: number) => void): Promise<number> {
    let afterId: string | undefined;
    let total = 0;
    for (;;) {
      const page = await this.options.store.events.listInWindow(endpoint.env_id, { since, until, limit: 1000, ...(afterId ? { afterId } : {}) });
      if (!page.length) break;
      afterId = page[page.length - 1]!.id;
      // webhook.test events were addressed to one endpoint; they are not part of any stream.
      const wanted = page.filter((e) => e.type !== 'webhook.test' && patternsMatching(e.type).some((p) => patterns.includes(p)));
      const now = this.clock.now();
      const rows = wanted.flatMap((e) => this.deliveryRows({ ...e, payload: '' }, [endpoint.id], now));
      if (rows.length) await this.options.store.transaction((tx) => tx.deliveries.insert(rows));
      total += rows.length;
      onProgress?.(total);
    }
    if (total) this.options.onEnqueued?.();
    return total;
  }
}
