import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** SQL for portal sessions ended by a logout. Reached as `store.portalSessions`, so it joins the caller's transaction. */
export class PortalSessionRecords {
  constructor(private readonly db: Kysely<Database>) {}

  /** Notes session `id` as ended until `expiresAt`, and drops the notes whose tokens have expired anyway. */
  async end(id: string, expiresAt: number, now: number): Promise<void> {
    await this.db.deleteFrom('ended_portal_sessions').where('expires_at', '<=', now).execute();
    await this.db
      .insertInto('ended_portal_sessions')
      .values({ id, expires_at: expiresAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async isEnded(id: string): Promise<boolean> {
    return (await this.db.selectFrom('ended_portal_sessions').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }
}
