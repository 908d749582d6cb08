// The portal's calls to Hookline's API: the portal token (kept in memory only, never in storage
// or a URL) as a bearer credential, and every failure as an ApiError with the API's message.
import type {
  Delivery,
  DeliveryDetail,
  Endpoint,
  EndpointCreated,
  EndpointUpdate,
  EndpointWithSecret,
  EventTypeEntry,
  Page,
  PortalContext,
} from '@hookline/sdk';
import { ApiError } from '../api.js';

export type { Delivery, DeliveryDetail, Endpoint, EndpointCreated, EndpointWithSecret, EventTypeEntry, PortalContext };

const ENDPOINTS = '/api/v1/webhooks/endpoints';

/** The API as one portal session sees it. */
export class PortalClient {
  /** Called once on a 401: the link expired or was logged out. */
  onEnded: (() => void) | null = null;

  constructor(private readonly token: string) {}

  private async call<T>(path: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE' = 'GET', body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, credentials: 'omit', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
    }
    if (res.status === 401) this.onEnded?.();
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'invalid_response', `The server answered ${res.status} with a body that is not JSON.`);
    }
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } }).error;
      throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${res.status}.`);
    }
    return parsed as T;
  }

  context = () => this.call<PortalContext>('/api/v1/portal/context');
  catalog = async () => (await this.call<{ items: EventTypeEntry[] }>('/api/v1/event-types')).items;
  logout = () => this.call<void>('/api/v1/portal/session', 'DELETE');

  endpoints = () => this.call<Page<Endpoint>>(`${ENDPOINTS}?limit=100`);
  endpoint = (id: string) => this.call<Endpoint>(`${ENDPOINTS}/${encodeURIComponent(id)}`);
  create = (body: { url: string; description?: string; events: string[] }) => this.call<EndpointCreated>(ENDPOINTS, 'POST', body);
  update = (id: string, body: EndpointUpdate) => this.call<Endpoint>(`${ENDPOINTS}/${encodeURIComponent(id)}`, 'PATCH', body);
  remove = (id: string) => this.call<void>(`${ENDPOINTS}/${encodeURIComponent(id)}`, 'DELETE');
  setEnabled = (id: string, enabled: boolean) => this.call<Endpoint>(`${ENDPOINTS}/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`, 'POST');
  rotateSecret = (id: string) => this.call<EndpointWithSecret>(`${ENDPOINTS}/${encodeURIComponent(id)}/rotate-secret`, 'POST');
  sendTest = (id: string) => this.call<{ event_id: string }>(`${ENDPOINTS}/${encodeURIComponent(id)}/test`, 'POST');

  deliveries = (endpointId: string) => this.call<Page<Delivery>>(`/api/v1/deliveries?endpoint_id=${encodeURIComponent(endpointId)}&limit=50`);
  delivery = (id: string) => this.call<DeliveryDetail>(`/api/v1/deliveries/${encodeURIComponent(id)}`);
  retry = (id: string) => this.call<Delivery>(`/api/v1/deliveries/${encodeURIComponent(id)}/retry`, 'POST');
}
