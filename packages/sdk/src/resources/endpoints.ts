import { type RequestOptions, seg } from '../http.js';
import { collect, type Page, type PageParams, walkPages } from '../pagination.js';
import type {
  Delivery,
  DeliveryDetail,
  DeliveryListParams,
  Endpoint,
  EndpointCreate,
  EndpointCreated,
  EndpointReplay,
  EndpointRotateSecret,
  EndpointUpdate,
  EndpointUpdated,
  EndpointWithSecret,
  EventPublish,
  Published,
} from '../types.js';
import type { HooklineEvent } from '../webhooks/events.js';
import { Resource } from './base.js';

const ENDPOINTS = '/api/v1/webhooks/endpoints';

/** Subscribed endpoints (docs/endpoints-and-signing.md): `client.webhookEndpoints`. */
export class WebhookEndpoints extends Resource {
  /**
   * The answer is the only place the `secret` (whsec_…) appears. A subscribed type that is neither
   * built in nor ever published is saved, with an `unknown_event_type` entry in `warnings`.
   */
  create(body: EndpointCreate, options?: RequestOptions): Promise<EndpointCreated> {
    return this.call({ method: 'POST', path: ENDPOINTS, body, options });
  }

  list(params: PageParams = {}, options?: RequestOptions): Promise<Page<Endpoint>> {
    return this.call({ method: 'GET', path: ENDPOINTS, query: { ...params }, options });
  }

  iterate(params: PageParams = {}, options?: RequestOptions): AsyncGenerator<Endpoint, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: PageParams = {}, options?: RequestOptions): Promise<Endpoint[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<Endpoint> {
    return this.call({ method: 'GET', path: `${ENDPOINTS}/${seg(id)}`, options });
  }

  /** `warnings` as for `create`, when `events` is given. */
  update(id: string, body: EndpointUpdate, options?: RequestOptions): Promise<EndpointUpdated> {
    return this.call({ method: 'PATCH', path: `${ENDPOINTS}/${seg(id)}`, body, options });
  }

  /** Its pending deliveries fail as `endpoint_deleted`; the delivery log stays. */
  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `${ENDPOINTS}/${seg(id)}`, options });
  }

  /** Re-enables and resets `consecutive_failures`; nothing from the disabled period is delivered. */
  enable(id: string, options?: RequestOptions): Promise<Endpoint> {
    return this.call({ method: 'POST', path: `${ENDPOINTS}/${seg(id)}/enable`, idempotent: true, options });
  }

  disable(id: string, options?: RequestOptions): Promise<Endpoint> {
    return this.call({ method: 'POST', path: `${ENDPOINTS}/${seg(id)}/disable`, idempotent: true, options });
  }

  /** A new secret; the old one keeps signing for `grace_period_seconds` (default: the server's, 24 h). */
  rotateSecret(id: string, body: EndpointRotateSecret = {}, options?: RequestOptions): Promise<EndpointWithSecret> {
    return this.call({ method: 'POST', path: `${ENDPOINTS}/${seg(id)}/rotate-secret`, body, options });
  }

  /** Sends a `webhook.test` event to this endpoint only. */
  sendTest(id: string, options?: RequestOptions): Promise<{ event_id: string }> {
    return this.call({ method: 'POST', path: `${ENDPOINTS}/${seg(id)}/test`, options });
  }

  /** Re-sends stored events published in `[since, until)`; `since`/`until` are ISO-8601, epoch ms or a Date. */
  replay(id: string, body: { since: string | number | Date; until?: string | number | Date }, options?: RequestOptions): Promise<{ enqueued: number }> {
    const b: EndpointReplay = { since: timeArg(body.since), ...(body.until !== undefined ? { until: timeArg(body.until) } : {}) };
    return this.call({ method: 'POST', path: `${ENDPOINTS}/${seg(id)}/replay`, body: b, options });
  }
}

/** The API takes times as ISO-8601 strings or epoch milliseconds (as a string). */
export function timeArg(t: string | number | Date): string {
  return t instanceof Date ? t.toISOString() : String(t);
}

/** Publishing and reading events: `client.events`. */
export class Events extends Resource {
  /**
   * Publishes to every subscribed endpoint. With an `id`, publishing again is a no-op that
   * answers `duplicate: true`, so such calls are retried on network errors; without one they are not.
   */
  publish(body: EventPublish, options?: RequestOptions): Promise<Published> {
    return this.call({ method: 'POST', path: '/api/v1/events', body, idempotent: body.id !== undefined, options });
  }

  /** The event exactly as endpoints receive it. */
  get(id: string, options?: RequestOptions): Promise<HooklineEvent> {
    return this.call({ method: 'GET', path: `/api/v1/events/${seg(id)}`, options });
  }
}

/** The endpoint delivery log: `client.deliveries`. */
export class Deliveries extends Resource {
  list(params: DeliveryListParams = {}, options?: RequestOptions): Promise<Page<Delivery>> {
    return this.call({ method: 'GET', path: '/api/v1/deliveries', query: { ...params }, options });
  }

  iterate(params: DeliveryListParams = {}, options?: RequestOptions): AsyncGenerator<Delivery, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: DeliveryListParams = {}, options?: RequestOptions): Promise<Delivery[]> {
    return collect(this.iterate(params, options));
  }

  /** One delivery with its event and every attempt. */
  get(id: string, options?: RequestOptions): Promise<DeliveryDetail> {
    return this.call({ method: 'GET', path: `/api/v1/deliveries/${seg(id)}`, options });
  }

  /** Sends the identical body again now, with a fresh signature. */
  retry(id: string, options?: RequestOptions): Promise<Delivery> {
    return this.call({ method: 'POST', path: `/api/v1/deliveries/${seg(id)}/retry`, options });
  }
}
