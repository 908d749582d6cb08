import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** An event type as published in one environment. */
export interface PublishedType {
  env_id: string;
  type: string;
}

/** SQL for the record of published event types. Reached as `store.eventTypes`, so it joins the caller's transaction. */
export class EventTypeRecords {
  constructor(private readonly db: Kysely<Database>) {}

  /** Notes types as published in their environments; ones already noted keep their first time. */
  async record(types: readonly PublishedType[], now: number): Promise<void> {
    if (!types.length) return;
    // Sorted, so two transactions noting the same new types lock them in one order (no deadlock).
    const rows = [...new Map(types.map((t) => [`${t.env_id}\n${t.type}`, t])).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, t]) => ({ env_id: t.env_id, type: t.type, first_published_at: now }));
    await this.db
      .insertInto('event_types')
      .values(rows)
      .onConflict((oc) => oc.columns(['env_id', 'type']).doNothing())
      .execute();
  }

  /**
   * Which of `patterns` (exact types or "prefix.*") match a published type. Prefixes are
   * compared with substr, not LIKE or a range: no escaping, and no collation reordering '.'.
   */
  async matching(envId: string, patterns: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const own = this.db.selectFrom('event_types').select('type').where('env_id', '=', envId);
    const exact = patterns.filter((p) => !p.endsWith('.*'));
    if (exact.length) for (const { type } of await own.where('type', 'in', exact).execute()) found.add(type);
    for (const pattern of patterns.filter((p) => p.endsWith('.*'))) {
      const prefix = pattern.slice(0, -1);
      const hit = await own
        .where(sql<string>`substr(type, 1, ${prefix.length})`, '=', prefix)
        .limit(1)
        .executeTakeFirst();
      if (hit) found.add(pattern);
    }
    return found;
  }

  /** Up to `limit` types published in the environment, for "did you mean" suggestions. */
  async list(envId: string, limit: number): Promise<string[]> {
    return (await this.db.selectFrom('event_types').select('type').where('env_id', '=', envId).orderBy('type').limit(limit).execute()).map((r) => r.type);
  }
}
