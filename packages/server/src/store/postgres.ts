import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { CLAIM_SCAN_FACTOR, type ClaimArgs, type DeliveryUpdate, type DialectOps } from './dialect.js';
import type { Database, DeliveryTable } from './schema.js';

/** Where processes tell each other that deliveries are due. */
export const DUE_CHANNEL = 'hookline_deliveries_due';

/**
 * The live stream's channel: one per schema, so Hooklines sharing a database in other schemas
 * never see (or parse) each other's traffic. Channel names are identifiers (63 bytes at most).
 */
function streamChannel(schema: string): string {
  const name = `hookline_stream_${schema}`;
  return Buffer.byteLength(name) <= 63 ? name : `hookline_stream_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
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

function openPool(o: PostgresOptions, max: number): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({ ...clientConfig(o), max });
  // An idle client's socket error must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out client's (the server restarting while a transaction waits between
  // statements): without a listener that 'error' event kills the process. The query in
  // progress, or the next one, fails instead, and the pool drops the client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/**
 * Two pools: `db` serves API requests and publishes, `engineDb` only the delivery engine, so
 * a burst of intake waiting for connections cannot starve claims and result writes.
 */
export function openPostgres(o: PostgresOptions): { db: Kysely<Database>; engineDb: Kysely<Database>; ops: DialectOps; pool: pg.Pool } {
  const { db, pool } = openPool(o, o.poolSize);
  const { db: engineDb } = openPool(o, o.enginePoolSize);
  const listeners = new Set<pg.Client>();
  /** Set by destroy(): no listener reconnects after it. */
  let closed = false;
  let streamChannelName: Promise<string> | undefined;

  /**
   * LISTENs on a connection of its own. On a lost connection it reconnects, every second until
   * the database is back, and calls `onConnect` again: notifications sent meanwhile were missed.
   * Only the first connect may fail to the caller.
   */
  const listenOn = async (channelFor: (schema: string) => string, onNotify: (payload: string, schema: string) => void, onConnect: () => void): Promise<() => Promise<void>> => {
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
        c.on('notification', (n) => onNotify(n.payload ?? '', schema));
        await c.query(`LISTEN ${c.escapeIdentifier(channelFor(schema))}`);
      } catch (err) {
        lose();
        throw err;
      }
      if (stopped) return void (await c.end());
      established = true;
      client = c;
      listeners.add(c);
      onConnect();
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
      // Rows other workers hold are skipped (SKIP LOCKED); of the rest, the oldest due first
      // and no more than `perEndpoint` of any one endpoint.
      const r = await sql<DeliveryTable>`
        UPDATE deliveries SET next_attempt_at = ${a.leaseUntil}, lease_owner = ${a.owner}
        WHERE id = ANY(ARRAY(
          SELECT id FROM (
            SELECT id, next_attempt_at, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at) AS rn
            FROM (SELECT id, endpoint_id, next_attempt_at FROM deliveries
                  WHERE status = 'pending' AND next_attempt_at <= ${a.now} AND NOT (endpoint_id = ANY(${a.skipEndpoints}::text[]))
                  ORDER BY next_attempt_at LIMIT ${a.limit * CLAIM_SCAN_FACTOR} FOR UPDATE SKIP LOCKED) locked
          ) ranked WHERE rn <= ${a.perEndpoint} ORDER BY next_attempt_at LIMIT ${a.limit}
        ))
        RETURNING *`.execute(kdb);
      return r.rows;
    },
    async applyDeliveryUpdates(kdb, us: DeliveryUpdate[]) {
      if (!us.length) return;
      const col = <K extends keyof DeliveryUpdate>(k: K) => us.map((u) => u[k]);
      await sql`
        UPDATE deliveries d SET status = u.status, attempts = u.attempts, next_attempt_at = u.next_at,
          updated_at = u.updated_at, delivered_at = u.delivered_at, last_status_code = u.code,
          last_error = u.err, lease_owner = NULL
        FROM unnest(${col('id')}::text[], ${col('leaseOwner')}::text[], ${col('status')}::text[], ${col('attempts')}::int[],
                    ${col('nextAttemptAt')}::int8[], ${col('updatedAt')}::int8[], ${col('deliveredAt')}::int8[],
                    ${col('lastStatusCode')}::int[], ${col('lastError')}::text[])
          AS u(id, owner, status, attempts, next_at, updated_at, delivered_at, code, err)
        WHERE d.id = u.id AND d.lease_owner = u.owner`.execute(kdb);
    },
    // The payload is the schema (due now) or `schema@ms` (due then), so Hooklines sharing a
    // database in other schemas ignore it.
    async notifyDue(kdb, at) {
      if (at === undefined) await sql`SELECT pg_notify(${DUE_CHANNEL}, current_schema())`.execute(kdb);
      else await sql`SELECT pg_notify(${DUE_CHANNEL}, current_schema() || '@' || ${String(Math.round(at))})`.execute(kdb);
    },
    listenDue(listener) {
      const onNotify = (payload: string, schema: string) => {
        if (payload === schema) return listener.due();
        if (!payload.startsWith(`${schema}@`)) return;
        const at = Number(payload.slice(schema.length + 1));
        if (Number.isSafeInteger(at)) listener.dueAt(at);
      };
      return listenOn(() => DUE_CHANNEL, onNotify, () => listener.connected());
    },
    async notifyStream(kdb, payloads) {
      streamChannelName ??= sql<{ s: string }>`SELECT current_schema() AS s`.execute(kdb).then((r) => streamChannel(r.rows[0]!.s));
      const channel = await streamChannelName.catch((err) => {
        streamChannelName = undefined;
        throw err;
      });
      // One statement, one commit: the notifications arrive together and in array order.
      await sql`SELECT pg_notify(${channel}, p) FROM unnest(${payloads}::text[]) AS p`.execute(kdb);
    },
    listenStream(onPayload) {
      return listenOn(streamChannel, (payload) => onPayload(payload), () => {});
    },
    async destroy() {
      closed = true;
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
    },
  };
  return { db, engineDb, ops, pool };
}
