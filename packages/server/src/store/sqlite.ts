import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ClaimArgs, DialectOps } from './dialect.js';
import type { Database } from './schema.js';
import { WalCheckpointer } from './sqlite-checkpointer.js';
import { SqliteHotStatements } from './sqlite-prepared.js';

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
  // Deleted rows are overwritten with zeros, not left in free pages: erasing a tenant (and
  // retention) must leave none of its bytes in the file (docs/tenants.md#erasure).
  raw.pragma('secure_delete = ON');
  // The log is copied into the file by a thread, not mid-commit on the event loop.
  const checkpointer = path === ':memory:' ? undefined : new WalCheckpointer(raw, path);
  // Kysely prepares every query afresh; on the hot path that costs more than running it.
  // Statements are reusable, so keep the most recent ones by SQL text.
  const statements = new Map<string, SqliteDatabase.Statement>();
  // SQLite rolls a transaction back by itself when a write fails with SQLITE_FULL (disk full)
  // or an I/O error; Kysely's ROLLBACK would then fail with "no transaction is active" and hide
  // the error that says what happened. Roll back only what is still open.
  const hot = new SqliteHotStatements(raw);
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
      // Prepared for every run: a write through Kysely (an agent's update, a crew's delete, a
      // migration) drops the agents the hot statements keep before it can change them.
      if (!stmt.readonly) hot.forgetAgents();
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached as unknown as SqliteDatabase.Database }) });

  const ops: DialectOps = {
    name: 'sqlite',
    prepared: hot,
    claim: (kdb, a: ClaimArgs) => hot.claim(kdb, a),
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
      const version = () => hot.dataVersion();
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
    async destroy() {
      await checkpointer?.stop();
    },
  };
  return { db, ops };
}
