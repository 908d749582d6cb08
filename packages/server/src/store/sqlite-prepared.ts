import type SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { CLAIM_SCAN_FACTOR, type ClaimArgs, type DeliveryUpdate, type PreparedWrites } from './dialect.js';
import { type ClaimCandidate, takeTurns } from './claim-turns.js';
import type { Database } from './schema.js';
import type { AgentRecord, AttemptRecord, DeliveryRecord, EventRecord, RunRecord } from './values.js';
import { storableText } from '../util/index.js';

const MAX_CACHED_AGENTS = 1000;

/**
 * The delivery engine's and the trigger intake's hot statements on SQLite, prepared once per
 * database (on first use: the tables do not exist until migrations ran) and run on the raw handle. Kysely's driver shares
 * that one connection, so a statement runs inside Kysely's open transaction when given one, and
 * otherwise takes the connection from Kysely first, never slipping into someone else's
 * transaction. One fixed text per statement; a variable row count is a loop of single-row runs
 * in the same transaction, which better-sqlite3 runs synchronously.
 */
export class SqliteHotStatements implements PreparedWrites {
  private statements: ReturnType<typeof prepareAll> | undefined;
  /** Agents read outside transactions, by id; exact while nothing has written since (see getAgent). */
  private readonly agents = new Map<string, AgentRecord>();
  /** The file's data_version when `agents` was last known exact. */
  private agentsVersion: unknown;

  /** Read on every authenticated request and every agent read: prepared once (pragma() prepares it per call). */
  private readonly dataVersionStmt: SqliteDatabase.Statement;

  constructor(private readonly raw: SqliteDatabase.Database) {
    // No table needed, so not deferred to first use like the rest.
    this.dataVersionStmt = raw.prepare('PRAGMA data_version').pluck();
  }

  /** Moves when another connection commits to the file (not for this connection's own commits). */
  dataVersion(): number {
    return this.dataVersionStmt.get() as number;
  }

  private get stmt(): ReturnType<typeof prepareAll> {
    return (this.statements ??= prepareAll(this.raw));
  }

  /**
   * Runs `work` in `db`'s transaction; outside one, in a transaction of its own (its rows go in
   * together, as one multi-row statement's would) while holding Kysely's connection, so it never
   * runs inside another caller's open transaction. `immediate`: it reads before it writes, so it
   * takes the write lock first (BEGIN IMMEDIATE), and nothing can commit between the two.
   */
  private async onConnection<T>(db: Kysely<Database>, work: () => T, immediate = false): Promise<T> {
    if (db.isTransaction) return work();
    return db.connection().execute(async () => {
      const transaction = this.raw.transaction(work);
      return immediate ? transaction.immediate() : transaction();
    });
  }

  /**
   * Oldest due rows first, environments in turn, no more than `perEndpoint` of any one endpoint;
   * leased to `owner`. Three steps in one transaction: the environments with pending rows, each
   * one's oldest due rows (four times its room: SQLite takes no per-row LIMIT inside one
   * statement, so each is read on its own), the choice (claim-turns.ts), then the lease.
   */
  claim(db: Kysely<Database>, a: ClaimArgs): Promise<DeliveryRecord[]> {
    const perEnv = Math.min(a.perEnv ?? a.limit, a.limit);
    const skip = JSON.stringify(a.skipEndpoints);
    return this.onConnection(
      db,
      () => {
        const rooms = new Map<string, number>();
        const candidates: ClaimCandidate[] = [];
        for (const env of this.stmt.pendingEnvs.all() as string[]) {
          const room = a.envRoom?.[env] ?? perEnv;
          if (room <= 0) continue;
          rooms.set(env, room);
          candidates.push(...(this.stmt.dueOfEnv.all(env, a.now, skip, room * CLAIM_SCAN_FACTOR) as ClaimCandidate[]));
        }
        const chosen = takeTurns(candidates, { rooms, perEndpoint: a.perEndpoint, limit: a.limit });
        if (!chosen.length) return [];
        return this.stmt.lease.all(a.leaseUntil, a.owner, JSON.stringify(chosen)) as DeliveryRecord[];
      },
      true,
    );
  }

  /** Final states, each written only while `leaseOwner` still holds the row. */
  applyDeliveryUpdates(db: Kysely<Database>, updates: DeliveryUpdate[]): Promise<void> {
    return this.onConnection(db, () => {
      for (const u of updates) {
        this.stmt.update.run(u.status, u.attempts, u.nextAttemptAt, u.updatedAt, u.deliveredAt, u.lastStatusCode, u.lastError, u.id, u.leaseOwner);
      }
    });
  }

  insertEvents(db: Kysely<Database>, rows: EventRecord[]): Promise<Set<string>> {
    return this.onConnection(db, () => {
      const inserted = new Set<string>();
      for (const e of rows) {
        if (this.stmt.insertEvent.run(e.id, e.env_id, e.type, e.created_at, e.payload).changes > 0) inserted.add(e.id);
      }
      return inserted;
    });
  }

  insertDeliveries(db: Kysely<Database>, rows: DeliveryRecord[]): Promise<void> {
    return this.onConnection(db, () => {
      for (const d of rows) {
        this.stmt.insertDelivery.run(
          d.id,
          d.env_id,
          d.event_id,
          d.endpoint_id,
          d.event_type,
          d.status,
          d.attempts,
          d.next_attempt_at,
          d.lease_owner,
          d.created_at,
          d.updated_at,
          d.delivered_at,
          d.last_status_code,
          d.last_error,
          d.channel ?? 'endpoint',
          d.run_id ?? null,
          d.agent_id ?? null,
          d.target ?? null,
          d.source_id ?? null,
          d.request_enc ?? null,
        );
      }
    });
  }

