import type { Kysely } from 'kysely';
import type { DialectOps, KeyWatch } from './dialect.js';
import type { Database } from './schema.js';
import type { ApiKeyRecord } from './values.js';

/** SQL for API keys. Reached as `store.keys`, so it joins the caller's transaction. */
export class KeyRecords {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
  ) {}

  async insert(row: ApiKeyRecord): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }
  findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
  }
  get(id: string): Promise<ApiKeyRecord | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }
  list(): Promise<ApiKeyRecord[]> {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
  }
  /** Revokes a live key; returns once no process's cache of keys still holds it. */
  revoke(id: string, now: number): Promise<boolean> {
    return this.ops.changeKeys(this.db, async (db) => {
      const r = await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }
  /**
   * Deletes every key limited to an org (`envId` null) or to one of its environments, live or
   * revoked (an erased tenant leaves no row); returns their ids, as `revoke` does, once no
   * other process's cache still holds one.
   */
  async deleteScope(orgId: string, envId: string | null): Promise<string[]> {
    let ids: string[] = [];
    await this.ops.changeKeys(this.db, async (db) => {
      let query = db.deleteFrom('api_keys').where('org_id', '=', orgId);
      if (envId !== null) query = query.where('env_id', '=', envId);
      ids = (await query.returning('id').execute()).map((row) => row.id);
      return ids.length > 0;
    });
    return ids;
  }
  /** Watches for key changes other connections commit (see ApiKeys' cache); `onChange` when one is heard of. */
  watch(onChange: () => void): Promise<KeyWatch> {
    return this.ops.watchKeys(onChange);
  }
  async touch(id: string, now: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
  }
  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('api_keys')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
