import { type Kysely, type Transaction, sql } from 'kysely';
import type { DialectOps, StreamListening } from './dialect.js';
import { AgentRecords } from './agents.js';
import { DeliveryRecords } from './deliveries.js';
import { type DeliveryEngineStore, EngineRecords } from './engine.js';
import { EndpointRecords } from './endpoints.js';
import { EventRecords } from './events.js';
import { KeyRecords } from './keys.js';
import { TenantRecords } from './tenants.js';
import { TriggerRecords } from './triggers.js';
import { ScheduleRecords } from './schedules.js';
import { PostActionRecords } from './post-actions.js';
import { NotificationRecords } from './notifications.js';
import { InspectorRecords } from './inspector.js';
import { StatsRecords } from './stats.js';
import { EventTypeRecords } from './event-types.js';
import { PortalSessionRecords } from './portal-sessions.js';
import { migrate, type MigrationProgress } from './migrator.js';
import type { Database } from './schema.js';

export interface Page {
  limit: number;
  offset: number;
}

/**
 * The way in to all SQL: one record group per kind of record (`store.endpoints`, `store.agents`…,
 * each in its own file), each joining this store's transaction. The Store itself keeps the
 * lifecycle: transactions, announcements after commit, migrations, the live stream's
 * NOTIFY/LISTEN, closing. The domain rules (which endpoints match, what a result means) live
 * in events/ and delivery/.
 */
export class Store {
  /** Callbacks to run once this store's transaction has committed; undefined outside one. */
  private onCommit: (() => void)[] | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
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

  /**
   * The delivery engine's port (claims, renewals, hand-backs, results, wake-ups, retention) over
   * this store's connections. `onEndpointDisabled` is written in the transaction that disables an
   * endpoint, so the `endpoint.disabled` event commits with the disable or not at all.
   */
  deliveryEngine(onEndpointDisabled?: (tx: Store, endpoint: { id: string; env_id: string }, reason: string) => Promise<void>): DeliveryEngineStore {
    return new EngineRecords(this.db, this.ops, (id, reason, now) =>
      this.transaction(async (tx) => {
        const envId = await tx.endpoints.disable(id, reason, now);
        if (envId === undefined) return false; // another worker won
        await onEndpointDisabled?.(tx, { id, env_id: envId }, reason);
        return true;
      }),
    );
  }

  /** Orgs and environments, in this store's transaction. */
  get tenants(): TenantRecords {
    return new TenantRecords(this.db, this.dialect);
  }

  /** API keys, in this store's transaction. */
  get keys(): KeyRecords {
    return new KeyRecords(this.db, this.ops);
  }

  /** Endpoints and their subscriptions, in this store's transaction. */
  get endpoints(): EndpointRecords {
    return new EndpointRecords(this.db, this.ops);
  }

  /** Published events, in this store's transaction. */
  get events(): EventRecords {
    return new EventRecords(this.db, this.ops);
  }

  /** Deliveries and their attempts, in this store's transaction. */
  get deliveries(): DeliveryRecords {
    return new DeliveryRecords(this.db, this.ops);
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

  /** Portal sessions ended by a logout, in this store's transaction. */
  get portalSessions(): PortalSessionRecords {
    return new PortalSessionRecords(this.db);
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
}
