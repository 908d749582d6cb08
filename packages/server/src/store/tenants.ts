import { type Kysely, sql } from 'kysely';
import { TENANT_TABLES } from './migrations.js';
import type { Database, EnvTable, OrgTable } from './schema.js';
import type { EnvRecord, OrgRecord, OrgSettings } from './values.js';

const orgOf = (row: OrgTable): OrgRecord => ({ ...row, is_default: row.is_default === 1, settings: JSON.parse(row.settings) as OrgSettings });
const envOf = (row: EnvTable): EnvRecord => ({ ...row, is_default: row.is_default === 1 });
/** Tries at truncating the log after an erasure, 10 ms apart, before giving up. */
const TRUNCATE_ATTEMPTS = 100;

/** SQL for orgs and their environments (docs/tenants.md). Reached as `store.tenants`, so it joins the caller's transaction. */
export class TenantRecords {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async insertOrg(org: OrgRecord): Promise<void> {
    await this.db
      .insertInto('orgs')
      .values({ ...org, is_default: org.is_default ? 1 : 0, settings: JSON.stringify(org.settings) })
      .execute();
  }
  async getOrg(id: string): Promise<OrgRecord | undefined> {
    const row = await this.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && orgOf(row);
  }
  async listOrgs(): Promise<OrgRecord[]> {
    return (await this.db.selectFrom('orgs').selectAll().orderBy('created_at').orderBy('id').execute()).map(orgOf);
  }
  async updateOrg(id: string, patch: { name?: string; settings?: OrgSettings; updated_at: number }): Promise<OrgRecord | undefined> {
    const { settings, ...rest } = patch;
    await this.db
      .updateTable('orgs')
      .set({ ...rest, ...(settings ? { settings: JSON.stringify(settings) } : {}) })
      .where('id', '=', id)
      .execute();
    return this.getOrg(id);
  }
  async deleteOrg(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('orgs').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async insertEnv(env: EnvRecord): Promise<void> {
    await this.db
      .insertInto('envs')
      .values({ ...env, is_default: env.is_default ? 1 : 0 })
      .execute();
  }
  async getEnv(id: string): Promise<EnvRecord | undefined> {
    const row = await this.db.selectFrom('envs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && envOf(row);
  }
  async listEnvs(orgId: string): Promise<EnvRecord[]> {
    return (await this.db.selectFrom('envs').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute()).map(envOf);
  }
  async defaultEnv(orgId: string): Promise<EnvRecord | undefined> {
    const row = await this.db.selectFrom('envs').selectAll().where('org_id', '=', orgId).where('is_default', '=', 1).executeTakeFirst();
    return row && envOf(row);
  }
  async countEnvs(): Promise<number> {
    const row = await this.db
      .selectFrom('envs')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  async deleteEnv(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('envs').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The installation's default org and its default environment, once written. */
  async defaultTenant(): Promise<{ org: OrgRecord; env: EnvRecord } | undefined> {
    const org = await this.db.selectFrom('orgs').selectAll().where('is_default', '=', 1).executeTakeFirst();
    if (!org) return undefined;
    const env = await this.defaultEnv(org.id);
    return env && { org: orgOf(org), env };
  }

  /** Gives rows stored before tenants existed (env_id '') to `envId`; once, when the default tenant is written. */
  async adoptUntenanted(envId: string): Promise<void> {
    for (const table of [...TENANT_TABLES, 'event_types'] as const) {
      await sql`UPDATE ${sql.table(table)} SET env_id = ${envId} WHERE env_id = ''`.execute(this.db);
    }
  }

  /**
   * Deletes up to `limit` rows of one environment's data, children before parents, in one
   * statement; 0 when nothing is left. The caller loops, so erasing a large tenant is many
   * short statements and never one long lock over other tenants' rows.
   */
  async eraseBatch(envId: string, limit: number): Promise<number> {
    const steps = [
      sql`DELETE FROM attempts WHERE id IN (SELECT a.id FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.env_id = ${envId} LIMIT ${limit})`,
      sql`DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE env_id = ${envId} LIMIT ${limit})`,
      sql`DELETE FROM events WHERE id IN (SELECT id FROM events WHERE env_id = ${envId} LIMIT ${limit})`,
      sql`DELETE FROM run_logs WHERE run_id IN (SELECT l.run_id FROM run_logs l JOIN runs r ON r.id = l.run_id WHERE r.env_id = ${envId} LIMIT ${limit})`,
      sql`DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE env_id = ${envId} LIMIT ${limit})`,
      sql`DELETE FROM webhook_triggers WHERE env_id = ${envId}`,
      sql`DELETE FROM schedules WHERE env_id = ${envId}`,
      sql`DELETE FROM post_action_bindings WHERE env_id = ${envId}`,
      sql`DELETE FROM post_actions WHERE env_id = ${envId}`,
      sql`DELETE FROM agents WHERE env_id = ${envId}`,
      sql`DELETE FROM crews WHERE env_id = ${envId}`,
      sql`DELETE FROM endpoint_subscriptions WHERE endpoint_id IN (SELECT id FROM endpoints WHERE env_id = ${envId})`,
      sql`DELETE FROM endpoints WHERE env_id = ${envId}`,
      sql`DELETE FROM inspector_requests WHERE id IN (SELECT q.id FROM inspector_requests q JOIN inspector_bins b ON b.name = q.bin WHERE b.env_id = ${envId} LIMIT ${limit})`,
      sql`DELETE FROM inspector_bins WHERE env_id = ${envId}`,
      sql`DELETE FROM event_types WHERE env_id = ${envId}`,
    ];
    for (const step of steps) {
      const deleted = Number((await step.execute(this.db)).numAffectedRows ?? 0);
      if (deleted > 0) return deleted;
    }
    return 0;
  }

  /**
   * After an erasure: SQLite copies the write-ahead log into the (zeroed) file and truncates it,
   * so no earlier page image of the erased rows stays in the log. PostgreSQL's dead rows are
   * unreachable at once and their space is reused by vacuum.
   */
  async settleErasure(): Promise<void> {
    if (this.dialect !== 'sqlite') return;
    // The checkpoint thread (sqlite-checkpointer.ts) may hold the checkpoint for a moment:
    // SQLite then answers busy instead of truncating (1 call in 400 under writes). Try again.
    for (let attempt = 1; ; attempt++) {
      const { rows } = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(this.db);
      if (!rows[0]?.busy) return;
      if (attempt === TRUNCATE_ATTEMPTS) throw new Error(`the write-ahead log could not be truncated after the erasure (busy ${attempt} times)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Whether an environment holds anything (so deleting it needs a confirmation). */
  async holdsData(envId: string): Promise<boolean> {
    for (const table of TENANT_TABLES) {
      const row = await sql<{ one: number }>`SELECT 1 AS one FROM ${sql.table(table)} WHERE env_id = ${envId} LIMIT 1`.execute(this.db);
      if (row.rows.length) return true;
    }
    return false;
  }

  /** Rows of `table` in one environment (quotas: endpoints, agents). */
  async countIn(table: 'endpoints' | 'agents', envId: string): Promise<number> {
    const row = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE env_id = ${envId}`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }

  /** Bytes of event payloads one environment holds (the stored-bytes quota). */
  async storedBytes(envId: string): Promise<number> {
    const size = this.dialect === 'postgres' ? sql`octet_length(payload)` : sql`length(CAST(payload AS BLOB))`;
    const row = await sql<{ n: number | string | null }>`SELECT sum(${size}) AS n FROM events WHERE env_id = ${envId}`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }
}
