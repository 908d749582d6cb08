import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Migrations are code, written once with Kysely's schema builder so both dialects get
 * the same tables. Never edit a shipped migration: add the next one.
 */
const m0001: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .execute();

    await db.schema
      .createTable('endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('headers_enc', 'text')
      .addColumn('timeout_ms', 'integer', (c) => c.notNull())
      .addColumn('retry_schedule', 'text')
      .addColumn('signing_scheme', 'text', (c) => c.notNull())
      .addColumn('rate_limit', 'integer')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('disabled_at', 'bigint')
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('prev_secret_enc', 'text')
      .addColumn('prev_secret_expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('endpoint_subscriptions')
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('endpoints.id').onDelete('cascade'))
      .addColumn('pattern', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('endpoint_subscriptions_pk', ['endpoint_id', 'pattern'])
      .execute();
    await db.schema.createIndex('endpoint_subscriptions_pattern').on('endpoint_subscriptions').column('pattern').execute();

    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_created_at').on('events').column('created_at').execute();

    await db.schema
      .createTable('deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .execute();
    // The queue: only pending rows are indexed by due time, so the claim scan stays small.
    await db.schema.createIndex('deliveries_due').on('deliveries').column('next_attempt_at').where(sql.ref('status'), '=', 'pending').execute();
    await db.schema.createIndex('deliveries_endpoint').on('deliveries').columns(['endpoint_id', 'created_at']).execute();
    await db.schema.createIndex('deliveries_event').on('deliveries').column('event_id').execute();
    await db.schema.createIndex('deliveries_status_created').on('deliveries').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response_body', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .execute();
    await db.schema.createIndex('attempts_delivery').on('attempts').columns(['delivery_id', 'attempt']).execute();
  },
};

const m0002: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('crews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('crew_id', 'text', (c) => c.notNull().references('crews.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('runner', 'text', (c) => c.notNull())
      .addColumn('runner_config_enc', 'text', (c) => c.notNull())
      .addColumn('prompt_template', 'text', (c) => c.notNull())
      .addColumn('timeout_ms', 'integer', (c) => c.notNull())
      .addColumn('max_concurrent_runs', 'integer', (c) => c.notNull())
      .addColumn('model', 'text')
      .addColumn('webhook_secret_enc', 'text', (c) => c.notNull())
      .addColumn('rate_limit_per_minute', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('agents_crew').on('agents').column('crew_id').execute();
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('crew_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('trigger_type', 'text', (c) => c.notNull())
      .addColumn('trigger_id', 'text')
      .addColumn('trigger_name', 'text')
      .addColumn('prompt', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('output', 'text')
      .addColumn('error', 'text')
      .addColumn('exit_code', 'integer')
      .addColumn('iterations_used', 'integer')
      .addColumn('tool_calls', 'integer')
      .addColumn('tokens_used', 'integer')
      .addColumn('idempotency_key', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('runs_agent_created').on('runs').columns(['agent_id', 'created_at']).execute();
    await db.schema.createIndex('runs_status_created').on('runs').columns(['status', 'created_at']).execute();
    // Same key, same agent: the same run (Idempotency-Key on the inbound trigger).
    await db.schema.createIndex('runs_idempotency').on('runs').columns(['agent_id', 'idempotency_key']).unique().execute();
  },
};

const m0003: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('run_logs')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('line', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_logs_pk', ['run_id', 'seq'])
      .execute();
    await db.schema.createIndex('run_logs_agent').on('run_logs').columns(['agent_id', 'at']).execute();
  },
};

const m0004: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('schedules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('cron', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('prompt', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('misfire_grace_ms', 'integer', (c) => c.notNull())
      .addColumn('next_run_at', 'bigint')
      .addColumn('last_run_at', 'bigint')
      .addColumn('last_run_id', 'text')
      .addColumn('last_skip_reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // The scheduler's scan: enabled schedules by due time.
    await db.schema.createIndex('schedules_due').on('schedules').columns(['enabled', 'next_run_at']).execute();
    await db.schema.createIndex('schedules_agent').on('schedules').column('agent_id').execute();
  },
};

const m0005: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('webhook_triggers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('crew_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scheme', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('prompt_template', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // The URL is /webhooks/{crew}/{agent}/{name}: one name per agent.
    await db.schema.createIndex('webhook_triggers_agent_name').on('webhook_triggers').columns(['agent_id', 'name']).unique().execute();
  },
};

const m0006: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('agents')
      .addColumn('source', 'text', (c) => c.notNull().defaultTo('api'))
      .execute();
    await db.schema.alterTable('agents').addColumn('source_path', 'text').execute();
    await db.schema.alterTable('agents').addColumn('source_hash', 'text').execute();
  },
};

