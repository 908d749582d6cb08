import { type Kysely, sql } from 'kysely';
import { DUE_CHANNEL } from './postgres.js';
import { preparedAs } from './prepared-postgres.js';
import type { Database } from './schema.js';
import type { PublishedType } from './event-types.js';
import type { DeliveryRecord, EventRecord } from './values.js';

/** One group-committed publish: events, the deliveries they fan out to, and types to note. */
export interface PublishBatch {
  /** Distinct ids. */
  events: EventRecord[];
  /** For every event as if it were new; those of an event whose id already existed are dropped. */
  deliveries: DeliveryRecord[];
  /** Types (per environment) not yet known to be in the record of published types; noted if a new event of that environment has one. */
  types: PublishedType[];
  now: number;
}

export interface PublishBatchResult {
  /** Ids that were new. */
  inserted: Set<string>;
  /** The stored rows of ids that already existed, when they were visible to the write. */
  existing: EventRecord[];
}

/**
 * The whole publish write in one PostgreSQL statement (one round trip, atomic on its own):
 * insert the events (ON CONFLICT DO NOTHING), the deliveries of those that were new, the types
 * of those, the wake-up NOTIFY if any delivery went in unleased (one handed off to this process's
 * dispatcher is nobody else's business), and read back the rows of the duplicates.
 * A duplicate inserted by a transaction that committed during the statement is not in its
 * snapshot; `existing` then lacks it and the caller reads it again.
 */
export async function writePublishBatchPostgres(db: Kysely<Database>, b: PublishBatch): Promise<PublishBatchResult> {
  const ev = <K extends keyof EventRecord>(k: K) => b.events.map((e) => e[k]);
  const dl = <K extends keyof DeliveryRecord>(k: K) => b.deliveries.map((d) => d[k] ?? null);
  const channels = b.deliveries.map((d) => d.channel ?? 'endpoint');
  const r = await sql<{
    id: string;
    payload: string | null;
    type: string | null;
    created_at: number | null;
    env_id: string | null;
  }>`${preparedAs('publish_batch')}
    WITH ins AS (
      INSERT INTO events (id, env_id, type, created_at, payload)
      SELECT * FROM unnest(${ev('id')}::text[], ${ev('env_id')}::text[], ${ev('type')}::text[], ${ev('created_at')}::int8[], ${ev('payload')}::text[])
      ON CONFLICT (id) DO NOTHING
      RETURNING id, env_id, type
    ), dl AS (
      INSERT INTO deliveries (id, env_id, event_id, endpoint_id, event_type, status, attempts, next_attempt_at, lease_owner, created_at,
                              updated_at, delivered_at, last_status_code, last_error, channel, run_id, agent_id, target, source_id, request_enc)
      SELECT u.* FROM unnest(${dl('id')}::text[], ${dl('env_id')}::text[], ${dl('event_id')}::text[], ${dl('endpoint_id')}::text[], ${dl('event_type')}::text[],
                             ${dl('status')}::text[], ${dl('attempts')}::int[], ${dl('next_attempt_at')}::int8[], ${dl('lease_owner')}::text[],
                             ${dl('created_at')}::int8[], ${dl('updated_at')}::int8[], ${dl('delivered_at')}::int8[], ${dl('last_status_code')}::int[],
                             ${dl('last_error')}::text[], ${channels}::text[], ${dl('run_id')}::text[], ${dl('agent_id')}::text[], ${dl('target')}::text[],
                             ${dl('source_id')}::text[], ${dl('request_enc')}::text[])
        AS u(id, env_id, event_id, endpoint_id, event_type, status, attempts, next_attempt_at, lease_owner, created_at, updated_at, delivered_at,
             last_status_code, last_error, channel, run_id, agent_id, target, source_id, request_enc)
      WHERE u.event_id IN (SELECT id FROM ins)
      RETURNING lease_owner
    ), noted AS (
      -- Sorted, so two writers noting the same new types lock them in one order (no deadlock).
      INSERT INTO event_types (env_id, type, first_published_at)
      SELECT DISTINCT t.env_id, t.type, ${b.now}::int8 FROM unnest(${b.types.map((t) => t.env_id)}::text[], ${b.types.map((t) => t.type)}::text[]) AS t(env_id, type)
      WHERE (t.env_id, t.type) IN (SELECT env_id, type FROM ins) ORDER BY 1, 2
      ON CONFLICT (env_id, type) DO NOTHING
    )
    SELECT id, NULL AS payload, NULL AS type, NULL AS created_at, NULL AS env_id FROM ins
    UNION ALL
    SELECT e.id, e.payload, e.type, e.created_at, e.env_id FROM events e WHERE e.id = ANY(${ev('id')}::text[]) AND e.id NOT IN (SELECT id FROM ins)
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL FROM (SELECT pg_notify(${DUE_CHANNEL}, current_schema()) FROM (SELECT 1 FROM dl WHERE lease_owner IS NULL LIMIT 1) AS any_queued) AS woken
  `.execute(db);
  const inserted = new Set<string>();
  const existing: EventRecord[] = [];
  for (const row of r.rows) {
    if (row.id === null) continue;
    if (row.payload === null) inserted.add(row.id);
    else existing.push({ id: row.id, env_id: row.env_id!, type: row.type!, created_at: Number(row.created_at), payload: row.payload });
  }
  return { inserted, existing };
}
