import type { Kysely } from 'kysely';
import type { Page } from './store.js';
import { flagOf, flagPatch, flagRow } from './rows.js';
import type { Database } from './schema.js';
import type { PostActionBindingRecord, PostActionRecord } from './values.js';

export type BindingTriggerType = PostActionBindingRecord['trigger_type'];

/** SQL for post-actions and their bindings. Reached as `store.postActions`, so it joins the caller's transaction. */
export class PostActionRecords {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(action: PostActionRecord): Promise<void> {
    await this.db.insertInto('post_actions').values(flagRow(action)).execute();
  }
  async get(envId: string, id: string): Promise<PostActionRecord | undefined> {
    const row = await this.db.selectFrom('post_actions').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return row && flagOf(row);
  }
  /** Post-actions of any tenant, by id: those being sent (the dispatcher is the installation's) or named by bindings already scoped. */
  async getMany(ids: string[]): Promise<PostActionRecord[]> {
    if (!ids.length) return [];
    return (
      await this.db
        .selectFrom('post_actions')
        .selectAll()
        .where('id', 'in', [...new Set(ids)])
        .execute()
    ).map(flagOf);
  }
  async list(envId: string, page: Page): Promise<{ rows: PostActionRecord[]; total: number }> {
    const q = this.db.selectFrom('post_actions').where('env_id', '=', envId);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(flagOf), total: Number(total.n) };
  }
  async update(envId: string, id: string, patch: Partial<PostActionRecord>): Promise<PostActionRecord | undefined> {
    const r = await this.db.updateTable('post_actions').set(flagPatch(patch)).where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) ? this.get(envId, id) : undefined;
  }
  /** The post-action and its bindings; call inside a transaction. */
  async delete(envId: string, id: string): Promise<boolean> {
    await this.db.deleteFrom('post_action_bindings').where('env_id', '=', envId).where('post_action_id', '=', id).execute();
    const r = await this.db.deleteFrom('post_actions').where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // --- Bindings -----------------------------------------------------------------------

  /** False when the post-action already has a binding to this trigger (the unique index decides, so races are safe too). */
  async insertBinding(binding: PostActionBindingRecord): Promise<boolean> {
    const r = await this.db
      .insertInto('post_action_bindings')
      .values(flagRow(binding))
      .onConflict((oc) => oc.columns(['post_action_id', 'trigger_type', 'trigger_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }
  /** Enabled bindings of one trigger whose post-action is enabled too: what a run's end fires. */
  async firing(envId: string, type: BindingTriggerType, triggerId: string): Promise<(PostActionBindingRecord & { action: PostActionRecord })[]> {
    const bindings = await this.db
      .selectFrom('post_action_bindings')
      .selectAll()
      .where('env_id', '=', envId)
      .where('trigger_type', '=', type)
      .where('trigger_id', '=', triggerId)
      .where('enabled', '=', 1)
      .orderBy('created_at')
      .execute();
    const actions = new Map((await this.getMany(bindings.map((b) => b.post_action_id))).map((a) => [a.id, a]));
    return bindings.flatMap((b) => {
      const action = actions.get(b.post_action_id);
      return action?.enabled ? [{ ...flagOf(b), action }] : [];
    });
  }
  async getBinding(envId: string, id: string): Promise<PostActionBindingRecord | undefined> {
    const row = await this.db.selectFrom('post_action_bindings').selectAll().where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return row && flagOf(row);
  }
  async listBindings(
    envId: string,
    page: Page & { postActionId?: string; trigger?: { type: BindingTriggerType; id: string } },
  ): Promise<{ rows: PostActionBindingRecord[]; total: number }> {
    let q = this.db.selectFrom('post_action_bindings').where('env_id', '=', envId);
    if (page.postActionId) q = q.where('post_action_id', '=', page.postActionId);
    if (page.trigger) q = q.where('trigger_type', '=', page.trigger.type).where('trigger_id', '=', page.trigger.id);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(flagOf), total: Number(total.n) };
  }
  async updateBinding(envId: string, id: string, patch: Partial<PostActionBindingRecord>): Promise<PostActionBindingRecord | undefined> {
    const r = await this.db.updateTable('post_action_bindings').set(flagPatch(patch)).where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) ? this.getBinding(envId, id) : undefined;
  }
  async deleteBinding(envId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('post_action_bindings').where('env_id', '=', envId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  /** With the trigger: a binding must not outlive what it watches. */
  async deleteBindingsForTrigger(envId: string, type: BindingTriggerType, triggerId: string): Promise<void> {
    await this.db.deleteFrom('post_action_bindings').where('env_id', '=', envId).where('trigger_type', '=', type).where('trigger_id', '=', triggerId).execute();
  }
  /**
   * With an agent: bindings to its own trigger URL, its named webhook triggers and its schedules.
   * Call before those triggers and schedules are deleted (it finds them through their rows).
   */
  async deleteBindingsForAgent(envId: string, agentId: string): Promise<void> {
    await this.db
      .deleteFrom('post_action_bindings')
      .where('env_id', '=', envId)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('trigger_type', '=', 'webhook'),
            eb.or([eb('trigger_id', '=', agentId), eb('trigger_id', 'in', eb.selectFrom('webhook_triggers').select('id').where('agent_id', '=', agentId))]),
          ]),
          eb.and([eb('trigger_type', '=', 'schedule'), eb('trigger_id', 'in', eb.selectFrom('schedules').select('id').where('agent_id', '=', agentId))]),
        ]),
      )
      .execute();
  }
}
