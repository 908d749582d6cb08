import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { CLAIM_SCAN_FACTOR, type ClaimArgs, type DeliveryUpdate, type DialectOps } from './dialect.js';
import type { Database, DeliveryTable } from './schema.js';

const STATEMENT_CACHE_SIZE = 500;

/** Opens the embedded store: one process owns the file (WAL, so readers never block the writer). */
export function openSqlite(path: string): { db: Kysely<Database>; ops: DialectOps } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new SqliteDatabase(path);
  raw.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a process crash (the case we test); only an OS
  // crash can lose the last commits. FULL would fsync every commit.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  // Kysely prepares every query afresh; on the hot path that costs more than running it.
  // Statements are reusable, so keep the most recent ones by SQL text.
  const statements = new Map<string, SqliteDatabase.Statement>();
  // SQLite rolls a transaction back by itself when a write fails with SQLITE_FULL (disk full)
  // or an I/O error; Kysely's ROLLBACK would then fail with "no transaction is active" and hide
  // the error that says what happened. Roll back only what is still open.
  const rollback = { reader: false, run: () => (raw.inTransaction ? raw.prepare('rollback').run() : { changes: 0, lastInsertRowid: 0 }) };
  const cached = {
    close: () => raw.close(),
    prepare(text: string) {
      if (text === 'rollback') return rollback;
      let stmt = statements.get(text);
      if (!stmt) {
        stmt = raw.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(text, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached as unknown as SqliteDatabase.Database }) });

  // Prepared on first use: the table does not exist until migrations ran.
  let updateStmt: SqliteDatabase.Statement | undefined;
  const prepareUpdate = () => raw.prepare(
    `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, updated_at = ?, delivered_at = ?,
       last_status_code = ?, last_error = ?, lease_owner = NULL
     WHERE id = ? AND lease_owner = ?`,
  );

  const ops: DialectOps = {
    name: 'sqlite',
    async claim(kdb, a: ClaimArgs) {
      const skip = a.skipEndpoints.length ? sql`AND endpoint_id NOT IN (${sql.join(a.skipEndpoints)})` : sql``;
      // Oldest due rows first, but no more than `perEndpoint` of any one endpoint.
      const r = await sql<DeliveryTable>`
        UPDATE deliveries SET next_attempt_at = ${a.leaseUntil}, lease_owner = ${a.owner}
        WHERE rowid IN (
          SELECT rid FROM (
            SELECT rid, next_attempt_at, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at) AS rn
            FROM (SELECT rowid AS rid, endpoint_id, next_attempt_at FROM deliveries INDEXED BY deliveries_due
                  WHERE status = 'pending' AND next_attempt_at <= ${a.now} ${skip}
                  ORDER BY next_attempt_at LIMIT ${a.limit * CLAIM_SCAN_FACTOR})
          ) WHERE rn <= ${a.perEndpoint} ORDER BY next_attempt_at LIMIT ${a.limit})
        RETURNING *`.execute(kdb);
      return r.rows;
    },
    // Prepared statements on the raw handle: Kysely's SQLite driver runs on this same
    // connection, and this is called inside its open transaction.
    async applyDeliveryUpdates(_kdb, updates: DeliveryUpdate[]) {
      updateStmt ??= prepareUpdate();
      for (const u of updates) {
        updateStmt.run(u.status, u.attempts, u.nextAttemptAt, u.updatedAt, u.deliveredAt, u.lastStatusCode, u.lastError, u.id, u.leaseOwner);
      }
    },
    // One process owns the file, so there is no one else to tell.
    async notifyDue() {},
    async listenDue(listener) {
      // Nothing to hear, but listening has begun: the dispatcher looks at what is due and when.
      listener.connected();
      return async () => {};
    },
    async notifyStream() {},
    async listenStream() {
      return { announce: async () => {}, stop: async () => {} };
    },
    // Another connection (the CLI's `keys revoke`) may commit to the file: data_version moves
    // when one did. This process's own changes are dropped from the cache by whoever made them.
    async watchKeys() {
      const version = () => raw.pragma('data_version', { simple: true }) as number;
      let seen = version();
      return {
        unchanged() {
          const now = version();
          const same = now === seen;
          seen = now;
          return same;
        },
        async stop() {},
      };
    },
    changeKeys: (kdb, write) => write(kdb),
    async streamHasListeners() {
      return false;
    },
    async destroy() {},
  };
  return { db, ops };
}
