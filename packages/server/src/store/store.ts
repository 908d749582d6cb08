import { type Kysely, type Transaction, sql } from 'kysely';
import type { DeliveryUpdate, DialectOps, ClaimArgs, KeyWatch, StreamListening } from './dialect.js';
import { AgentRecords } from './agents.js';
import { TriggerRecords } from './triggers.js';
import { ScheduleRecords } from './schedules.js';
import { PostActionRecords } from './post-actions.js';
import { NotificationRecords } from './notifications.js';
import { InspectorRecords } from './inspector.js';
import { StatsRecords } from './stats.js';
import { EventTypeRecords } from './event-types.js';
import { migrate, type MigrationProgress } from './migrator.js';
import { type PublishBatch, type PublishBatchResult, writePublishBatchPostgres } from './publish-batch.js';
import { recordResultsPostgres } from './record-results-postgres.js';
import { preparedAs } from './prepared-postgres.js';
import type { ApiKeyTable, AttemptTable, Database, DeliveryChannel, DeliveryStatus, DeliveryTable, EndpointTable, EventTable } from './schema.js';

export interface Page {
  limit: number;
  offset: number;
}

export interface DeliveryFilter extends Page {
  endpointId?: string;
  /** @defaultValue all channels */
  channel?: DeliveryChannel;
  status?: DeliveryStatus;
  eventType?: string;
}

/** How an endpoint's failure streak moves after a batch: reset by a success, then `failures` more. */
export interface EndpointHealthChange {
  endpointId: string;
  reset: boolean;
  failures: number;
}

export interface ResultBatch {
  attempts: AttemptTable[];
  updates: DeliveryUpdate[];
  health: EndpointHealthChange[];
  /** Tell the other processes that a retry in this batch is due at this time (with the commit). */
  announceDueAt?: number;
}

/**
 * All SQL lives here. Methods are small and named for what the caller needs; the domain
 * rules (which endpoints match, what a result means) live in events/ and delivery/.
 */
export class Store {
  /** Callbacks to run once this store's transaction has committed; undefined outside one. */
  private onCommit: (() => void)[] | undefined;

  constructor(
    readonly db: Kysely<Database>,
    readonly ops: DialectOps,
    private readonly onClose: () => Promise<void> = async () => {},
    /** The delivery engine's connections (PostgreSQL: a pool of its own); the same as `db` on SQLite. */
    private readonly engineDb: Kysely<Database> = db,
  ) {}

  /**
   * The store the delivery engine works through (claims, renewals, hand-backs, results). On
   * PostgreSQL it has a small pool of its own, so API requests and publishes queuing for
   * connections never hold up the dispatcher; elsewhere it is this store.
   */
  get engine(): Store {
    return this.engineDb === this.db ? this : new Store(this.engineDb, this.ops);
  }

  /** Crews, agents and runs, in this store's transaction. */
  get agents(): AgentRecords {
    return new AgentRecords(this.db, this.ops.prepared);
  }

  /** Named webhook triggers, in this store's transaction. */
  get triggers(): TriggerRecords {
    return new TriggerRecords(this.db);
  }

  /** Cron schedules, in this store's transaction. */
  get schedules(): ScheduleRecords {
    return new ScheduleRecords(this.db);
  }

  /** Post-actions and their bindings, in this store's transaction. */
  get postActions(): PostActionRecords {
    return new PostActionRecords(this.db);
  }

  /** The notification log (run-caused deliveries of every channel), in this store's transaction. */
  get notifications(): NotificationRecords {
    return new NotificationRecords(this.db);
  }

  /** The Inspector's request bins and their captures, in this store's transaction. */
  get inspector(): InspectorRecords {
    return new InspectorRecords(this.db);
  }

  /** The event types published so far, in this store's transaction. */
  get eventTypes(): EventTypeRecords {
    return new EventTypeRecords(this.db);
  }

  /** The overview's aggregate numbers, in this store's transaction. */
  get stats(): StatsRecords {
    return new StatsRecords(this.db, this.dialect);
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.ops.name;
  }

