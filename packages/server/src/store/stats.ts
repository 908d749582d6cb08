import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.js';
import type { RunStatus } from './values.js';

/** A time window cut into equal buckets: bucket i holds times in [from + i·size, from + (i+1)·size). */
export interface BucketWindow {
  from: number;
  to: number;
  bucketMs: number;
}

export interface RunBucketRow {
  bucket: number;
  status: Extract<RunStatus, 'completed' | 'failed' | 'timeout' | 'cancelled'>;
  n: number;
}

export interface DeliveryBucketRow {
  bucket: number;
  status: 'delivered' | 'failed';
  n: number;
}

export interface AttemptSample {
  started_at: number;
  duration_ms: number;
}

export interface QueueCounts {
  runs_queued: number;
  runs_running: number;
  deliveries_pending: number;
  deliveries_due: number;
  oldest_pending_at: number | null;
}

export interface EndpointHealthRow {
  id: string;
  url: string;
  enabled: boolean;
  disabled_reason: string | null;
  consecutive_failures: number;
  delivered: number;
  failed: number;
}

export interface PostActionHealthRow {
  id: string;
  name: string;
  enabled: boolean;
  delivered: number;
  failed: number;
  last_error: string | null;
  last_failed_at: number | null;
}

type Dialect = 'sqlite' | 'postgres';

const ENDED: readonly RunBucketRow['status'][] = ['completed', 'failed', 'timeout', 'cancelled'];

/**
 * The bucket index of a time column. Parameters are cast so both dialects divide integers
 * (better-sqlite3 binds numbers as REAL), and stay parameters so the statement text is stable.
 */
const bucketOf = (column: string, w: BucketWindow): RawBuilder<number> =>
  sql<number>`CAST((${sql.ref(column)} - CAST(${w.from} AS BIGINT)) / CAST(${w.bucketMs} AS BIGINT) AS INTEGER)`;

// Literal, not a parameter: SQLite uses a partial index only when the query repeats its predicate.
const FINISHED = sql`status <> 'pending'`;

/**
 * A table read through the index that bounds the query by the window. SQLite without
 * statistics would rather take an equality on a low-selectivity column (status) and scan most
 * of the table; PostgreSQL's planner has statistics and picks by itself.
 */
const through = (dialect: Dialect, table: 'runs' | 'deliveries', index: string) =>
  dialect === 'sqlite' ? sql`${sql.table(table)} INDEXED BY ${sql.id(index)}` : sql.table(table);

/**
 * Window sums of one channel's finished deliveries per destination, read through the
 * partial index deliveries_outcome (finished deliveries by the time of their outcome).
 */
const outcomes = (dialect: Dialect, envIds: readonly string[], channel: 'endpoint' | 'post_action', w: BucketWindow) => sql`
  SELECT endpoint_id,
         SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered,
         SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed
  FROM ${through(dialect, 'deliveries', 'deliveries_outcome')}
  WHERE ${FINISHED} AND updated_at >= ${w.from} AND updated_at <= ${w.to} AND channel = ${channel} AND env_id IN (${sql.join(envIds)})
  GROUP BY endpoint_id`;

/** Failing first: lowest success rate (none yet sorts last), then busiest, then id for a stable order. */
const byRate = sql`CASE WHEN COALESCE(o.delivered, 0) + COALESCE(o.failed, 0) = 0 THEN 2.0
    ELSE COALESCE(o.delivered, 0) * 1.0 / (COALESCE(o.delivered, 0) + COALESCE(o.failed, 0)) END`;

/**
 * SQL for the overview numbers: counts grouped into time buckets, latency samples, queue
 * depth and per-destination health. Reached as `store.stats`. Every query is bounded by the
 * window through an index (migration 0011_stats_indexes) or by a cap, and counts one tenant's
 * rows only: those of `envIds` (attempts through their delivery).
 */
export class StatsRecords {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Ended runs per bucket and status, by finished_at. */
  async runBuckets(envIds: readonly string[], w: BucketWindow): Promise<RunBucketRow[]> {
    const r = await sql<RunBucketRow>`
      SELECT bucket, status, COUNT(*) AS n FROM (
        SELECT ${bucketOf('finished_at', w)} AS bucket, status FROM ${through(this.dialect, 'runs', 'runs_finished')}
        WHERE finished_at >= ${w.from} AND finished_at <= ${w.to} AND status IN (${sql.join([...ENDED])}) AND env_id IN (${sql.join(envIds)})
      ) t GROUP BY bucket, status`.execute(this.db);
    return r.rows.map((x) => ({ bucket: Number(x.bucket), status: x.status, n: Number(x.n) }));
  }

  /** Finished deliveries of every channel per bucket and outcome, by the time of the outcome. */
  async deliveryBuckets(envIds: readonly string[], w: BucketWindow): Promise<DeliveryBucketRow[]> {
    const r = await sql<DeliveryBucketRow>`
      SELECT bucket, status, COUNT(*) AS n FROM (
        SELECT ${bucketOf('updated_at', w)} AS bucket, status FROM ${through(this.dialect, 'deliveries', 'deliveries_outcome')}
        WHERE ${FINISHED} AND updated_at >= ${w.from} AND updated_at <= ${w.to} AND env_id IN (${sql.join(envIds)})
      ) t GROUP BY bucket, status`.execute(this.db);
    return r.rows.map((x) => ({ bucket: Number(x.bucket), status: x.status, n: Number(x.n) }));
  }