  insertRuns(db: Kysely<Database>, rows: RunRecord[]): Promise<Set<string>> {
    return this.onConnection(db, () => {
      const inserted = new Set<string>();
      for (const r of rows) {
        const changes = this.stmt.insertRun.run(
          r.id,
          r.crew_id,
          r.agent_id,
          r.trigger_type,
          r.trigger_id,
          r.trigger_name,
          storableText(r.prompt),
          r.status,
          r.output,
          r.error,
          r.exit_code,
          r.iterations_used,
          r.tool_calls,
          r.tokens_used,
          r.idempotency_key,
          r.lease_owner,
          r.lease_until,
          r.created_at,
          r.started_at,
          r.finished_at,
          r.updated_at,
          r.env_id,
        ).changes;
        if (changes > 0) inserted.add(r.id);
      }
      return inserted;
    });
  }

  /**
   * Every signed trigger reads its agent, and on SQLite the read transaction around a lookup
   * costs more than the lookup, so rows read outside a transaction are kept. They stay exact:
   * this connection's writes drop them all ({@link forgetAgents}, from the statement cache,
   * for any statement that is not read-only), and another connection's commit moves the file's
   * data_version, checked at every read. Inside a transaction the read goes to the table (it
   * may see that transaction's own uncommitted change), and never fills the cache.
   */
  getAgent(db: Kysely<Database>, id: string): Promise<AgentRecord | undefined> {
    if (db.isTransaction) return Promise.resolve(this.stmt.getAgent.get(id) as AgentRecord | undefined);
    // Kysely's connection, so no other caller's transaction is open on it meanwhile.
    return db.connection().execute(async () => {
      const version = this.dataVersion();
      if (version !== this.agentsVersion) {
        this.forgetAgents();
        this.agentsVersion = version;
      }
      let row = this.agents.get(id);
      if (!row) {
        row = this.stmt.getAgent.get(id) as AgentRecord | undefined;
        if (!row) return undefined;
        if (this.agents.size >= MAX_CACHED_AGENTS) this.agents.clear();
        this.agents.set(id, row);
      }
      return { ...row }; // callers may change their copy
    });
  }

  /** This connection is about to write: any agent row may change. */
  forgetAgents(): void {
    this.agents.clear();
  }

  insertAttempts(db: Kysely<Database>, rows: AttemptRecord[]): Promise<void> {
    return this.onConnection(db, () => {
      for (const t of rows) {
        this.stmt.insertAttempt.run(
          t.id,
          t.delivery_id,
          t.attempt,
          t.started_at,
          t.duration_ms,
          t.method,
          t.url,
          t.status_code,
          t.response_body,
          t.error_code,
          t.error_message,
        );
      }
    });
  }
}

function prepareAll(raw: SqliteDatabase.Database) {
  return {
    // Environments with pending rows: a skip-scan, one index probe each.
    pendingEnvs: raw
      .prepare(
        `WITH RECURSIVE envs(env) AS (
           SELECT (SELECT env_id FROM deliveries INDEXED BY deliveries_env_due WHERE status = 'pending' ORDER BY env_id LIMIT 1)
           UNION ALL
           SELECT (SELECT env_id FROM deliveries INDEXED BY deliveries_env_due WHERE status = 'pending' AND env_id > env ORDER BY env_id LIMIT 1)
           FROM envs WHERE env IS NOT NULL
         ) SELECT env FROM envs WHERE env IS NOT NULL`,
      )
      .pluck(),
    // The endpoints to skip come as one JSON array, so the text stays the same whatever their number.
    dueOfEnv: raw.prepare(
      `SELECT rowid, env_id, endpoint_id, next_attempt_at FROM deliveries INDEXED BY deliveries_env_due
       WHERE status = 'pending' AND env_id = ? AND next_attempt_at <= ? AND endpoint_id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at LIMIT ?`,
    ),
    // The chosen rows, by rowid (one JSON array): read in the same transaction, so still due.
    lease: raw.prepare(`UPDATE deliveries SET next_attempt_at = ?, lease_owner = ? WHERE rowid IN (SELECT value FROM json_each(?)) RETURNING *`),
    update: raw.prepare(
      `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, updated_at = ?, delivered_at = ?,
         last_status_code = ?, last_error = ?, lease_owner = NULL
       WHERE id = ? AND lease_owner = ?`,
    ),
    insertEvent: raw.prepare('INSERT INTO events (id, env_id, type, created_at, payload) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
    insertDelivery: raw.prepare(
      `INSERT INTO deliveries (id, env_id, event_id, endpoint_id, event_type, status, attempts, next_attempt_at, lease_owner, created_at, updated_at,
         delivered_at, last_status_code, last_error, channel, run_id, agent_id, target, source_id, request_enc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertRun: raw.prepare(
      `INSERT INTO runs (id, crew_id, agent_id, trigger_type, trigger_id, trigger_name, prompt, status, output, error, exit_code,
         iterations_used, tool_calls, tokens_used, idempotency_key, lease_owner, lease_until, created_at, started_at, finished_at, updated_at, env_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, idempotency_key) DO NOTHING`,
    ),
    getAgent: raw.prepare('SELECT * FROM agents WHERE id = ?'),
    insertAttempt: raw.prepare(
      `INSERT INTO attempts (id, delivery_id, attempt, started_at, duration_ms, method, url, status_code, response_body, error_code, error_message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}
