import { type RequestOptions, type Transport, seg } from '../http.js';
import { collect, type Page, type PageParams, walkPages, wholeList } from '../pagination.js';
import type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyWithSecret,
  CapturedRequest,
  InspectorBin,
  InspectorBinCreate,
  InspectorBinUpdate,
  OverviewParams,
  OverviewStats,
  PortalSession,
  PortalSessionCreate,
  Settings,
} from '../types.js';
import { Resource } from './base.js';

/** API keys: `client.keys`. Needs an admin key. */
export class Keys extends Resource {
  /** Every key's metadata, never a key itself. The server answers the whole list at once. */
  async list(options?: RequestOptions): Promise<Page<ApiKey>> {
    return wholeList(await this.call<{ items: ApiKey[] }>({ method: 'GET', path: '/api/v1/keys', options }));
  }

  /** The answer's `key` (hl_sk_…) is shown only here. */
  create(body: ApiKeyCreate, options?: RequestOptions): Promise<ApiKeyWithSecret> {
    return this.call({ method: 'POST', path: '/api/v1/keys', body, options });
  }

  /** It stops working at once. */
  revoke(id: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/api/v1/keys/${seg(id)}`, options });
  }
}

/** The customer portal: `client.portal`. Needs an installation key or an admin key of the org. */
export class Portal extends Resource {
  /** A short-lived link showing one tenant's endpoints; give `url` to the customer or put it in an iframe. */
  createSession(body: PortalSessionCreate, options?: RequestOptions): Promise<PortalSession> {
    return this.call({ method: 'POST', path: '/api/v1/portal/sessions', body, options });
  }
}

const BINS = '/api/v1/inspector/bins';

class InspectorBins extends Resource {
  list(params: PageParams = {}, options?: RequestOptions): Promise<Page<InspectorBin>> {
    return this.call({ method: 'GET', path: BINS, query: { ...params }, options });
  }

  iterate(params: PageParams = {}, options?: RequestOptions): AsyncGenerator<InspectorBin, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: PageParams = {}, options?: RequestOptions): Promise<InspectorBin[]> {
    return collect(this.iterate(params, options));
  }

  get(bin: string, options?: RequestOptions): Promise<InspectorBin> {
    return this.call({ method: 'GET', path: `${BINS}/${seg(bin)}`, options });
  }

  /** Anything sent to the answer's `url` (/inspect/{name}) is captured. */
  create(body: InspectorBinCreate = {}, options?: RequestOptions): Promise<InspectorBin> {
    return this.call({ method: 'POST', path: BINS, body, options });
  }

  update(bin: string, body: InspectorBinUpdate, options?: RequestOptions): Promise<InspectorBin> {
    return this.call({ method: 'PATCH', path: `${BINS}/${seg(bin)}`, body, options });
  }

  delete(bin: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `${BINS}/${seg(bin)}`, options });
  }
}

class InspectorRequests extends Resource {
  /** Captured requests, newest first, each with its signature check. */
  list(bin: string, params: PageParams = {}, options?: RequestOptions): Promise<Page<CapturedRequest>> {
    return this.call({ method: 'GET', path: `${BINS}/${seg(bin)}/requests`, query: { ...params }, options });
  }

  iterate(bin: string, params: PageParams = {}, options?: RequestOptions): AsyncGenerator<CapturedRequest, void, undefined> {
    return walkPages((p) => this.list(bin, p, options), params);
  }

  listAll(bin: string, params: PageParams = {}, options?: RequestOptions): Promise<CapturedRequest[]> {
    return collect(this.iterate(bin, params, options));
  }

  get(bin: string, id: string, options?: RequestOptions): Promise<CapturedRequest> {
    return this.call({ method: 'GET', path: `${BINS}/${seg(bin)}/requests/${seg(id)}`, options });
  }

  clear(bin: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `${BINS}/${seg(bin)}/requests`, options });
  }
}

/** Request bins: `client.inspector.bins` and `client.inspector.requests`. */
export class Inspector {
  readonly bins: InspectorBins;
  readonly requests: InspectorRequests;
  constructor(t: Transport) {
    this.bins = new InspectorBins(t);
    this.requests = new InspectorRequests(t);
  }
}

/** `client.stats.overview({ hours })`: runs, deliveries, latency, queue and failing destinations. */
export class Stats extends Resource {
  overview(params: OverviewParams = {}, options?: RequestOptions): Promise<OverviewStats> {
    return this.call({ method: 'GET', path: '/api/v1/stats/overview', query: { ...params }, options });
  }
}

/** `client.settings.get()`: the running configuration, without a secret. */
export class SettingsResource extends Resource {
  get(options?: RequestOptions): Promise<Settings> {
    return this.call({ method: 'GET', path: '/api/v1/settings', options });
  }
}
