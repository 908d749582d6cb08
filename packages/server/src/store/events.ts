import { type Kysely, sql } from 'kysely';
import { atomically } from './atomic.js';
import { type EnvSelection, envsOf } from './env-selection.js';
import { DeliveryRecords } from './deliveries.js';
import type { DialectOps } from './dialect.js';
import { EventTypeRecords } from './event-types.js';
import { type PublishBatch, type PublishBatchResult, writePublishBatchPostgres } from './publish-batch.js';
import type { Database } from './schema.js';
import type { EventRecord } from './values.js';

/** SQL for published events. Reached as `store.events`, so it joins the caller's transaction. */
export class EventRecords {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
  ) {}

  /** Inserts the events whose ids are new; returns the ids that were inserted. */
  async insert(rows: EventRecord[]): Promise<Set<string>> {
    if (this.ops.prepared) return this.ops.prepared.insertEvents(this.db, rows);
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += 500) {
      const r = await this.db
        .insertInto('events')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      for (const { id } of r) inserted.add(id);
    }
    return inserted;
  }

  /**
   * Writes a publish batch: the events whose ids are new, their deliveries and types, and the
   * wake-up. One statement on PostgreSQL (no transaction round trips); one transaction on SQLite.
   */
  async writePublishBatch(b: PublishBatch): Promise<PublishBatchResult> {
    if (this.ops.name === 'postgres') return writePublishBatchPostgres(this.db, b);
    return atomically(this.db, async (db) => {
      const events = new EventRecords(db, this.ops);
      const inserted = await events.insert(b.events);
      const existing = await events.getMany(b.events.filter((e) => !inserted.has(e.id)).map((e) => e.id));
      await new DeliveryRecords(db, this.ops).insert(b.deliveries.filter((d) => inserted.has(d.event_id)));
      const types = new Set(b.events.filter((e) => inserted.has(e.id)).map((e) => `${e.env_id}\n${e.type}`));
      await new EventTypeRecords(db).record(
        b.types.filter((t) => types.has(`${t.env_id}\n${t.type}`)),
        b.now,
      );
      return { inserted, existing };
    });
  }

  /** An event of the tenant `envId`. */
  get(envId: string, id: string): Promise<EventRecord | undefined> {
    return this.db.selectFrom('events').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
  }
  /** Of every tenant: the delivery engine's read of what it sends, and the publisher's of ids already taken. */
  getMany(ids: string[]): Promise<EventRecord[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('events').selectAll().where('id', 'in', ids).execute();
  }
  /** The tenant's events in [since, until), by id, keyset-paginated. */
  listInWindow(
    envId: string,
    a: { since: number; until: number; afterId?: string; limit: number },
  ): Promise<Pick<EventRecord, 'id' | 'env_id' | 'type' | 'created_at'>[]> {
    let q = this.db
      .selectFrom('events')
      .select(['id', 'env_id', 'type', 'created_at'])
      .where('env_id', '=', envId)
      .where('created_at', '>=', a.since)
      .where('created_at', '<', a.until);
    if (a.afterId) q = q.where('id', '>', a.afterId);
    return q.orderBy('id').limit(a.limit).execute();
  }

  /**
   * Deletes up to `limit` events created before `before` that have no pending delivery,
   * with their deliveries and attempts. Returns how many events went.
   */
  async prune(before: number, limit: number, envs?: EnvSelection): Promise<number> {
    return atomically(this.db, async (db) => {
      let query = db.selectFrom('events as e').select('e.id').where('e.created_at', '<', before);
      if (envs) query = query.where(sql.ref('e.env_id'), 'only' in envs ? 'in' : 'not in', envsOf(envs));
      const rows = await query
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id').where('d.status', '=', 'pending'))),
        )
        .limit(limit)
        .execute();
      const ids = rows.map((r) => r.id);
      if (!ids.length) return 0;
      const deliveries = db.selectFrom('deliveries').select('id').where('event_id', 'in', ids);
      await db.deleteFrom('attempts').where('delivery_id', 'in', deliveries).execute();
      await db.deleteFrom('deliveries').where('event_id', 'in', ids).execute();
      await db.deleteFrom('events').where('id', 'in', ids).execute();
      return ids.length;
    });
  }
}
