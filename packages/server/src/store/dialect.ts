import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { AgentRecord, AttemptRecord, DeliveryRecord, DeliveryStatus, EventRecord, RunRecord } from './values.js';

export interface ClaimArgs {
  now: number;
  leaseUntil: number;
  owner: string;
  limit: number;
  /** At most this many rows per endpoint in one claim. */
  perEndpoint: number;
  /** Endpoints this worker cannot take more of right now. */
  skipEndpoints: string[];
  /**
   * At most this many rows per environment (tenant) in one claim, unless `envRoom` gives it
   * less; `limit` when absent. Environments take turns: each one's oldest due row comes
   * before any one's second, so a tenant's backlog cannot fill a claim while another waits.
   */
  perEnv?: number;
  /** Environments with less room than `perEnv` here, by env_id; 0 leaves one out of the claim. */
  envRoom?: Record<string, number>;
}

/** How far down the queue a claim looks, as a multiple of its limit. */
export const CLAIM_SCAN_FACTOR = 4;

/** The final state a worker writes for one delivery after an attempt. */
export interface DeliveryUpdate {
  id: string;
  leaseOwner: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  updatedAt: number;
  deliveredAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

/**
 * The publish, result and trigger-intake statements prepared once per database and run row by
 * row, instead of built by Kysely on every call. Each runs in `db`'s transaction, or alone.
 */
export interface PreparedWrites {
  /** Inserts the events whose ids are new; returns the ids that were inserted. */
  insertEvents(db: Kysely<Database>, rows: EventRecord[]): Promise<Set<string>>;
  insertDeliveries(db: Kysely<Database>, rows: DeliveryRecord[]): Promise<void>;
  insertAttempts(db: Kysely<Database>, rows: AttemptRecord[]): Promise<void>;
  /** Final states, each written only while its `leaseOwner` still holds the row. */
  applyDeliveryUpdates(db: Kysely<Database>, updates: DeliveryUpdate[]): Promise<void>;
  /** Inserts the runs whose (agent, idempotency key) is new; returns the ids that were inserted. */
  insertRuns(db: Kysely<Database>, rows: RunRecord[]): Promise<Set<string>>;
  /** One agent by id: every signed trigger reads it. */
  getAgent(db: Kysely<Database>, id: string): Promise<AgentRecord | undefined>;
}

/** What a dispatcher hears from the other processes on its database. */
export interface DueListener {
  /** Deliveries are due now (enqueued or requeued by another process). */
  due(): void;
  /** A delivery becomes due at `at` (a retry another process wrote). */
  dueAt(at: number): void;
  /** Listening began, or began again after a lost connection: what was announced meanwhile was missed. */
  connected(): void;
}

/** Tells a cache of API keys when keys may have changed through another connection. */
export interface KeyWatch {
  /**
   * False when keys may have changed since the last call, or when the watch cannot tell (its
   * connection is down): the cache must be dropped, and not refilled while this stays false.
   */
  unchanged(): boolean;
  stop(): Promise<void>;
}

/** A process's hold on the other processes' live stream. */
export interface StreamListening {
  /**
   * Tells the other processes whether this one has subscribers (they skip the stream's
   * NOTIFY while no process has any). Kept across a reconnect of the listening connection.
   */
  announce(present: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What differs between SQLite and PostgreSQL: how due rows are claimed (PostgreSQL skips
 * rows other workers hold), and how processes wake each other and share the live stream. Results
 * are written by SQLite's prepared statements or by PostgreSQL's one statement (see Store.recordResults).
 */
export interface DialectOps {
  readonly name: 'sqlite' | 'postgres';
  /** SQLite only; PostgreSQL writes a publish in one statement and its inserts through Kysely. */
  readonly prepared?: PreparedWrites;
  claim(db: Kysely<Database>, args: ClaimArgs): Promise<DeliveryRecord[]>;
  /**
   * Tell other processes that deliveries are due: now (new ones), or at `at` (a retry). Inside
   * the writing transaction, so the news arrives with the commit and never before it.
   */
  notifyDue(db: Kysely<Database>, at?: number): Promise<void>;
  /** Subscribe to other processes' wake-ups; returns an unsubscribe function. */
  listenDue(listener: DueListener): Promise<() => Promise<void>>;
  /** Live-stream payloads (each under 8000 bytes) to the other processes on this schema, outside any transaction. */
  notifyStream(db: Kysely<Database>, payloads: string[]): Promise<void>;
  /** The other processes' live-stream payloads, and this process's say in whether they are sent. */
  listenStream(onPayload: (payload: string) => void): Promise<StreamListening>;
  /**
   * Watches for API-key changes other connections commit, for a cache of keys that must stay
   * exact (SQLite: the file's data_version; PostgreSQL: a NOTIFY, with `onChange` called on it).
   */
  watchKeys(onChange: () => void): Promise<KeyWatch>;
  /**
   * Runs a change to API keys (`write` says whether it changed one). On PostgreSQL it returns
   * once every process that was caching keys has dropped its cache (or is gone, or 5 s passed).
   */
  changeKeys(db: Kysely<Database>, write: (db: Kysely<Database>) => Promise<boolean>): Promise<boolean>;
  /** Whether another process on this schema has live-stream subscribers (has announced itself). */
  streamHasListeners(db: Kysely<Database>): Promise<boolean>;
  destroy(): Promise<void>;
}
