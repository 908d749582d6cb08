import { type RequestOptions, seg } from '../http.js';
import type {
  Run,
  Schedule,
  ScheduleCreate,
  ScheduleListParams,
  ScheduleUpdate,
  WebhookTrigger,
  WebhookTriggerCreate,
  WebhookTriggerListParams,
  WebhookTriggerRotateSecret,
  WebhookTriggerUpdate,
  WebhookTriggerWithSecret,
} from '../types.js';
import { collect, type Page, walkPages } from '../pagination.js';
import { Resource } from './base.js';

/** Cron schedules that start agent runs: `client.schedules`. */
export class Schedules extends Resource {
  list(params: ScheduleListParams = {}, options?: RequestOptions): Promise<Page<Schedule>> {
    return this.call({ method: 'GET', path: '/api/v1/schedules', query: { ...params }, options });
  }

  iterate(params: ScheduleListParams = {}, options?: RequestOptions): AsyncGenerator<Schedule, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: ScheduleListParams = {}, options?: RequestOptions): Promise<Schedule[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<Schedule> {
    return this.call({ method: 'GET', path: `/api/v1/schedules/${seg(id)}`, options });
  }

  create(body: ScheduleCreate, options?: RequestOptions): Promise<Schedule> {
    return this.call({ method: 'POST', path: '/api/v1/schedules', body, options });
  }

  update(id: string, body: ScheduleUpdate, options?: RequestOptions): Promise<Schedule> {
    return this.call({ method: 'PATCH', path: `/api/v1/schedules/${seg(id)}`, body, options });
  }

  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/api/v1/schedules/${seg(id)}`, options });
  }

  /** Runs the schedule's prompt now; `409` while its previous run is still going. */
  run(id: string, options?: RequestOptions): Promise<Run> {
    return this.call({ method: 'POST', path: `/api/v1/schedules/${seg(id)}/run`, options });
  }
}

/** Named webhook triggers (`/api/v1/webhooks/{crew}/{agent}/{name}`): `client.webhookTriggers`. */
export class WebhookTriggers extends Resource {
  /** All triggers, or one agent's with `{ agent_id }`. */
  list(params: WebhookTriggerListParams = {}, options?: RequestOptions): Promise<Page<WebhookTrigger>> {
    return this.call({ method: 'GET', path: '/api/v1/webhook-triggers', query: { ...params }, options });
  }

  iterate(params: WebhookTriggerListParams = {}, options?: RequestOptions): AsyncGenerator<WebhookTrigger, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: WebhookTriggerListParams = {}, options?: RequestOptions): Promise<WebhookTrigger[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<WebhookTrigger> {
    return this.call({ method: 'GET', path: `/api/v1/webhook-triggers/${seg(id)}`, options });
  }

  /** The answer carries the trigger's `secret`, shown only here. */
  create(agentId: string, body: WebhookTriggerCreate, options?: RequestOptions): Promise<WebhookTriggerWithSecret> {
    return this.call({ method: 'POST', path: `/api/v1/agents/${seg(agentId)}/webhook-triggers`, body, options });
  }

  /** Only `prompt_template` and `enabled` change; name and scheme are fixed. */
  update(id: string, body: WebhookTriggerUpdate, options?: RequestOptions): Promise<WebhookTrigger> {
    return this.call({ method: 'PATCH', path: `/api/v1/webhook-triggers/${seg(id)}`, body, options });
  }

  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/api/v1/webhook-triggers/${seg(id)}`, options });
  }

  /** A new secret (generated, or `{ secret }` of your own); the old one stops at once. */
  rotateSecret(id: string, body: WebhookTriggerRotateSecret = {}, options?: RequestOptions): Promise<{ secret: string }> {
    return this.call({ method: 'POST', path: `/api/v1/webhook-triggers/${seg(id)}/rotate-secret`, body, options });
  }
}
