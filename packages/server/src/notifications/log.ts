import type { AttemptRecord, DeliveryChannel, DeliveryStatus, DeliveryRecord, Page, Store } from '../store/index.js';
import { type Clock, iso } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import { CHANNELS, type NotificationView, type PostActionRunView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import { NOTIFY_EVENT_FOR_RUN_EVENT } from './events.js';

export { CHANNELS };

/** One record of the notification log (docs/notifications.md), field for field. */
export function notificationView(r: DeliveryRecord): NotificationView {
  return {
    id: r.id,
    execution_id: r.run_id ?? '',
    agent_id: r.agent_id ?? '',
    event_type: NOTIFY_EVENT_FOR_RUN_EVENT[r.event_type] ?? r.event_type,
    channel: r.channel ?? 'endpoint',
    target: r.target ?? r.endpoint_id,
    status: r.status,
    attempts: r.attempts,
    last_error: r.last_error,
    created_at: iso(r.created_at)!,
    delivered_at: iso(r.delivered_at),
  };
}

/** A post-action's run-history record. */
function postActionRunView(r: DeliveryRecord, last: AttemptRecord | undefined): PostActionRunView {
  return {
    id: r.id,
    status: r.status === 'delivered' ? 'success' : r.status === 'failed' ? 'failed' : 'pending',
    http_status_code: last?.status_code ?? null,
    request: last ? { method: last.method, url: last.url } : null,
    response_body: last?.response_body ?? null,
    error: r.status === 'delivered' ? null : r.last_error,
    duration_ms: last?.duration_ms ?? null,
    attempts: r.attempts,
    run_id: r.run_id ?? null,
    binding_id: r.source_id ?? null,
    created_at: iso(r.created_at)!,
    finished_at: r.status === 'pending' ? null : iso(r.updated_at),
  };
}

export interface NotificationQuery extends Page {
  status?: DeliveryStatus;
  /** An agent's id or its name (the log is filtered by name). */
  agent_id?: string;
  channel?: DeliveryChannel;
  execution_id?: string;
}

/** Reads and retries the notification log and post-action run history. */
export class NotificationLog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onRequeued: () => void,
  ) {}

  async list(tenant: Tenant, q: NotificationQuery) {
    const agentIds = q.agent_id === undefined ? undefined : await this.agentIds(tenant, q.agent_id);
    const { rows, total } = await this.store.notifications.list(tenant.envId, {
      limit: q.limit,
      offset: q.offset,
      ...(q.status ? { status: q.status } : {}),
      ...(agentIds ? { agentIds } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.execution_id ? { runId: q.execution_id } : {}),
    });
    return { items: rows.map(notificationView), total, limit: q.limit, offset: q.offset };
  }

  /** A notification of one of the tenant's runs (a notification is in its run's tenant). */
  async get(tenant: Tenant, id: string): Promise<DeliveryRecord> {
    const row = await this.store.deliveries.get(tenant.envId, id);
    if (!row?.run_id) throw notFound('notification', id);
    return row;
  }

  /**
   * Retry: sends the frozen request again now, whatever the record's state, so the
   * content is identical to the first attempt; the channel's current credentials sign it.
   */
  async retry(tenant: Tenant, id: string) {
    const row = await this.get(tenant, id);
    await this.requeue(row);
    return notificationView((await this.store.deliveries.get(tenant.envId, row.id))!);
  }

  /** Manual retry of any delivery (a notification, or an endpoint's delivery of any event), when it can still be sent. */
  async requeue(row: DeliveryRecord): Promise<void> {
    if ((row.channel ?? 'endpoint') === 'endpoint') {
      const endpoint = await this.store.endpoints.get(row.env_id, row.endpoint_id);
      if (!endpoint) throw new UserError('endpoint_deleted', `endpoint ${row.endpoint_id} of this delivery was deleted`);
      if (!endpoint.enabled) throw new UserError('endpoint_disabled', `endpoint ${row.endpoint_id} is disabled; enable it first`);
    } else if (!row.request_enc) {
      // Its template failed when the run ended: there is nothing to send again.
      throw new UserError(
        'not_retryable',
        `notification ${row.id} was never rendered (${row.last_error ?? 'no request'}); fix the template and run the agent again`,
      );
    }
    await this.store.deliveries.requeue(row.env_id, row.id, this.clock.now());
    this.onRequeued();
  }

  /** A post-action's run history, newest first. */
  async postActionRuns(tenant: Tenant, postActionId: string, page: Page) {
    if (!(await this.store.postActions.get(tenant.envId, postActionId))) throw notFound('post-action', postActionId);
    const { rows, total } = await this.store.notifications.listForDestination(tenant.envId, 'post_action', postActionId, page);
    const last = await this.store.notifications.lastAttempts(rows.map((r) => r.id));
    return { items: rows.map((r) => postActionRunView(r, last.get(r.id))), total, limit: page.limit, offset: page.offset };
  }

  private async agentIds(tenant: Tenant, idOrName: string): Promise<string[]> {
    const byId = await this.store.agents.getAgent(tenant.envId, idOrName);
    if (byId) return [byId.id];
    return (await this.store.agents.findAgentsByName(tenant.envId, idOrName)).map((a) => a.id);
  }
}
