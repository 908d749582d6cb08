import type { Kysely } from 'kysely';
import type { Page } from './store.js';
import { flagOf, flagPatch, flagRow } from './rows.js';
import type { Database } from './schema.js';
import type { ScheduleRecord } from './values.js';

/** What a scheduler saw of a schedule; its write succeeds only if the row still says this. */
export interface ScheduleSeen {
  next_run_at: number;
  last_run_id: string | null;
}

/** SQL for cron schedules. Reached as `store.schedules`, so it joins the caller's transaction. */
export class ScheduleRecords {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(schedule: ScheduleRecord): Promise<void> {
    await this.db.insertInto('schedules').values(flagRow(schedule)).execute();
  }
  async get(envId: string, id: string): Promise<ScheduleRecord | undefined> {
    const row = await this.db.selectFrom('schedules').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return row && flagOf(row);
  }
  async list(envId: string, page: Page & { agentId?: string }): Promise<{ rows: ScheduleRecord[]; total: number }> {
    let q = this.db.selectFrom('schedules').where('env_id', '=', envId);
    if (page.agentId) q = q.where('agent_id', '=', page.agentId);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(flagOf), total: Number(total.n) };
  }
  async update(envId: string, id: string, patch: Partial<ScheduleRecord>): Promise<ScheduleRecord | undefined> {
    const r = await this.db.updateTable('schedules').set(flagPatch(patch)).where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) ? this.get(envId, id) : undefined;
  }
  async delete(envId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('schedules').where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  /** With its agent: a schedule must not fire for an agent that is gone. */
  async deleteForAgent(envId: string, agentId: string): Promise<void> {
    await this.db.deleteFrom('schedules').where('env_id', '=', envId).where('agent_id', '=', agentId).execute();
  }

  // The scheduler's: every tenant's schedules, each fired in its own tenant (the row's env_id).

  /** Enabled schedules whose tick is due, oldest due first. */
  async listDue(now: number, limit: number): Promise<ScheduleRecord[]> {
    return (
      await this.db.selectFrom('schedules').selectAll().where('enabled', '=', 1).where('next_run_at', '<=', now).orderBy('next_run_at').limit(limit).execute()
    ).map(flagOf);
  }
  /** The earliest tick any enabled schedule waits for. */
  async nextDueAt(): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('schedules')
      .select((e) => e.fn.min<number | null>('next_run_at').as('t'))
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return r?.t == null ? undefined : Number(r.t);
  }

  /**
   * Compare-and-set: writes `set` only if the row is still enabled with the `next_run_at` and
   * `last_run_id` the caller read. Of several processes handling the same tick, exactly one
   * gets `true`; the others see a row that has moved on.
   */
  async claimTick(id: string, seen: ScheduleSeen, set: Partial<ScheduleRecord>): Promise<boolean> {
    let q = this.db.updateTable('schedules').set(flagPatch(set)).where('id', '=', id).where('enabled', '=', 1).where('next_run_at', '=', seen.next_run_at);
    q = seen.last_run_id === null ? q.where('last_run_id', 'is', null) : q.where('last_run_id', '=', seen.last_run_id);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  /** Records a run started by hand, if no other run was recorded since `lastRunId` was read. */
  async recordManualRun(id: string, lastRunId: string | null, runId: string, now: number): Promise<boolean> {
    let q = this.db.updateTable('schedules').set({ last_run_id: runId, last_run_at: now, updated_at: now }).where('id', '=', id);
    q = lastRunId === null ? q.where('last_run_id', 'is', null) : q.where('last_run_id', '=', lastRunId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
