import type { Kysely } from 'kysely';
import type { Page } from './store.js';
import type { Database } from './schema.js';
import type { AttemptRecord, DeliveryChannel, DeliveryRecord, DeliveryStatus } from './values.js';

export interface NotificationFilter extends Page {
  status?: DeliveryStatus;
  /** Any of these agents (the log is filtered by agent; callers resolve names to ids). */
  agentIds?: string[];
  channel?: DeliveryChannel;
  runId?: string;
}

/**
 * SQL for the notification log: the deliveries a run caused, whatever their channel.
 * Reached as `store.notifications`, so it joins the caller's transaction.
 */
export class NotificationRecords {
  constructor(private readonly db: Kysely<Database>) {}

  /** The deliveries caused by the environment's runs (a run's tenant is its notifications'). */
  async list(envId: string, f: NotificationFilter): Promise<{ rows: DeliveryRecord[]; total: number }> {
    let q = this.db
      .selectFrom('deliveries')
      .where('run_id', 'is not', null)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('runs').select('runs.id').whereRef('runs.id', '=', 'deliveries.run_id').where('runs.env_id', '=', envId)),
      );
    if (f.status) q = q.where('status', '=', f.status);
    if (f.agentIds) q = f.agentIds.length ? q.where('agent_id', 'in', f.agentIds) : q.where(({ lit }) => lit(false));
    if (f.channel) q = q.where('channel', '=', f.channel);
    if (f.runId) q = q.where('run_id', '=', f.runId);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }

  /** A post-action's deliveries (its run history), newest first. */
  async listForDestination(envId: string, channel: DeliveryChannel, destinationId: string, page: Page): Promise<{ rows: DeliveryRecord[]; total: number }> {
    const q = this.db.selectFrom('deliveries').where('env_id', '=', envId).where('endpoint_id', '=', destinationId).where('channel', '=', channel);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }

  /** The last attempt of each delivery that has one. */
  async lastAttempts(deliveryIds: string[]): Promise<Map<string, AttemptRecord>> {
    if (!deliveryIds.length) return new Map();
    const rows = await this.db.selectFrom('attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('attempt').execute();
    // Ordered by attempt, so the last one seen per delivery wins.
    return new Map(rows.map((a) => [a.delivery_id, a]));
  }
}
