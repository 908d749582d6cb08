import { type RequestOptions, seg } from '../http.js';
import { collect, type Page, type PageParams, walkPages } from '../pagination.js';
import type {
  Binding,
  BindingCreate,
  BindingTriggerType,
  BindingUpdate,
  Notification,
  NotificationListParams,
  PostAction,
  PostActionCreate,
  PostActionPreview,
  PostActionPreviewRequest,
  PostActionRun,
  PostActionUpdate,
  SlackTestRequest,
  SlackTestResult,
  TriggerBinding,
} from '../types.js';
import { Resource } from './base.js';

const BASE = '/api/v1/post-actions';

/** Reusable HTTP requests fired when runs end (docs/post-actions.md): `client.postActions`. */
export class PostActions extends Resource {
  list(params: PageParams = {}, options?: RequestOptions): Promise<Page<PostAction>> {
    return this.call({ method: 'GET', path: BASE, query: { ...params }, options });
  }

  iterate(params: PageParams = {}, options?: RequestOptions): AsyncGenerator<PostAction, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: PageParams = {}, options?: RequestOptions): Promise<PostAction[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<PostAction> {
    return this.call({ method: 'GET', path: `${BASE}/${seg(id)}`, options });
  }

  create(body: PostActionCreate, options?: RequestOptions): Promise<PostAction> {
    return this.call({ method: 'POST', path: BASE, body, options });
  }

  update(id: string, body: PostActionUpdate, options?: RequestOptions): Promise<PostAction> {
    return this.call({ method: 'PATCH', path: `${BASE}/${seg(id)}`, body, options });
  }

  /** Deletes it with its bindings. */
  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `${BASE}/${seg(id)}`, options });
  }

  /** Run history: every time it fired, newest first. */
  runs(id: string, params: PageParams = {}, options?: RequestOptions): Promise<Page<PostActionRun>> {
    return this.call({ method: 'GET', path: `${BASE}/${seg(id)}/runs`, query: { ...params }, options });
  }

  /** Renders URL, header and body templates with sample values or a run's variables; sends nothing. */
  preview(body: PostActionPreviewRequest, options?: RequestOptions): Promise<PostActionPreview> {
    return this.call({ method: 'POST', path: `${BASE}/preview`, body, idempotent: true, options });
  }
}

/** A post-action's bindings to webhook triggers and schedules: `client.bindings`. */
export class Bindings extends Resource {
  list(postActionId: string, params: PageParams = {}, options?: RequestOptions): Promise<Page<Binding>> {
    return this.call({ method: 'GET', path: `${BASE}/${seg(postActionId)}/bindings`, query: { ...params }, options });
  }

  iterate(postActionId: string, params: PageParams = {}, options?: RequestOptions): AsyncGenerator<Binding, void, undefined> {
    return walkPages((p) => this.list(postActionId, p, options), params);
  }

  listAll(postActionId: string, params: PageParams = {}, options?: RequestOptions): Promise<Binding[]> {
    return collect(this.iterate(postActionId, params, options));
  }

  get(postActionId: string, bindingId: string, options?: RequestOptions): Promise<Binding> {
    return this.call({ method: 'GET', path: `${BASE}/${seg(postActionId)}/bindings/${seg(bindingId)}`, options });
  }

  /** `409` when the post-action is already bound to that trigger. */
  create(postActionId: string, body: BindingCreate, options?: RequestOptions): Promise<Binding> {
    return this.call({ method: 'POST', path: `${BASE}/${seg(postActionId)}/bindings`, body, options });
  }

  update(postActionId: string, bindingId: string, body: BindingUpdate, options?: RequestOptions): Promise<Binding> {
    return this.call({ method: 'PATCH', path: `${BASE}/${seg(postActionId)}/bindings/${seg(bindingId)}`, body, options });
  }

  delete(postActionId: string, bindingId: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `${BASE}/${seg(postActionId)}/bindings/${seg(bindingId)}`, options });
  }

  /** A trigger's bindings, each with its post-action. `type` is `webhook` or `schedule`. */
  forTrigger(type: BindingTriggerType, id: string, params: PageParams = {}, options?: RequestOptions): Promise<Page<TriggerBinding>> {
    return this.call({ method: 'GET', path: `/api/v1/triggers/${seg(type)}/${seg(id)}/post-actions`, query: { ...params }, options });
  }
}

/** The notification log (docs/notifications.md; callbacks, Slack, named webhooks, post-actions, run.* endpoint deliveries): `client.notifications`. */
export class Notifications extends Resource {
  list(params: NotificationListParams = {}, options?: RequestOptions): Promise<Page<Notification>> {
    return this.call({ method: 'GET', path: '/api/v1/notifications', query: { ...params }, options });
  }

  iterate(params: NotificationListParams = {}, options?: RequestOptions): AsyncGenerator<Notification, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: NotificationListParams = {}, options?: RequestOptions): Promise<Notification[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<Notification> {
    return this.call({ method: 'GET', path: `/api/v1/notifications/${seg(id)}`, options });
  }

  /** Sends it again now, with content identical to the first attempt. */
  retry(id: string, options?: RequestOptions): Promise<Notification> {
    return this.call({ method: 'POST', path: `/api/v1/notifications/${seg(id)}/retry`, options });
  }

  /** Posts one Slack test message now with the configured bot token. */
  slackTest(body: SlackTestRequest = {}, options?: RequestOptions): Promise<SlackTestResult> {
    return this.call({ method: 'POST', path: '/api/v1/notifications/slack/test', body, options });
  }
}
