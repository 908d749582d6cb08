import { storableText } from '../util/index.js';
import type { Kysely } from 'kysely';
import type { PreparedWrites } from './dialect.js';
import type { Page } from './store.js';
import type { Database } from './schema.js';
import type { AgentRecord, CrewRecord, RunLogRecord, RunRecord, RunStatus, RunTriggerType } from './values.js';

export interface RunFilter extends Page {
  agentId?: string;
  crewId?: string;
  /** Any text: one that is no RunTriggerType matches no run. */
  triggerType?: string;
  /** The schedule or named webhook trigger that started the run (the agent's id for its own trigger URL). */
  triggerId?: string;
  status?: RunStatus;
  since?: number;
  until?: number;
}

/**
 * SQL for crews, agents and runs. Reached as `store.agents`, so it joins the caller's transaction.
 * What the API reads takes the environment first and finds only its rows; the `find…` reads and
 * the executor's queue work across tenants (inbound trigger URLs name an agent alone, and the
 * queue is the installation's), each row carrying its own `env_id`.
 */
export class AgentRecords {
  constructor(
    private readonly db: Kysely<Database>,
    /** SQLite's prepared statements for the trigger intake's reads and writes. */
    private readonly prepared?: PreparedWrites,
  ) {}

  async insertCrew(row: CrewRecord): Promise<void> {
    await this.db.insertInto('crews').values(row).execute();
  }
  getCrew(envId: string, id: string): Promise<CrewRecord | undefined> {
    return this.db.selectFrom('crews').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
  }
  /** A crew of any tenant: crew ids are unique in the installation (inbound URLs name them). */
  findCrew(id: string): Promise<CrewRecord | undefined> {
    return this.db.selectFrom('crews').selectAll().where('id', '=', id).executeTakeFirst();
  }
  listCrews(envId: string): Promise<CrewRecord[]> {
    return this.db.selectFrom('crews').selectAll().where('env_id', '=', envId).orderBy('created_at').execute();
  }
  async updateCrew(envId: string, id: string, patch: Partial<CrewRecord>): Promise<CrewRecord | undefined> {
    await this.db.updateTable('crews').set(patch).where('env_id', '=', envId).where('id', '=', id).execute();
    return this.getCrew(envId, id);
  }
  async deleteCrew(envId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('crews').where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async countAgentsInCrew(envId: string, crewId: string): Promise<number> {
    const r = await this.db
      .selectFrom('agents')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('env_id', '=', envId)
      .where('crew_id', '=', crewId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async insertAgent(row: AgentRecord): Promise<void> {
    await this.db.insertInto('agents').values(row).execute();
  }
  /** Agents of any crew with this name (names are unique per crew only). */
  findAgentsByName(envId: string, name: string): Promise<AgentRecord[]> {
    return this.db.selectFrom('agents').selectAll().where('env_id', '=', envId).where('name', '=', name).execute();
  }
  /** Agents of any tenant, by id: the callbacks being sent (the dispatcher is the installation's). */
  getAgents(ids: string[]): Promise<AgentRecord[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db
      .selectFrom('agents')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
  }
  async getAgent(envId: string, id: string): Promise<AgentRecord | undefined> {
    // Through findAgent, so SQLite's kept rows serve the API's reads too.
    const agent = await this.findAgent(id);
    return agent?.env_id === envId ? agent : undefined;
  }
  /** An agent of any tenant: inbound trigger URLs name the agent alone (ids are unique in the installation), and the queue is everyone's. */
  findAgent(id: string): Promise<AgentRecord | undefined> {
    if (this.prepared) return this.prepared.getAgent(this.db, id);
    return this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async listAgents(envId: string, page: Page & { crewId?: string }): Promise<{ rows: AgentRecord[]; total: number }> {
    let q = this.db.selectFrom('agents').where('env_id', '=', envId);
    if (page.crewId) q = q.where('crew_id', '=', page.crewId);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('crew_id').orderBy('name').limit(page.limit).offset(page.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }
  /** Agents defined by AGENT.md files. */
  listFileAgents(envId: string): Promise<AgentRecord[]> {
    return this.db.selectFrom('agents').selectAll().where('env_id', '=', envId).where('source', '=', 'file').execute();
  }
  async updateAgent(envId: string, id: string, patch: Partial<AgentRecord>): Promise<AgentRecord | undefined> {
    const r = await this.db.updateTable('agents').set(patch).where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) ? this.getAgent(envId, id) : undefined;
  }
  async deleteAgent(envId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('agents').where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Inserts runs (one or a group-committed batch of triggers): on SQLite row by row through a
   * prepared statement, elsewhere in one statement per 500. A row whose idempotency key the
   * agent already used (in the table or earlier in `rows`) comes back as that earlier run, with
   * created false.
   */
  async insertRuns(rows: RunRecord[]): Promise<{ run: RunRecord; created: boolean }[]> {
    const created = this.prepared ? await this.prepared.insertRuns(this.db, rows) : await this.insertRunsBuilt(rows);
    const results: { run: RunRecord; created: boolean }[] = [];
    for (const row of rows) {
      if (created.has(row.id)) results.push({ run: row, created: true });
      else
        results.push({
          run: await this.db
            .selectFrom('runs')
            .selectAll()
            .where('agent_id', '=', row.agent_id)
            .where('idempotency_key', '=', row.idempotency_key)
            .executeTakeFirstOrThrow(),
          created: false,
        });
    }
    return results;
  }
  private async insertRunsBuilt(rows: RunRecord[]): Promise<Set<string>> {
    const created = new Set<string>();
    for (let i = 0; i < rows.length; i += 500) {
      const r = await this.db
        .insertInto('runs')
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, prompt: storableText(r.prompt) })))
        .onConflict((oc) => oc.columns(['agent_id', 'idempotency_key']).doNothing())
        .returning('id')
        .execute();
      for (const { id } of r) created.add(id);
    }
    return created;
  }
  getRun(envId: string, id: string): Promise<RunRecord | undefined> {
    return this.db.selectFrom('runs').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
  }
  async listRuns(envId: string, f: RunFilter): Promise<{ rows: RunRecord[]; total: number }> {
    let q = this.db.selectFrom('runs').where('env_id', '=', envId);
    if (f.agentId) q = q.where('agent_id', '=', f.agentId);
    if (f.crewId) q = q.where('crew_id', '=', f.crewId);
    if (f.triggerType) q = q.where('trigger_type', '=', f.triggerType as RunTriggerType);
    if (f.triggerId) q = q.where('trigger_id', '=', f.triggerId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
    if (f.until !== undefined) q = q.where('created_at', '<', f.until);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }
  async countRunning(agentId: string, now: number): Promise<number> {
    const r = await this.db
      .selectFrom('runs')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('agent_id', '=', agentId)
      .where('status', '=', 'running')
      .where('lease_until', '>', now)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  /** Agents that have runs waiting, of every tenant (an index-only scan of runs_queue). */
  async listAgentsWithQueuedRuns(): Promise<string[]> {
    const rows = await this.db.selectFrom('runs').select('agent_id').distinct().where('status', '=', 'queued').execute();
    return rows.map((r) => r.agent_id);
  }
  /** An agent's oldest queued runs, for the executor to start in order. */
  listQueued(agentId: string, limit: number): Promise<RunRecord[]> {
    return this.db
      .selectFrom('runs')
      .selectAll()
      .where('status', '=', 'queued')
      .where('agent_id', '=', agentId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }
  /** queued → running, if still queued (another worker may have won). */
  async startRun(id: string, owner: string, now: number, leaseUntil: number): Promise<boolean> {
    const r = await this.db
      .updateTable('runs')
      .set({ status: 'running', lease_owner: owner, lease_until: leaseUntil, started_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  async renewLeases(owner: string, ids: string[], leaseUntil: number): Promise<void> {
    if (ids.length)
      await this.db
        .updateTable('runs')
        .set({ lease_until: leaseUntil })
        .where('id', 'in', ids)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'running')
        .execute();
  }
  /** Writes a final state, if the run is still queued or running; false when it already ended. */
  async finishRun(
    id: string,
    patch: Pick<RunRecord, 'status' | 'output' | 'error' | 'exit_code' | 'iterations_used' | 'tool_calls' | 'tokens_used' | 'finished_at' | 'updated_at'>,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('runs')
      .set({ ...patch, output: storableText(patch.output), error: storableText(patch.error), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  async appendLogs(rows: RunLogRecord[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500)
      await this.db
        .insertInto('run_logs')
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, line: storableText(r.line) })))
        .execute();
  }
  /** Log lines of a run (oldest first, after `afterSeq`) or of an agent's recent runs (newest first); lines follow their run's tenant. */
  listLogs(envId: string, f: { runId?: string; agentId?: string; afterSeq?: number; limit: number }): Promise<RunLogRecord[]> {
    let q = this.db
      .selectFrom('run_logs')
      .selectAll()
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('runs').select('runs.id').whereRef('runs.id', '=', 'run_logs.run_id').where('runs.env_id', '=', envId)),
      );
    if (f.runId)
      q = q
        .where('run_id', '=', f.runId)
        .where('seq', '>', f.afterSeq ?? 0)
        .orderBy('seq');
    else q = q.where('agent_id', '=', f.agentId!).orderBy('at', 'desc').orderBy('seq', 'desc');
    return q.limit(f.limit).execute();
  }

  /** Running runs whose worker stopped renewing their lease. */
  listOrphaned(now: number, limit: number): Promise<RunRecord[]> {
    return this.db.selectFrom('runs').selectAll().where('status', '=', 'running').where('lease_until', '<', now).limit(limit).execute();
  }
}
