/**
 * SQLite's write-ahead log is copied into the database file by a thread, not by the committing
 * connection on the event loop (store/sqlite-checkpointer.ts). Real SQLite files, a real thread.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../src/store/index.js';
import { WalCheckpointer } from '../src/store/sqlite-checkpointer.js';
import { databaseOf } from '../src/store/testing.js';
import { until } from './helpers/wait.js';

const dirs: string[] = [];
const open: { raw: SqliteDatabase.Database; checkpointer?: WalCheckpointer }[] = [];

afterEach(async () => {
  for (const { raw, checkpointer } of open.splice(0)) {
    await checkpointer?.stop();
    raw.close();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function database(): { raw: SqliteDatabase.Database; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-checkpoint-'));
  dirs.push(dir);
  const path = join(dir, 'hookline.db');
  const raw = new SqliteDatabase(path);
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
  return { raw, path };
}

/** About 1.2 MB in 300 commits (some 600 log pages): under the connection's own checkpoint (1,000 pages, let alone 10,000). */
function write(raw: SqliteDatabase.Database): void {
  const insert = raw.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < 300; i++) insert.run('x'.repeat(4000));
}

describe('the SQLite checkpoint thread', () => {
  it('copies committed log pages into the database file while the connection only writes', async () => {
    const { raw, path } = database();
    const checkpointer = new WalCheckpointer(raw, path);
    open.push({ raw, checkpointer });
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    const before = statSync(path).size;
    write(raw);
    // Only a checkpoint grows the database file; this connection's would start at 10,000 pages.
    await until('the database file to hold the rows', async () => (statSync(path).size > before + 1_000_000 ? true : undefined));
    // Nothing is left for a checkpoint to copy: every frame of the log is in the file.
    const [state] = raw.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(state!.log).toBe(state!.checkpointed);
    expect(raw.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 300 });
  });

  it('without the thread, the same writes stay in the log (the figure above is the thread’s)', async () => {
    const { raw, path } = database();
    open.push({ raw });
    const before = statSync(path).size;
    write(raw);
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_000_000);
  });

  it('stops when asked, leaving the connection to checkpoint itself at SQLite’s default', async () => {
    const { raw, path } = database();
    const checkpointer = new WalCheckpointer(raw, path);
    open.push({ raw });
    await checkpointer.stop();
    expect(checkpointer.running).toBe(false);
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.stop(); // twice is harmless
  });

  it('a thread that cannot start gives the connection its own checkpoint back, so the log stays bounded', async () => {
    const { raw } = database();
    const checkpointer = new WalCheckpointer(raw, join(tmpdir(), 'hookline-no-such-dir', 'x', 'hookline.db'));
    open.push({ raw, checkpointer });
    await until('the thread to fail', async () => (checkpointer.running ? undefined : true));
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('leaves an empty log after every erasure, though the thread may hold the checkpoint when it is truncated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'hookline.db');
    const store = await openStore({ sqlitePath: path });
    try {
      const db = databaseOf(store);
      await sql`CREATE TABLE scratch (body TEXT)`.execute(db);
      // The thread checkpoints every 100 ms; one truncation in a few hundred finds it busy.
      for (let round = 0; round < 300; round++) {
        for (let i = 0; i < 20; i++) await sql`INSERT INTO scratch (body) VALUES (${'z'.repeat(2000)})`.execute(db);
        await store.tenants.settleErasure();
        expect(statSync(`${path}-wal`).size).toBe(0);
      }
    } finally {
      await store.close();
    }
  });
});