  /** The newest `limit` attempts started in the window (every channel): start time and duration. */
  async attemptSample(envIds: readonly string[], w: BucketWindow, limit: number): Promise<AttemptSample[]> {
    const rows = await this.db
      .selectFrom('attempts as a')
      .innerJoin('deliveries as d', 'd.id', 'a.delivery_id')
      .select(['a.started_at', 'a.duration_ms'])
      .where('a.started_at', '>=', w.from)
      .where('a.started_at', '<=', w.to)
      .where('d.env_id', 'in', envIds)
      .orderBy('a.started_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((x) => ({ started_at: Number(x.started_at), duration_ms: Number(x.duration_ms) }));
  }

  /** What is waiting now: runs queued and running, deliveries pending and due. */
  async queue(envIds: readonly string[], now: number): Promise<QueueCounts> {
    const [runs, pending, due] = await Promise.all([
      sql<{
        status: string;
        n: number;
      }>`SELECT status, COUNT(*) AS n FROM runs WHERE status IN ('queued', 'running') AND env_id IN (${sql.join(envIds)}) GROUP BY status`.execute(this.db),
      sql<{
        n: number;
        oldest: number | null;
      }>`SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM deliveries WHERE status = 'pending' AND env_id IN (${sql.join(envIds)})`.execute(this.db),
      // A claimed row's next_attempt_at is its lease's end, so in-flight rows do not count as due.
      sql<{
        n: number;
      }>`SELECT COUNT(*) AS n FROM ${through(this.dialect, 'deliveries', 'deliveries_due')} WHERE status = 'pending' AND next_attempt_at <= ${now} AND env_id IN (${sql.join(envIds)})`.execute(
        this.db,
      ),
    ]);
    const runCount = (s: string) => Number(runs.rows.find((x) => x.status === s)?.n ?? 0);
    const oldest = pending.rows[0]?.oldest;
    return {
      runs_queued: runCount('queued'),
      runs_running: runCount('running'),
      deliveries_pending: Number(pending.rows[0]?.n ?? 0),
      deliveries_due: Number(due.rows[0]?.n ?? 0),
      oldest_pending_at: oldest === null || oldest === undefined ? null : Number(oldest),
    };
  }

  /**
   * Endpoints with their outcomes in the window, the `limit` most failing: disabled first,
   * then the longest failure streak, the most failures, the lowest success rate.
   */
  async endpointHealth(envIds: readonly string[], w: BucketWindow, limit: number): Promise<EndpointHealthRow[]> {
    const r = await sql<EndpointHealthRow>`
      SELECT e.id, e.url, e.enabled, e.disabled_reason, e.consecutive_failures,
             COALESCE(o.delivered, 0) AS delivered, COALESCE(o.failed, 0) AS failed
      FROM endpoints e LEFT JOIN (${outcomes(this.dialect, envIds, 'endpoint', w)}) o ON o.endpoint_id = e.id
      WHERE e.env_id IN (${sql.join(envIds)})
      ORDER BY e.enabled ASC, e.consecutive_failures DESC, COALESCE(o.failed, 0) DESC, ${byRate} ASC, COALESCE(o.delivered, 0) DESC, e.id
      LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => ({
      ...x,
      enabled: Number(x.enabled) === 1,
      consecutive_failures: Number(x.consecutive_failures),
      delivered: Number(x.delivered),
      failed: Number(x.failed),
    }));
  }

  /** Post-actions with their outcomes in the window and their newest failure in it, the `limit` most failing. */
  async postActionHealth(envIds: readonly string[], w: BucketWindow, limit: number): Promise<PostActionHealthRow[]> {
    const r = await sql<Omit<PostActionHealthRow, 'last_error' | 'last_failed_at'>>`
      SELECT p.id, p.name, p.enabled, COALESCE(o.delivered, 0) AS delivered, COALESCE(o.failed, 0) AS failed
      FROM post_actions p LEFT JOIN (${outcomes(this.dialect, envIds, 'post_action', w)}) o ON o.endpoint_id = p.id
      WHERE p.env_id IN (${sql.join(envIds)})
      ORDER BY p.enabled ASC, COALESCE(o.failed, 0) DESC, ${byRate} ASC, COALESCE(o.delivered, 0) DESC, p.id
      LIMIT ${limit}`.execute(this.db);
    const failing = r.rows.filter((x) => Number(x.failed) > 0).map((x) => x.id);
    const last = new Map<string, { last_error: string | null; updated_at: number }>();
    if (failing.length) {
      const newest = await sql<{ endpoint_id: string; last_error: string | null; updated_at: number }>`
        SELECT endpoint_id, last_error, updated_at FROM (
          SELECT endpoint_id, last_error, updated_at,
                 ROW_NUMBER() OVER (PARTITION BY endpoint_id ORDER BY updated_at DESC, id DESC) AS rn
          FROM ${through(this.dialect, 'deliveries', 'deliveries_outcome')}
          WHERE ${FINISHED} AND updated_at >= ${w.from} AND updated_at <= ${w.to}
            AND channel = 'post_action' AND status = 'failed' AND env_id IN (${sql.join(envIds)}) AND endpoint_id IN (${sql.join(failing)})
        ) t WHERE rn = 1`.execute(this.db);
      for (const x of newest.rows) last.set(x.endpoint_id, { last_error: x.last_error, updated_at: Number(x.updated_at) });
    }
    return r.rows.map((x) => {
      const l = last.get(x.id);
      return {
        ...x,
        enabled: Number(x.enabled) === 1,
        delivered: Number(x.delivered),
        failed: Number(x.failed),
        last_error: l?.last_error ?? null,
        last_failed_at: l?.updated_at ?? null,
      };
    });
  }
}
