/**
 * The body of the SQLite checkpoint thread (see sqlite-checkpointer.ts): a connection of its
 * own that copies the write-ahead log into the database file every few milliseconds. A
 * PASSIVE checkpoint never waits for the writer or a reader; what it cannot copy now, the
 * next one does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { CheckpointSettings } from './sqlite-checkpointer.js';

const port = parentPort;
if (!port) throw new Error('sqlite-checkpoint-thread.js runs only as a worker thread (see sqlite-checkpointer.ts)');

const { path, intervalMs } = workerData as CheckpointSettings;
const db = new SqliteDatabase(path);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (the writer checkpoints itself, e.g. after an erasure) or the disk is full: the next
    // tick tries again, and the writer's own automatic checkpoint is the backstop.
  }
}, intervalMs);

port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});
