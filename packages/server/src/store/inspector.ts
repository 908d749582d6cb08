import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Page } from './store.js';
import { inspectorRequestOf, inspectorRequestRow } from './rows.js';
import type { Database } from './schema.js';
import type { InspectorBinRecord, InspectorRequestRecord } from './values.js';

/** A bin with what its list and detail views show about its captures. */
export interface InspectorBinRow extends InspectorBinRecord {
  request_count: number;
  /** received_at of the newest capture still kept; null when there is none. */
  last_request_at: number | null;
}

/** SQL for the Inspector's bins and captured requests. Reached as `store.inspector`, so it joins the caller's transaction. */
export class InspectorRecords {
  constructor(private readonly db: Kysely<Database>) {}

  /** False when a bin of that name exists (the primary key decides, so races are safe too). */
  async insertBin(row: InspectorBinRecord): Promise<boolean> {
    const r = await this.db
      .insertInto('inspector_bins')
      .values(row)
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    return r !== undefined;
  }

  /** The bin row alone, of any tenant: what a public capture needs (scheme, secret, tenant), without counting its requests. */
  getBinRow(name: string): Promise<InspectorBinRecord | undefined> {
    return this.db.selectFrom('inspector_bins').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async getBin(envId: string, name: string): Promise<InspectorBinRow | undefined> {
    const row = await this.withStats().where('b.env_id', '=', envId).where('b.name', '=', name).executeTakeFirst();
    return row && statsOf(row);
  }

  /** Newest first. */
  async listBins(envId: string, page: Page): Promise<{ rows: InspectorBinRow[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.withStats().where('b.env_id', '=', envId).orderBy('b.created_at', 'desc').orderBy('b.name', 'desc').limit(page.limit).offset(page.offset).execute(),
      this.db
        .selectFrom('inspector_bins')
        .where('env_id', '=', envId)
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(statsOf), total: Number(total.n) };
  }

  async updateBin(envId: string, name: string, patch: Partial<Pick<InspectorBinRecord, 'scheme' | 'secret_enc'>>): Promise<InspectorBinRow | undefined> {
    if (Object.keys(patch).length) await this.db.updateTable('inspector_bins').set(patch).where('env_id', '=', envId).where('name', '=', name).execute();
    return this.getBin(envId, name);
  }

  /** The bin of the tenant `envId` and its requests; call inside a transaction. */
  async deleteBin(envId: string, name: string): Promise<boolean> {
    await this.clearRequests(envId, name);
    const r = await this.db.deleteFrom('inspector_bins').where('env_id', '=', envId).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Stores a capture and drops the bin's older ones beyond `keep`; call inside a transaction.
   * Taking the next seq updates the bin row, which serializes a bin's captures (PostgreSQL row
   * lock, SQLite's single writer). False when the bin no longer exists. Public (a bin's name
   * is its capture URL), so any tenant's bin.
   */
  async insertRequest(row: Omit<InspectorRequestRecord, 'seq'>, keep: number): Promise<boolean> {
    const bumped = await this.db
      .updateTable('inspector_bins')
      .set((eb) => ({ next_seq: eb('next_seq', '+', 1) }))
      .where('name', '=', row.bin)
      .returning('next_seq')
      .executeTakeFirst();
    if (!bumped) return false;
    const seq = Number(bumped.next_seq);
    await this.db
      .insertInto('inspector_requests')
      .values({ ...inspectorRequestRow(row), seq })
      .execute();
    await this.db
      .deleteFrom('inspector_requests')
      .where('bin', '=', row.bin)
      .where('seq', '<=', seq - keep)
      .execute();
    return true;
  }

  async getRequest(envId: string, bin: string, id: string): Promise<InspectorRequestRecord | undefined> {
    const row = await this.ofBin(envId, bin).selectAll().where('id', '=', id).executeTakeFirst();
    return row && inspectorRequestOf(row);
  }

  /** Newest first. */
  async listRequests(envId: string, bin: string, page: Page): Promise<{ rows: InspectorRequestRecord[]; total: number }> {
    const q = this.ofBin(envId, bin);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(inspectorRequestOf), total: Number(total.n) };
  }

  async clearRequests(envId: string, bin: string): Promise<void> {
    await this.db.deleteFrom('inspector_requests').where('bin', '=', bin).where('bin', 'in', this.ownBin(envId, bin)).execute();
  }

  /** The captures of a bin of the tenant `envId` (none for another tenant's bin). */
  private ofBin(envId: string, bin: string) {
    return this.db.selectFrom('inspector_requests').where('bin', '=', bin).where('bin', 'in', this.ownBin(envId, bin));
  }

  private ownBin(envId: string, bin: string) {
    return this.db.selectFrom('inspector_bins').select('name').where('env_id', '=', envId).where('name', '=', bin);
  }

  private withStats() {
    const requests = (eb: ExpressionBuilder<Database & { b: InspectorBinRecord }, 'b'>) =>
      eb.selectFrom('inspector_requests as r').whereRef('r.bin', '=', 'b.name');
    return this.db
      .selectFrom('inspector_bins as b')
      .selectAll('b')
      .select((eb) => [
        requests(eb)
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('request_count'),
        requests(eb)
          .select((e) => e.fn.max('r.received_at').as('m'))
          .as('last_request_at'),
      ]);
  }
}

function statsOf(row: InspectorBinRecord & { request_count: number | string | null; last_request_at: number | string | null }): InspectorBinRow {
  return { ...row, request_count: Number(row.request_count ?? 0), last_request_at: row.last_request_at === null ? null : Number(row.last_request_at) };
}
