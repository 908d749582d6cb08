import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** SQL for the record of published event types. Reached as `store.eventTypes`, so it joins the caller's transaction. */
export class EventTypeRecords {
  constructor(private readonly db: Kysely<Database>) {}

  /** Notes types as published; ones already noted keep their first time. */
  async record(types: readonly string[], now: number): Promise<void> {
    if (!types.length) return;
    // Sorted, so two transactions noting the same new types lock them in one order (no deadlock).
    const rows = [...new Set(types)].sort().map((type) => ({ env_id: '', type, first_published_at: now }));
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
  async matching(patterns: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const exact = patterns.filter((p) => !p.endsWith('.*'));
    if (exact.length) for (const { type } of await this.db.selectFrom('event_types').select('type').where('type', 'in', exact).execute()) found.add(type);
    for (const pattern of patterns.filter((p) => p.endsWith('.*'))) {
      const prefix = pattern.slice(0, -1);
      const hit = await this.db
        .selectFrom('event_types')
        .select('type')
        .where(sql<string>`substr(type, 1, ${prefix.length})`, '=', prefix)
        .limit(1)
        .executeTakeFirst();
      if (hit) found.add(pattern);
    }
    return found;
  }

  /** Up to `limit` published types, for "did you mean" suggestions. */
  async list(limit: number): Promise<string[]> {
    return (await this.db.selectFrom('event_types').select('type').orderBy('type').limit(limit).execute()).map((r) => r.type);
  }
}
