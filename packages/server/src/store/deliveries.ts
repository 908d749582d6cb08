import { type Kysely, sql } from 'kysely';
import { atomically } from './atomic.js';
import { type EnvSelection, envsOf } from './env-selection.js';
import type { ClaimArgs, DeliveryUpdate, DialectOps, DueListener } from './dialect.js';
import { type EndpointHealthChange, EndpointRecords, type EndpointStreak } from './endpoints.js';
import { recordResultsPostgres } from './record-results-postgres.js';
import type { Database } from './schema.js';
import type { Page } from './store.js';
import type { AttemptRecord, DeliveryChannel, DeliveryRecord, DeliveryStatus } from './values.js';

export interface DeliveryFilter extends Page {
  endpointId?: string;
  /** @defaultValue all channels */
  channel?: DeliveryChannel;
  status?: DeliveryStatus;
  eventType?: string;
}

export interface ResultBatch {
  attempts: AttemptRecord[];
  updates: DeliveryUpdate[];
  health: EndpointHealthChange[];
  /** Tell the other processes that a retry in this batch is due at this time (with the commit). */
  announceDueAt?: number;
}

/**
 * SQL for deliveries and their attempts: the queue the delivery engine claims from, and its log.
 * Reached as `store.deliveries`, so it joins the caller's transaction.
 */
export class DeliveryRecords {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
  ) {}

  async insert(rows: DeliveryRecord[]): Promise<void> {
    if (this.ops.prepared) await this.ops.prepared.insertDeliveries(this.db, rows);
    // Chunked to stay under the bound-parameter limit on large fan-outs.
    else
      for (let i = 0; i < rows.length; i += 500)
        await this.db
          .insertInto('deliveries')
          .values(rows.slice(i, i + 500))
          .execute();
    if (rows.length) await this.ops.notifyDue(this.db);
  }

  claimDue(a: ClaimArgs): Promise<DeliveryRecord[]> {
    return this.ops.claim(this.db, a);
  }

  /** Gives claimed rows back without an attempt (e.g. their endpoint is at its concurrency cap). */
  async releaseClaims(ids: string[], owner: string, nextAttemptAt: number): Promise<void> {
    if (!ids.length) return;
    await this.db
      .updateTable('deliveries')
      .set({ next_attempt_at: nextAttemptAt, lease_owner: null })
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .execute();
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
      const held = this.db
        .selectFrom('deliveries')
        .select('id')
        .where(
          'id',
          'in',
          chunk.map((c) => c.id),
        )
        .where('lease_owner', 'in', owners);
      await this.db
        .updateTable('deliveries')
        .set({ next_attempt_at: leaseUntil })
        .where('id', 'in', this.ops.name === 'postgres' ? held.forUpdate().skipLocked() : held)
        .execute();
    }
  }

  /**
   * Writes a batch of attempt results at once (group commit): one statement on PostgreSQL, one
   * transaction on SQLite. Returns the failure streaks of the endpoints it moved or read.
   */
  async recordResults(batch: ResultBatch): Promise<EndpointStreak[]> {
    if (this.ops.name === 'postgres') return recordResultsPostgres(this.db, batch);
    // SQLite: its prepared statements. One process owns the file, so no retry is announced.
    const sqlite = this.ops.prepared!;
    return atomically(this.db, async (db) => {
      await sqlite.insertAttempts(db, batch.attempts);
      await sqlite.applyDeliveryUpdates(db, batch.updates);
      return new EndpointRecords(db, this.ops).applyHealth(batch.health);
    });
  }

  /**
   * The earliest time after `now` at which a pending delivery becomes due (a retry, a row
   * handed back, a lease running out); undefined when none is. One step down the due index.
   */
  async nextDueAfter(now: number): Promise<number | undefined> {
    // SQLite without statistics picks the status index and reads every pending row; the due index is one step.
    const from = this.ops.name === 'sqlite' ? sql`deliveries INDEXED BY deliveries_due` : sql`deliveries`;
    const r = await sql<{ at: number | null }>`SELECT min(next_attempt_at) AS at FROM ${from} WHERE status = 'pending' AND next_attempt_at > ${now}`.execute(
      this.db,
    );
    const at = r.rows[0]?.at;
    return at == null ? undefined : Number(at);
  }

  /** Other processes' wake-ups (deliveries due now or later); returns an unsubscribe function. */
  listenDue(listener: DueListener): Promise<() => Promise<void>> {
    return this.ops.listenDue(listener);
  }

  /** A delivery of the tenant `envId`. */
  get(envId: string, id: string): Promise<DeliveryRecord | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
  }

  async list(envId: string, f: DeliveryFilter): Promise<{ rows: DeliveryRecord[]; total: number }> {
    let q = this.db.selectFrom('deliveries').where('env_id', '=', envId);
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

  /** The attempts of a delivery of the tenant `envId`. */
  listAttempts(envId: string, deliveryId: string): Promise<AttemptRecord[]> {
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .where('delivery_id', 'in', this.db.selectFrom('deliveries').select('id').where('env_id', '=', envId).where('id', '=', deliveryId))
      .orderBy('attempt')
      .execute();
  }

  /** Manual retry of a delivery of the tenant `envId`: due now, whatever its state; a worker still holding it loses its lease. */
  async requeue(envId: string, id: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ status: 'pending', next_attempt_at: now, lease_owner: null, updated_at: now, delivered_at: null })
      .where('env_id', '=', envId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) await this.ops.notifyDue(this.db);
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes up to `limit` attempts that started before `before` (of the environments `envs` picks); returns how many. */
  async pruneAttempts(before: number, limit: number, envs?: EnvSelection): Promise<number> {
    let query = this.db.selectFrom('attempts').select('id').where('started_at', '<', before);
    if (envs) {
      const ofEnvs = this.db
        .selectFrom('deliveries')
        .select('id')
        .where(sql.ref('env_id'), 'only' in envs ? 'in' : 'not in', envsOf(envs));
      query = query.where('delivery_id', 'in', ofEnvs);
    }
    const ids = await query.limit(limit).execute();
    if (!ids.length) return 0;
    await this.db
      .deleteFrom('attempts')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .execute();
    return ids.length;
  }

  async countPending(): Promise<number> {
    const r = await this.db
      .selectFrom('deliveries')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
