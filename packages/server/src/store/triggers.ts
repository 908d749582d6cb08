import type { Kysely } from 'kysely';
import type { Page } from './store.js';
import { flagOf, flagPatch, flagRow } from './rows.js';
import type { Database } from './schema.js';
import type { WebhookTriggerRecord } from './values.js';

/** SQL for named webhook triggers. Reached as `store.triggers`, so it joins the caller's transaction. */
export class TriggerRecords {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(trigger: WebhookTriggerRecord): Promise<void> {
    await this.db.insertInto('webhook_triggers').values(flagRow(trigger)).execute();
  }
  async get(envId: string, id: string): Promise<WebhookTriggerRecord | undefined> {
    const row = await this.db.selectFrom('webhook_triggers').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return row && flagOf(row);
  }
  /** The trigger behind a URL. */
  async byName(envId: string, agentId: string, name: string): Promise<WebhookTriggerRecord | undefined> {
    const row = await this.db
      .selectFrom('webhook_triggers')
      .selectAll()
      .where('env_id', '=', envId)
      .where('agent_id', '=', agentId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && flagOf(row);
  }
  async list(envId: string, page: Page & { agentId?: string }): Promise<{ rows: WebhookTriggerRecord[]; total: number }> {
    let q = this.db.selectFrom('webhook_triggers').where('env_id', '=', envId);
    if (page.agentId) q = q.where('agent_id', '=', page.agentId);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('agent_id').orderBy('name').limit(page.limit).offset(page.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(flagOf), total: Number(total.n) };
  }
  async update(envId: string, id: string, patch: Partial<WebhookTriggerRecord>): Promise<WebhookTriggerRecord | undefined> {
    const r = await this.db.updateTable('webhook_triggers').set(flagPatch(patch)).where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) ? this.get(envId, id) : undefined;
  }
  async delete(envId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhook_triggers').where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  /** With its agent: a trigger must not outlive the agent it starts. */
  async deleteForAgent(envId: string, agentId: string): Promise<void> {
    await this.db.deleteFrom('webhook_triggers').where('env_id', '=', envId).where('agent_id', '=', agentId).execute();
  }
}