const m0007: Migration = {
  async up(db: Kysely<any>) {
    // The executor asks "which agents have queued runs" and "this agent's oldest queued runs".
    await db.schema.createIndex('runs_queue').on('runs').columns(['status', 'agent_id', 'created_at', 'id']).execute();
  },
};

const m0008: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('post_actions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('url_template', 'text', (c) => c.notNull())
      .addColumn('headers_enc', 'text')
      .addColumn('body_template', 'text', (c) => c.notNull())
      .addColumn('auth_type', 'text', (c) => c.notNull())
      .addColumn('auth_enc', 'text')
      .addColumn('timeout_ms', 'integer', (c) => c.notNull())
      .addColumn('retry_count', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('post_action_bindings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('post_action_id', 'text', (c) => c.notNull())
      .addColumn('trigger_type', 'text', (c) => c.notNull())
      .addColumn('trigger_id', 'text', (c) => c.notNull())
      .addColumn('fire_when', 'text', (c) => c.notNull())
      .addColumn('body_override', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // One binding per (post-action, trigger): a second one is a 409.
    await db.schema
      .createIndex('post_action_bindings_unique')
      .on('post_action_bindings')
      .columns(['post_action_id', 'trigger_type', 'trigger_id'])
      .unique()
      .execute();
    // A run's end looks up the bindings of its trigger.
    await db.schema.createIndex('post_action_bindings_trigger').on('post_action_bindings').columns(['trigger_type', 'trigger_id']).execute();
  },
};

const m0009: Migration = {
  async up(db: Kysely<any>) {
    // Notifications ride the delivery queue: the channel, the run that caused them and their
    // frozen request (sealed: rendered headers and URLs may hold credentials).
    await db.schema
      .alterTable('deliveries')
      .addColumn('channel', 'text', (c) => c.notNull().defaultTo('endpoint'))
      .execute();
    for (const col of ['run_id', 'agent_id', 'target', 'source_id', 'request_enc']) await db.schema.alterTable('deliveries').addColumn(col, 'text').execute();
    // The notification log lists run-caused deliveries, newest first, filtered by run or agent.
    await db.schema.createIndex('deliveries_notification_log').on('deliveries').column('created_at').where(sql.ref('run_id'), 'is not', null).execute();
    await db.schema.createIndex('deliveries_run').on('deliveries').column('run_id').where(sql.ref('run_id'), 'is not', null).execute();
    await db.schema.createIndex('deliveries_agent').on('deliveries').columns(['agent_id', 'created_at']).where(sql.ref('agent_id'), 'is not', null).execute();
    // The agent's callback and its notification rules live on the agent.
    for (const col of ['callback_url', 'callback_headers_enc', 'callback_secret_enc', 'notifications'])
      await db.schema.alterTable('agents').addColumn(col, 'text').execute();
  },
};

const m0010: Migration = {
  async up(db: Kysely<any>) {
    // The Inspector's request bins (docs/inspector.md). `next_seq` numbers each bin's captures, so keeping
    // the newest N is one range delete, and updating it locks the bin row for concurrent captures.
    await db.schema
      .createTable('inspector_bins')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('scheme', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text')
      .addColumn('next_seq', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('inspector_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('bin', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('headers', 'text', (c) => c.notNull())
      // The stored bytes as base64: bodies may be binary, and PostgreSQL text cannot hold NUL.
      .addColumn('body_base64', 'text', (c) => c.notNull())
      .addColumn('body_truncated', 'integer', (c) => c.notNull())
      .addColumn('size_bytes', 'integer', (c) => c.notNull())
      .addColumn('remote_address', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('signature', 'text')
      .execute();
    await db.schema.createIndex('inspector_requests_bin_seq').on('inspector_requests').columns(['bin', 'seq']).unique().execute();
  },
};

const m0011: Migration = {
  async up(db: Kysely<any>) {
    // The overview's window scans (GET /api/v1/stats/overview). Finished deliveries by the time
    // of their outcome: partial, so the queue's pending rows (updated on every attempt) stay out.
    await db.schema
      .createIndex('deliveries_outcome')
      .on('deliveries')
      .columns(['updated_at', 'status', 'channel', 'endpoint_id'])
      .where(sql.ref('status'), '<>', 'pending')
      .execute();
    await db.schema.createIndex('runs_finished').on('runs').columns(['finished_at', 'status']).execute();
    // Latency samples by start time; retention's prune by age reads it too.
    await db.schema.createIndex('attempts_started').on('attempts').columns(['started_at', 'duration_ms']).execute();
  },
};

const m0012: Migration = {
  async up(db: Kysely<any>) {
    // The event types published so far, written once per new type (not per event), kept when
    // events are pruned: "is anyone publishing this?" for subscriptions (endpoint warnings).
    await db.schema
      .createTable('event_types')
      .addColumn('type', 'text', (c) => c.primaryKey())
      .addColumn('first_published_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO event_types (type, first_published_at) SELECT type, MIN(created_at) FROM events GROUP BY type`.execute(db);
  },
};

/** Tables whose rows belong to one tenant (an environment of an org); children (attempts, run logs, captures, subscriptions) follow their parent. */
export const TENANT_TABLES = [
  'endpoints',
  'events',
  'deliveries',
  'crews',
  'agents',
  'runs',
  'schedules',
  'webhook_triggers',
  'post_actions',
  'post_action_bindings',
  'inspector_bins',
] as const;

const m0013: Migration = {
  async up(db: Kysely<any>) {
    // Tenants (docs/tenants.md). The installation's first org and environment are written at
    // start from `org_id`/`env_id` (they may differ per installation), and rows stored before
    // tenants existed (env_id '') are given to it then, once.
    await db.schema
      .createTable('orgs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      // JSON: retention windows, quotas, portal origins and brand; absent keys take the installation's defaults.
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('envs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('envs_org_name').on('envs').columns(['org_id', 'name']).unique().execute();
    // A key of the installation (both null), of an org, or of one environment.
    await db.schema.alterTable('api_keys').addColumn('org_id', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('env_id', 'text').execute();
    // A constant default is metadata only on PostgreSQL 11+ (no rewrite of a large table).
    for (const table of TENANT_TABLES) {
      await db.schema
        .alterTable(table)
        .addColumn('env_id', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    }
    for (const table of ['endpoints', 'agents', 'crews', 'runs', 'schedules', 'webhook_triggers', 'post_actions', 'inspector_bins'])
      await db.schema.createIndex(`${table}_env`).on(table).columns(['env_id', 'created_at']).execute();
    await db.schema.createIndex('events_env_created').on('events').columns(['env_id', 'created_at']).execute();
    await db.schema.createIndex('deliveries_env_created').on('deliveries').columns(['env_id', 'created_at']).execute();
    // Event types become per environment: rebuilt with the tenant in the key.
    await db.schema.alterTable('event_types').renameTo('event_types_old').execute();
    await db.schema
      .createTable('event_types')
      .addColumn('env_id', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('first_published_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('event_types_pk', ['env_id', 'type'])
      .execute();
    await sql`INSERT INTO event_types (env_id, type, first_published_at) SELECT '', type, first_published_at FROM event_types_old`.execute(db);
    await db.schema.dropTable('event_types_old').execute();
  },
};

const m0014: Migration = {
  async up(db: Kysely<any>) {
    // Claims take turns across environments (store/dialect.ts ClaimArgs.perEnv): each claim
    // reads the pending envs by skip-scan and then each env's oldest due rows, both from this index.
    await db.schema
      .createIndex('deliveries_env_due')
      .on('deliveries')
      .columns(['env_id', 'next_attempt_at'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
  },
};

// Portal sessions are sealed tokens, so nothing is stored while they live; a logout notes the id until the token's expiry.
const m0015: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('ended_portal_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ended_portal_sessions_expiry').on('ended_portal_sessions').column('expires_at').execute();
  },
};

export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_agents_runs': m0002,
  '0003_run_logs': m0003,
  '0004_schedules': m0004,
  '0005_webhook_triggers': m0005,
  '0006_agent_files': m0006,
  '0007_run_queue': m0007,
  '0008_post_actions': m0008,
  '0009_notifications': m0009,
  '0010_inspector': m0010,
  '0011_stats_indexes': m0011,
  '0012_event_types': m0012,
  '0013_tenants': m0013,
  '0014_fair_claims': m0014,
  '0015_portal_sessions': m0015,
};