  /** Runs `fn` in one transaction; everything it writes commits or nothing does. */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    const committed: (() => void)[] = [];
    const result = await this.db.transaction().execute((trx: Transaction<Database>) => {
      const tx = new Store(trx, this.ops);
      tx.onCommit = committed;
      return fn(tx);
    });
    for (const f of committed) {
      try {
        f();
      } catch {
        // An announcement failing must not turn a committed write into an error.
      }
    }
    return result;
  }

  /**
   * Runs `fn` once what this store wrote is committed: after the transaction, or at once
   * outside one; never when it rolls back. For announcing writes (the live stream).
   */
  afterCommit(fn: () => void): void {
    if (this.onCommit) this.onCommit.push(fn);
    else fn();
  }

  /** Live-stream payloads to the other processes on this database (a no-op on SQLite). */
  async notifyStream(payloads: string[]): Promise<void> {
    if (payloads.length) await this.ops.notifyStream(this.db, payloads);
  }

  /** The other processes' live-stream payloads, and this process's announcement that it has subscribers. */
  listenStream(onPayload: (payload: string) => void): Promise<StreamListening> {
    return this.ops.listenStream(onPayload);
  }

  /** Whether another process has announced live-stream subscribers (always false on SQLite). */
  streamHasListeners(): Promise<boolean> {
    return this.ops.streamHasListeners(this.db);
  }

  async migrate(onProgress?: MigrationProgress): Promise<string[]> {
    return migrate(this.db, this.dialect, onProgress);
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.ops.destroy();
    await this.db.destroy();
    if (this.engineDb !== this.db) await this.engineDb.destroy();
    await this.onClose();
  }

  // --- API keys -----------------------------------------------------------------------

  async insertApiKey(row: ApiKeyTable): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }
  findApiKeyByHash(hash: string): Promise<ApiKeyTable | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
  }
  getApiKey(id: string): Promise<ApiKeyTable | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }
  listApiKeys(): Promise<ApiKeyTable[]> {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
  }
  /** Revokes a live key; returns once no process's cache of keys still holds it. */
  revokeApiKey(id: string, now: number): Promise<boolean> {
    return this.ops.changeKeys(this.db, async (db) => {
      const r = await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }
  /** Watches for key changes other connections commit (see ApiKeys' cache); `onChange` when one is heard of. */
  watchKeys(onChange: () => void): Promise<KeyWatch> {
    return this.ops.watchKeys(onChange);
  }
  async touchApiKey(id: string, now: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
  }
  async countApiKeys(): Promise<number> {
    const r = await this.db.selectFrom('api_keys').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // --- Endpoints ----------------------------------------------------------------------

  async insertEndpoint(row: EndpointTable, patterns: string[]): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.db.insertInto('endpoints').values(row).execute();
      await tx.replaceSubscriptions(row.id, patterns);
    });
  }

  async updateEndpoint(id: string, patch: Partial<EndpointTable>, patterns?: string[]): Promise<EndpointTable | undefined> {
    return this.transaction(async (tx) => {
      const r = await tx.db.updateTable('endpoints').set(patch).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return undefined;
      if (patterns) await tx.replaceSubscriptions(id, patterns);
      return tx.getEndpoint(id);
    });
  }

  private async replaceSubscriptions(endpointId: string, patterns: string[]): Promise<void> {
    await this.db.deleteFrom('endpoint_subscriptions').where('endpoint_id', '=', endpointId).execute();
    const unique = [...new Set(patterns)];
    if (unique.length) await this.db.insertInto('endpoint_subscriptions').values(unique.map((pattern) => ({ endpoint_id: endpointId, pattern }))).execute();
  }

  getEndpoint(id: string): Promise<EndpointTable | undefined> {
    return this.db.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  }
  getEndpoints(ids: string[]): Promise<EndpointTable[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('endpoints').selectAll().where('id', 'in', ids).execute();
  }
  async listEndpoints(page: Page): Promise<{ rows: EndpointTable[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.db.selectFrom('endpoints').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      this.db.selectFrom('endpoints').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }
  async deleteEndpoint(id: string, now: number): Promise<boolean> {
    return this.transaction(async (tx) => {
      // Its queued work goes with it; the delivery log of what was sent stays.
      await tx.db.updateTable('deliveries').set({ status: 'failed', last_error: 'endpoint_deleted', lease_owner: null, updated_at: now }).where('endpoint_id', '=', id).where('status', '=', 'pending').execute();
      const r = await tx.db.deleteFrom('endpoints').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /**
   * (endpoint, pattern) pairs of enabled endpoints whose pattern is one of `patterns`, and those
   * endpoints' rows (read in the same query, so whoever sends to them need not read them again).
   */
  async matchSubscriptions(patterns: string[]): Promise<{ pairs: { endpoint_id: string; pattern: string }[]; endpoints: EndpointTable[] }> {
    // Every publish reads this; on PostgreSQL as one prepared statement (an array, so its text never changes).
    const rows: (EndpointTable & { pattern: string })[] = this.dialect === 'postgres'
      ? (await sql<EndpointTable & { pattern: string }>`${preparedAs('match_subscriptions')}
          SELECT e.*, s.pattern FROM endpoint_subscriptions s JOIN endpoints e ON e.id = s.endpoint_id
          WHERE e.enabled = 1 AND s.pattern = ANY(${patterns}::text[])`.execute(this.db)).rows
      : await this.db
        .selectFrom('endpoint_subscriptions as s')
        .innerJoin('endpoints as e', 'e.id', 's.endpoint_id')
        .selectAll('e')
        .select('s.pattern')
        .where('e.enabled', '=', 1)
        .where('s.pattern', 'in', patterns)
        .execute();
    const endpoints = new Map<string, EndpointTable>();
    const pairs = rows.map(({ pattern, ...endpoint }) => {
      endpoints.set(endpoint.id, endpoint);
      return { endpoint_id: endpoint.id, pattern };
    });
    return { pairs, endpoints: [...endpoints.values()] };
  }

  /**
   * Moves failure streaks; returns the streaks after the change of the endpoints it wrote or read.
   * A success on an endpoint whose streak is already 0 writes nothing: one unlocked read of
   * those endpoints' streaks replaces an UPDATE per endpoint per batch. A failure racing that
   * read lands after the success, which is an order the two could have had anyway.
   */
  async applyHealth(changes: EndpointHealthChange[]): Promise<{ id: string; consecutive_failures: number; enabled: number }[]> {
    const out: { id: string; consecutive_failures: number; enabled: number }[] = [];
    const moving = changes.filter((c) => !c.reset || c.failures > 0);
    const successes = changes.filter((c) => c.reset && c.failures === 0).map((c) => c.endpointId);
    for (let i = 0; i < successes.length; i += 500) {
      const rows = await this.db.selectFrom('endpoints').select(['id', 'consecutive_failures', 'enabled']).where('id', 'in', successes.slice(i, i + 500)).execute();
      for (const row of rows) {
        if (Number(row.consecutive_failures) === 0) out.push(row);
        else moving.push({ endpointId: row.id, reset: true, failures: 0 });
      }
    }
    // In id order, so two workers writing results for the same endpoints lock them in the same order (no deadlock).
    for (const c of moving.sort((a, b) => (a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0))) {
      const next = c.reset ? sql<number>`${c.failures}` : sql<number>`consecutive_failures + ${c.failures}`;
      const row = await this.db
        .updateTable('endpoints')
        .set({ consecutive_failures: next })
        .where('id', '=', c.endpointId)
        .returning(['id', 'consecutive_failures', 'enabled'])
        .executeTakeFirst();
      if (row) out.push(row);
    }
    return out;
  }

  /** Disables an enabled endpoint; false when it was already disabled (another worker won). */
  async disableEndpoint(id: string, reason: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('endpoints')
      .set({ enabled: 0, disabled_reason: reason, disabled_at: now, updated_at: now })
      .where('id', '=', id)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  // --- Events -------------------------------------------------------------------------

  /** Inserts the events whose ids are new; returns the ids that were inserted. */
  async insertEvents(rows: EventTable[]): Promise<Set<string>> {
    if (this.ops.prepared) return this.ops.prepared.insertEvents(this.db, rows);
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += 500) {
      const r = await this.db.insertInto('events').values(rows.slice(i, i + 500)).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();
      for (const { id } of r) inserted.add(id);
    }
    return inserted;
  }

  /**
   * Writes a publish batch: the events whose ids are new, their deliveries and types, and the
   * wake-up. One statement on PostgreSQL (no transaction round trips); one transaction on SQLite.
   */
  async writePublishBatch(b: PublishBatch): Promise<PublishBatchResult> {
    if (this.dialect === 'postgres') return writePublishBatchPostgres(this.db, b);
    return this.transaction(async (tx) => {
      const inserted = await tx.insertEvents(b.events);
      const existing = await tx.getEvents(b.events.filter((e) => !inserted.has(e.id)).map((e) => e.id));
      await tx.insertDeliveries(b.deliveries.filter((d) => inserted.has(d.event_id)));
      const types = new Set(b.events.filter((e) => inserted.has(e.id)).map((e) => e.type));
      await tx.eventTypes.record(b.types.filter((t) => types.has(t)), b.now);
      return { inserted, existing };
    });
  }

  getEvent(id: string): Promise<EventTable | undefined> {
    return this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  }
  getEvents(ids: string[]): Promise<EventTable[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('events').selectAll().where('id', 'in', ids).execute();
  }
  /** Events in [since, until) whose type is one of `types` or matches a prefix, oldest first, keyset-paginated. */
  listEventsInWindow(a: { since: number; until: number; afterId?: string; limit: number }): Promise<Pick<EventTable, 'id' | 'type' | 'created_at'>[]> {
    let q = this.db
      .selectFrom('events')
      .select(['id', 'type', 'created_at'])
      .where('created_at', '>=', a.since)
      .where('created_at', '<', a.until);
    if (a.afterId) q = q.where('id', '>', a.afterId);
    return q.orderBy('id').limit(a.limit).execute();
  }

  // --- Deliveries ---------------------------------------------------------------------

  async insertDeliveries(rows: DeliveryTable[]): Promise<void> {
    if (this.ops.prepared) await this.ops.prepared.insertDeliveries(this.db, rows);
    // Chunked to stay under the bound-parameter limit on large fan-outs.
    else for (let i = 0; i < rows.length; i += 500) await this.db.insertInto('deliveries').values(rows.slice(i, i + 500)).execute();
    if (rows.length) await this.ops.notifyDue(this.db);
  }

  claimDue(a: ClaimArgs): Promise<DeliveryTable[]> {
    return this.ops.claim(this.db, a);
  }

  /** Gives claimed rows back without an attempt (e.g. their endpoint is at its concurrency cap). */
  async releaseClaims(ids: string[], owner: string, nextAttemptAt: number): Promise<void> {
    if (!ids.length) return;
    await this.db.updateTable('deliveries').set({ next_attempt_at: nextAttemptAt, lease_owner: null }).where('id', 'in', ids).where('lease_owner', '=', owner).execute();
  }

  /**
   * Pushes out the leases of rows a worker still holds (each under the claim that holds it), so
   * a request that outlives one lease is not claimed and sent again beside itself. Rows already
   * written or handed back (lease_owner cleared) are left alone.
   */
  async renewClaims(claims: { id: string; owner: string }[], leaseUntil: number): Promise<void> {
    for (let i = 0; i < claims.length; i += 400) {
      const chunk = claims.slice(i, i + 400);
      const owners = [...new Set(chunk.map((c) => c.owner))];
      // On PostgreSQL, rows locked right now are skipped: the lock is a result being written
      // (which ends the lease anyway). Waiting for it instead locked rows in another order than
      // the result write and deadlocked it, which lost the whole batch of results under load.
      const held = this.db.selectFrom('deliveries').select('id').where('id', 'in', chunk.map((c) => c.id)).where('lease_owner', 'in', owners);
      await this.db
        .updateTable('deliveries')
        .set({ next_attempt_at: leaseUntil })
        .where('id', 'in', this.dialect === 'postgres' ? held.forUpdate().skipLocked() : held)
        .execute();
    }
  }

  /**
   * Writes a batch of attempt results at once (group commit): one statement on PostgreSQL, one
   * transaction on SQLite. Returns the failure streaks of the endpoints it moved or read.
   */
  async recordResults(batch: ResultBatch): Promise<{ id: string; consecutive_failures: number; enabled: number }[]> {
    if (this.dialect === 'postgres') return recordResultsPostgres(this.db, batch);
    // SQLite: its prepared statements. One process owns the file, so no retry is announced.
    const sqlite = this.ops.prepared!;
    return this.transaction(async (tx) => {
      await sqlite.insertAttempts(tx.db, batch.attempts);
      await sqlite.applyDeliveryUpdates(tx.db, batch.updates);
      return tx.applyHealth(batch.health);
    });
  }

  /**
   * The earliest time after `now` at which a pending delivery becomes due (a retry, a row
   * handed back, a lease running out); undefined when none is. One step down the due index.
   */
  async nextDueAfter(now: number): Promise<number | undefined> {
    // SQLite without statistics picks the status index and reads every pending row; the due index is one step.
    const from = this.dialect === 'sqlite' ? sql`deliveries INDEXED BY deliveries_due` : sql`deliveries`;
    const r = await sql<{ at: number | null }>`SELECT min(next_attempt_at) AS at FROM ${from} WHERE status = 'pending' AND next_attempt_at > ${now}`.execute(this.db);
    const at = r.rows[0]?.at;
    return at == null ? undefined : Number(at);
  }

  getDelivery(id: string): Promise<DeliveryTable | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listDeliveries(f: DeliveryFilter): Promise<{ rows: DeliveryTable[]; total: number }> {
    let q = this.db.selectFrom('deliveries');
    if (f.endpointId) q = q.where('endpoint_id', '=', f.endpointId);
    if (f.channel) q = q.where('channel', '=', f.channel);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.eventType) q = q.where('event_type', '=', f.eventType);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }

  listAttempts(deliveryId: string): Promise<AttemptTable[]> {
    return this.db.selectFrom('attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
  }

  /** Manual retry: due now, whatever its state; a worker still holding it loses its lease. */
  async requeueDelivery(id: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ status: 'pending', next_attempt_at: now, lease_owner: null, updated_at: now, delivered_at: null })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) await this.ops.notifyDue(this.db);
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes up to `limit` attempts that started before `before`; returns how many. */
  async pruneAttempts(before: number, limit: number): Promise<number> {
    const ids = await this.db.selectFrom('attempts').select('id').where('started_at', '<', before).limit(limit).execute();
    if (!ids.length) return 0;
    await this.db.deleteFrom('attempts').where('id', 'in', ids.map((r) => r.id)).execute();
    return ids.length;
  }

  /**
   * Deletes up to `limit` events created before `before` that have no pending delivery,
   * with their deliveries and attempts. Returns how many events went.
   */
  async pruneEvents(before: number, limit: number): Promise<number> {
    return this.transaction(async (tx) => {
      const rows = await tx.db
        .selectFrom('events as e')
        .select('e.id')
        .where('e.created_at', '<', before)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id').where('d.status', '=', 'pending'))))
        .limit(limit)
        .execute();
      const ids = rows.map((r) => r.id);
      if (!ids.length) return 0;
      const deliveries = tx.db.selectFrom('deliveries').select('id').where('event_id', 'in', ids);
      await tx.db.deleteFrom('attempts').where('delivery_id', 'in', deliveries).execute();
      await tx.db.deleteFrom('deliveries').where('event_id', 'in', ids).execute();
      await tx.db.deleteFrom('events').where('id', 'in', ids).execute();
      return ids.length;
    });
  }

  async countPending(): Promise<number> {
    const r = await this.db.selectFrom('deliveries').select((e) => e.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
