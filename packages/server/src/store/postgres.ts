import { createHash, randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { CLAIM_SCAN_FACTOR, type ClaimArgs, type DialectOps } from './dialect.js';
import type { Database } from './schema.js';
import type { DeliveryRecord } from './values.js';
import { prepareMarkedStatements } from './prepared-postgres.js';

/** Where processes tell each other that deliveries are due. */
export const DUE_CHANNEL = 'hookline_deliveries_due';
/** An API key was revoked: `schema:nonce`. Each process caching keys answers on the ack channel with `nonce:pid`. */
const KEYS_CHANNEL = 'hookline_api_keys';
const KEYS_ACK_CHANNEL = 'hookline_api_keys_ack';
/** Held (shared) by each process caching keys, on its LISTEN connection: 'hlky', the schema's key. */
const KEYS_LOCK_CLASS = 0x686c6b79;
/** How long a revocation waits for a caching process that does not answer. */
const KEYS_ACK_TIMEOUT_MS = 5000;

/**
 * The live stream's channel: one per schema, so Hooklines sharing a database in other schemas
 * never see (or parse) each other's traffic. Channel names are identifiers (63 bytes at most).
 */
function streamChannel(schema: string): string {
  const name = `hookline_stream_${schema}`;
  return Buffer.byteLength(name) <= 63 ? name : `hookline_stream_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

/**
 * The advisory lock a process holds (shared) on its stream-listening connection while it has
 * live-stream subscribers: the first key is Hookline's ('hlst'), the second the schema's.
 * Connections hold it, so a crashed process's presence ends with its connection.
 */
const STREAM_LOCK_CLASS = 0x686c7374;
/** The second key of Hookline's advisory locks: the schema's. */
function lockKeyOf(schema: string): number {
  return createHash('sha256').update(schema).digest().readUInt32BE(0) >>> 1;
}

// int8 columns hold millisecond timestamps, well inside Number's exact range.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Connections of the delivery engine's own pool (claims, renewals, results). */
  enginePoolSize: number;
  /** Named prepared statements for the statements marked with preparedAs(). */
  prepareStatements: boolean;
  /** Schema to work in (tests give each file its own). */
  schema?: string;
  /** Shown in pg_stat_activity; tests use it to prove no connection outlives the store. */
  applicationName?: string;
}

function clientConfig(o: PostgresOptions): pg.ClientConfig {
  return {
    connectionString: o.url,
    types,
    application_name: o.applicationName ?? 'hookline',
    ...(o.schema ? { options: `-c search_path=${o.schema}` } : {}),
  };
}

/** `backends`: the server process ids of the pool's connections, kept current. */
function openPool(o: PostgresOptions, max: number, backends: Set<number>): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({ ...clientConfig(o), max });
  const backendOf = (client: pg.PoolClient) => (client as unknown as { processID: number }).processID;
  pool.on('connect', (client) => void backends.add(backendOf(client)));
  pool.on('remove', (client) => void backends.delete(backendOf(client)));
  // An idle client's socket error must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out client's (the server restarting while a transaction waits between
  // statements): without a listener that 'error' event kills the process. The query in
  // progress, or the next one, fails instead, and the pool drops the client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  if (o.prepareStatements) pool.on('connect', (client) => prepareMarkedStatements(client));
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/**
 * Two pools: `db` serves API requests and publishes, `engineDb` only the delivery engine, so
 * a burst of intake waiting for connections cannot starve claims and result writes.
 */
export function openPostgres(o: PostgresOptions): { db: Kysely<Database>; engineDb: Kysely<Database>; ops: DialectOps; pool: pg.Pool } {
  /**
   * This process's connections: a wake-up NOTIFY one of them sent is this process's own news,
   * which it has acted on already (every local write that queues deliveries wakes its dispatcher,
   * as on SQLite, where there is no NOTIFY at all). Hearing it again would only cost a claim.
   */
  const ownBackends = new Set<number>();
  const { db, pool } = openPool(o, o.poolSize, ownBackends);
  const { db: engineDb } = openPool(o, o.enginePoolSize, ownBackends);
  const listeners = new Set<pg.Client>();
  /** Set by destroy(): no listener reconnects after it. */
  let closed = false;
  let schemaName: Promise<string> | undefined;
  const currentSchema = async (kdb: Kysely<Database>): Promise<string> => {
    schemaName ??= sql<{ s: string }>`SELECT current_schema() AS s`.execute(kdb).then((r) => r.rows[0]!.s);
    return schemaName.catch((err) => {
      schemaName = undefined;
      throw err;
    });
  };
  /** The backend of this process's stream-listening connection (its own presence does not count). */
  let streamListenerPid = 0;

  /**
   * LISTENs on a connection of its own. On a lost connection it reconnects, every second until
   * the database is back, and calls `onConnect` again: notifications sent meanwhile were missed.
   * Only the first connect may fail to the caller.
   */
  const listenOn = async (
    channelFor: (schema: string) => string,
    onNotify: (payload: string, schema: string, client: pg.Client, sender: number) => void,
    onConnect: (client: pg.Client) => void,
    /** Runs on each new connection before it listens (so LISTEN is its last statement unless onConnect adds one). */
    prepare: (client: pg.Client, schema: string) => Promise<void> = async () => {},
    /** The connection was lost: what is announced until `onConnect` runs again is missed. */
    onLost: () => void = () => {},
  ): Promise<() => Promise<void>> => {
    let client: pg.Client | undefined;
    let stopped = false;
    /** `again`: a reconnect, which retries until it succeeds; the first connect fails to the caller. */
    const connect = async (again: boolean): Promise<void> => {
      const c = new pg.Client(clientConfig(o));
      let established = false;
      let lost = false;
      // For an error, the end of the connection, or a failed connect: once per client.
      const lose = () => {
        if (lost) return;
        lost = true;
        if (established) onLost();
        listeners.delete(c);
        if (client === c) client = undefined;
        c.end().catch(() => {});
        if (!stopped && !closed && (again || established)) setTimeout(() => void connect(true).catch(() => {}), 1000).unref();
      };
      c.on('error', lose);
      c.on('end', lose);
      try {
        await c.connect();
        const schema = (await c.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? '';
        c.on('notification', (n) => onNotify(n.payload ?? '', schema, c, n.processId));
        await prepare(c, schema);
        await c.query(`LISTEN ${c.escapeIdentifier(channelFor(schema))}`);
      } catch (err) {
        lose();
        throw err;
      }
      if (stopped) return void (await c.end());
      established = true;
      client = c;
      listeners.add(c);
      onConnect(c);
    };
    await connect(false);
    return async () => {
      stopped = true;
      if (client) {
        listeners.delete(client);
        await client.end().catch(() => {});
      }
    };
  };

  const ops: DialectOps = {
    name: 'postgres',
    async claim(kdb, a: ClaimArgs) {
      // The environments with pending rows (a skip-scan: one index probe each), then each one's
      // oldest due rows, skipping rows other workers hold (SKIP LOCKED); of those, no more than
      // `perEndpoint` of any endpoint and the env's room, taken in turns across envs.
      // The env bound is a range, not `=`: with `=` the planner may walk deliveries_due past a
      // big tenant's whole backlog, filtering, to find a small one's rows.
      // Sent as text, not prepared (see prepared-postgres.ts): its best plan depends on how many
      // rows are due, which a plan cached while the queue was small does not know.
      const perEnv = Math.min(a.perEnv ?? a.limit, a.limit);
      const r = await sql<DeliveryRecord>`
        WITH RECURSIVE envs AS (
          (SELECT env_id FROM deliveries WHERE status = 'pending' ORDER BY env_id LIMIT 1)
          UNION ALL
          SELECT (SELECT d.env_id FROM deliveries d WHERE d.status = 'pending' AND d.env_id > envs.env_id ORDER BY d.env_id LIMIT 1)
          FROM envs WHERE envs.env_id IS NOT NULL
        ), rooms AS (
          SELECT env_id, COALESCE((${JSON.stringify(a.envRoom ?? {})}::jsonb ->> env_id)::int, ${perEnv}) AS room FROM envs WHERE env_id IS NOT NULL
        ), locked AS (
          SELECT r.env_id, r.room, d.id, d.endpoint_id, d.next_attempt_at FROM rooms r CROSS JOIN LATERAL (
            SELECT id, endpoint_id, next_attempt_at FROM deliveries
            WHERE status = 'pending' AND env_id >= r.env_id AND env_id <= r.env_id AND next_attempt_at <= ${a.now}
              AND NOT (endpoint_id = ANY(${a.skipEndpoints}::text[]))
            ORDER BY env_id, next_attempt_at LIMIT ${perEnv * CLAIM_SCAN_FACTOR} FOR UPDATE SKIP LOCKED) d
          WHERE r.room > 0
        ), by_endpoint AS (
          SELECT *, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at) AS rn_endpoint FROM locked
        ), by_env AS (
          SELECT id, next_attempt_at, room, row_number() OVER (PARTITION BY env_id ORDER BY next_attempt_at) AS turn
          FROM by_endpoint WHERE rn_endpoint <= ${a.perEndpoint}
        )
        UPDATE deliveries SET next_attempt_at = ${a.leaseUntil}, lease_owner = ${a.owner}
        WHERE id = ANY(ARRAY(SELECT id FROM by_env WHERE turn <= room ORDER BY turn, next_attempt_at LIMIT ${a.limit}))
        RETURNING *`.execute(kdb);
      return r.rows;
    },
    // The payload is the schema (due now) or `schema@ms` (due then), so Hooklines sharing a
    // database in other schemas ignore it.
    async notifyDue(kdb, at) {
      if (at === undefined) await sql`SELECT pg_notify(${DUE_CHANNEL}, current_schema())`.execute(kdb);
      else await sql`SELECT pg_notify(${DUE_CHANNEL}, current_schema() || '@' || ${String(Math.round(at))})`.execute(kdb);
    },
    listenDue(listener) {
      const onNotify = (payload: string, schema: string, _client: pg.Client, sender: number) => {
        if (payload === schema) return ownBackends.has(sender) ? undefined : listener.due();
        if (!payload.startsWith(`${schema}@`)) return;
        const at = Number(payload.slice(schema.length + 1));
        if (Number.isSafeInteger(at)) listener.dueAt(at);
      };
      return listenOn(
        () => DUE_CHANNEL,
        onNotify,
        () => listener.connected(),
      );
    },
    async notifyStream(kdb, payloads) {
      const channel = streamChannel(await currentSchema(kdb));
      // One statement, one commit: the notifications arrive together and in array order.
      await sql`SELECT pg_notify(${channel}, p) FROM unnest(${payloads}::text[]) AS p`.execute(kdb);
    },
    async listenStream(onPayload) {
      let present = false;
      /** The connection holding the presence lock, if one does. */
      let holder: pg.Client | undefined;
      let current: pg.Client | undefined;
      let lockKey = 0;
      const lock = async (c: pg.Client) => {
        if (holder === c) return;
        await c.query('SELECT pg_advisory_lock_shared($1, $2)', [STREAM_LOCK_CLASS, lockKey]);
        holder = c;
      };
      const stop = await listenOn(
        streamChannel,
        (payload) => onPayload(payload),
        () => {},
        async (c, schema) => {
          lockKey = lockKeyOf(schema);
          streamListenerPid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
          current = c;
          if (present) await lock(c);
        },
      );
      return {
        async announce(on) {
          present = on;
          const c = current;
          if (!c) return; // taken when the connection is back
          if (on) await lock(c);
          else if (holder === c) {
            holder = undefined;
            await c.query('SELECT pg_advisory_unlock_all()');
          }
        },
        async stop() {
          current = undefined;
          streamListenerPid = 0;
          await stop();
        },
      };
    },
    async watchKeys(onChange) {
      /** Set once the connection listens and holds the lock, so revocations wait for this process. */
      let up = false;
      let current: pg.Client | undefined;
      /** This process's LISTEN backend, which its answers name. */
      let pid = 0;
      let lockKey = 0;
      const stop = await listenOn(
        () => KEYS_CHANNEL,
        (payload, schema, c) => {
          if (!payload.startsWith(`${schema}:`)) return;
          onChange(); // before the answer: the revoker may go on once it has it
          c.query('SELECT pg_notify($1, $2)', [KEYS_ACK_CHANNEL, `${payload.slice(schema.length + 1)}:${pid}`]).catch(() => {});
        },
        (c) => {
          // Whatever was revoked while no connection listened was missed: start from nothing.
          onChange();
          current = c;
          c.query('SELECT pg_advisory_lock_shared($1, $2)', [KEYS_LOCK_CLASS, lockKey]).then(
            () => {
              if (current === c) up = true;
            },
            () => {},
          );
        },
        async (c, schema) => {
          lockKey = lockKeyOf(schema);
          pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        },
        () => {
          up = false;
          current = undefined;
        },
      );
      return {
        unchanged: () => up,
        async stop() {
          up = false;
          current = undefined;
          await stop();
        },
      };
    },
    async changeKeys(kdb, write) {
      // Inside a caller's transaction the notice goes out with its commit, unawaited.
      if (kdb.isTransaction) {
        const changed = await write(kdb);
        if (changed) await sql`SELECT pg_notify(${KEYS_CHANNEL}, current_schema() || ':')`.execute(kdb);
        return changed;
      }
      const nonce = randomBytes(8).toString('hex');
      const acks = new Set<number>();
      const listener = new pg.Client(clientConfig(o));
      listener.on('error', () => {});
      listener.on('notification', (n) => {
        const [of, pid] = (n.payload ?? '').split(':');
        if (of === nonce) acks.add(Number(pid));
      });
      await listener.connect();
      try {
        await listener.query(`LISTEN ${KEYS_ACK_CHANNEL}`);
        const key = lockKeyOf(await currentSchema(kdb));
        const holders = async () =>
          new Set(
            (
              await sql<{ pid: number }>`
          SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ${KEYS_LOCK_CLASS} AND objid = ${key} AND objsubid = 2
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(kdb)
            ).rows.map((r) => r.pid),
          );
        // The processes caching keys before the change hear of it: wait until each has dropped its
        // cache (or is gone), so the next request anywhere sees the change. A process that starts
        // caching meanwhile began from an empty cache.
        const waitFor = await holders();
        const changed = await kdb.transaction().execute(async (trx) => {
          const r = await write(trx);
          if (r) await sql`SELECT pg_notify(${KEYS_CHANNEL}, current_schema() || ':' || ${nonce})`.execute(trx);
          return r;
        });
        const deadline = performance.now() + KEYS_ACK_TIMEOUT_MS;
        while (changed && performance.now() < deadline) {
          const still = await holders();
          if ([...waitFor].every((pid) => acks.has(pid) || !still.has(pid))) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        return changed;
      } finally {
        await listener.end().catch(() => {});
      }
    },
    async streamHasListeners(kdb) {
      const key = lockKeyOf(await currentSchema(kdb));
      const r = await sql<{ yes: boolean }>`
        SELECT EXISTS (SELECT 1 FROM pg_locks
          WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND classid = ${STREAM_LOCK_CLASS} AND objid = ${key} AND objsubid = 2 AND pid <> ${streamListenerPid}) AS yes`.execute(kdb);
      return r.rows[0]!.yes;
    },
    async destroy() {
      closed = true;
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
    },
  };
  return { db, engineDb, ops, pool };
}
