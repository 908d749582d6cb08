/**
 * Named prepared statements for PostgreSQL's hot statements (a publish's two). Parsing
 * and planning such a statement cost the server more than running it (a publish's subscription
 * read: 0.24 ms as text, 0.08 ms prepared, on this project's benchmark machine), and pg only
 * prepares a statement that has a name, which Kysely never gives. So a statement opts in by
 * starting with `preparedAs(name)`, and each pooled connection prepares it once by that name.
 * Its text must then be the same every time (arrays as parameters, never lists spliced in).
 *
 * After five runs PostgreSQL may keep one generic plan for a prepared statement. Only the
 * publish's statements are marked (key lookups and inserts, whose plan does not depend on how
 * big the queue is). The delivery side's are not: prepared, the result batch made one
 * `hookline serve` saturate at 4,000 events/s in three runs of three, and with the claim
 * prepared deliveries fell to half of 4,000/s in one full benchmark run of four.
 */
import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';

const MARK = '/* prepared:';

/** Put first in a statement's template: the statement is prepared once per connection as `name`. */
export function preparedAs(name: string): RawBuilder<unknown> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`prepared statement names are lower-case words: "${name}"`);
  return sql.raw(`${MARK}${name} */ `);
}

/**
 * A plan cached before a migration changed a table (another process upgraded while this one ran)
 * fails with this once; it fails before running anything, so the statement is prepared again
 * under a new name and run once more.
 */
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

type Query = (text: unknown, values?: unknown, callback?: unknown) => unknown;

/** Makes `client` run marked statements by name; everything else passes through untouched. */
export function prepareMarkedStatements(client: pg.ClientBase): void {
  const query = client.query.bind(client) as Query;
  const generation = new Map<string, number>();
  const marked: Query = (text, values, callback) => {
    if (typeof text !== 'string' || !text.startsWith(MARK) || typeof values === 'function' || callback !== undefined) return query(text, values, callback);
    const name = text.slice(MARK.length, text.indexOf(' */'));
    const run = () => query({ name: `hl_${name}_${generation.get(name) ?? 0}`, text, values }) as Promise<unknown>;
    return run().catch((err: unknown) => {
      if (!isStalePlan(err)) throw err;
      generation.set(name, (generation.get(name) ?? 0) + 1);
      return run();
    });
  };
  (client as unknown as { query: Query }).query = marked;
}
