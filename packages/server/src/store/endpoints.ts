import { type Kysely, sql } from 'kysely';
import { atomically } from './atomic.js';
import type { DialectOps } from './dialect.js';
import { preparedAs } from './prepared-postgres.js';
import { endpointOf, endpointPatch, endpointRow } from './rows.js';
import type { Database, EndpointTable } from './schema.js';
import type { Page } from './store.js';
import type { EndpointRecord } from './values.js';

/** How an endpoint's failure streak moves after a batch: reset by a success, then `failures` more. */
export interface EndpointHealthChange {
  endpointId: string;
  reset: boolean;
  failures: number;
}

/** An endpoint's failure streak after a change, and whether it is still enabled. */
export interface EndpointStreak {
  id: string;
  consecutive_failures: number;
  enabled: boolean;
}

const streakOf = (row: { id: string; consecutive_failures: number; enabled: number }): EndpointStreak => ({
  id: row.id,
  consecutive_failures: row.consecutive_failures,
  enabled: row.enabled === 1,
});

/** SQL for endpoints and their subscriptions. Reached as `store.endpoints`, so it joins the caller's transaction. */
export class EndpointRecords {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
  ) {}

  async insert(endpoint: EndpointRecord, patterns: string[]): Promise<void> {
    await atomically(this.db, async (db) => {
      await db.insertInto('endpoints').values(endpointRow(endpoint)).execute();
      await replaceSubscriptions(db, endpoint.id, patterns);
    });
  }

  async update(envId: string, id: string, patch: Partial<EndpointRecord>, patterns?: string[]): Promise<EndpointRecord | undefined> {
    return atomically(this.db, async (db) => {
      const r = await db.updateTable('endpoints').set(endpointPatch(patch)).where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return undefined;
      if (patterns) await replaceSubscriptions(db, id, patterns);
      return new EndpointRecords(db, this.ops).get(envId, id);
    });
  }

  /** An endpoint of the tenant `envId`. */
  async get(envId: string, id: string): Promise<EndpointRecord | undefined> {
    const row = await this.db.selectFrom('endpoints').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return row && endpointOf(row);
  }
  /** Of every tenant: the delivery engine's read of the endpoints it sends to. */
  async getMany(ids: string[]): Promise<EndpointRecord[]> {
    if (!ids.length) return [];
    return (await this.db.selectFrom('endpoints').selectAll().where('id', 'in', ids).execute()).map(endpointOf);
  }
  async list(envId: string, page: Page): Promise<{ rows: EndpointRecord[]; total: number }> {
    const own = this.db.selectFrom('endpoints').where('env_id', '=', envId);
    const [rows, total] = await Promise.all([
      own.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      own.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(endpointOf), total: Number(total.n) };
  }
  async delete(envId: string, id: string, now: number): Promise<boolean> {
    return atomically(this.db, async (db) => {
      if (!(await db.selectFrom('endpoints').select('id').where('env_id', '=', envId).where('id', '=', id).executeTakeFirst())) return false;
      // Its queued work goes with it; the delivery log of what was sent stays.
      await db
        .updateTable('deliveries')
        .set({ status: 'failed', last_error: 'endpoint_deleted', lease_owner: null, updated_at: now })
        .where('endpoint_id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      const r = await db.deleteFrom('endpoints').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /**
   * (endpoint, pattern) pairs of enabled endpoints of the environment `env_id` whose pattern is
   * `pattern`, for each wanted pair, and those endpoints' rows (read in the same query, so whoever
   * sends to them need not read them again). One query for a batch of several tenants' events.
   */
  async matchSubscriptions(
    wanted: { env_id: string; pattern: string }[],
  ): Promise<{ pairs: { env_id: string; endpoint_id: string; pattern: string }[]; endpoints: EndpointRecord[] }> {
    if (!wanted.length) return { pairs: [], endpoints: [] };
    const key = (envId: string, pattern: string) => `${envId}\n${pattern}`;
    const pairsWanted = new Map(wanted.map((w) => [key(w.env_id, w.pattern), w]));
    const envs = [...new Set(wanted.map((w) => w.env_id))];
    const patterns = [...new Set(wanted.map((w) => w.pattern))];
    // Every publish reads this; on PostgreSQL as one prepared statement (arrays, so its text never changes).
    const rows: (EndpointTable & { pattern: string })[] =
      this.ops.name === 'postgres'
        ? (
            await sql<EndpointTable & { pattern: string }>`${preparedAs('match_subscriptions')}
          SELECT e.*, s.pattern FROM endpoint_subscriptions s JOIN endpoints e ON e.id = s.endpoint_id
          JOIN unnest(${[...pairsWanted.values()].map((w) => w.env_id)}::text[], ${[...pairsWanted.values()].map((w) => w.pattern)}::text[]) AS w(env_id, pattern)
            ON w.env_id = e.env_id AND w.pattern = s.pattern
          WHERE e.enabled = 1`.execute(this.db)
          ).rows
        : // SQLite: every wanted environment × pattern, then only the wanted pairs (a batch rarely mixes many tenants).
          (
            await this.db
              .selectFrom('endpoint_subscriptions as s')
              .innerJoin('endpoints as e', 'e.id', 's.endpoint_id')
              .selectAll('e')
              .select('s.pattern')
              .where('e.enabled', '=', 1)
              .where('e.env_id', 'in', envs)
              .where('s.pattern', 'in', patterns)
              .execute()
          ).filter((r) => pairsWanted.has(key(r.env_id, r.pattern)));
    const endpoints = new Map<string, EndpointRecord>();
    const pairs = rows.map(({ pattern, ...endpoint }) => {
      // One endpoint may match several patterns: it is converted once.
      if (!endpoints.has(endpoint.id)) endpoints.set(endpoint.id, endpointOf(endpoint));
      return { env_id: endpoint.env_id, endpoint_id: endpoint.id, pattern };
    });
    return { pairs, endpoints: [...endpoints.values()] };
  }

  /**
   * Moves failure streaks; returns the streaks after the change of the endpoints it wrote or read.
   * A success on an endpoint whose streak is already 0 writes nothing: one unlocked read of
   * those endpoints' streaks replaces an UPDATE per endpoint per batch. A failure racing that
   * read lands after the success, which is an order the two could have had anyway.
   */
  async applyHealth(changes: EndpointHealthChange[]): Promise<EndpointStreak[]> {
    const out: EndpointStreak[] = [];
    const moving = changes.filter((c) => !c.reset || c.failures > 0);
    const successes = changes.filter((c) => c.reset && c.failures === 0).map((c) => c.endpointId);
    for (let i = 0; i < successes.length; i += 500) {
      const rows = await this.db
        .selectFrom('endpoints')
        .select(['id', 'consecutive_failures', 'enabled'])
        .where('id', 'in', successes.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        if (Number(row.consecutive_failures) === 0) out.push(streakOf(row));
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
      if (row) out.push(streakOf(row));
    }
    return out;
  }

  /** Disables an enabled endpoint (of any tenant: the engine's); its environment, or undefined when it was already disabled (another worker won). */
  async disable(id: string, reason: string, now: number): Promise<string | undefined> {
    const r = await this.db
      .updateTable('endpoints')
      .set({ enabled: 0, disabled_reason: reason, disabled_at: now, updated_at: now })
      .where('id', '=', id)
      .where('enabled', '=', 1)
      .returning('env_id')
      .executeTakeFirst();
    return r?.env_id;
  }
}

async function replaceSubscriptions(db: Kysely<Database>, endpointId: string, patterns: string[]): Promise<void> {
  await db.deleteFrom('endpoint_subscriptions').where('endpoint_id', '=', endpointId).execute();
  const unique = [...new Set(patterns)];
  if (unique.length)
    await db
      .insertInto('endpoint_subscriptions')
      .values(unique.map((pattern) => ({ endpoint_id: endpointId, pattern })))
      .execute();
}
