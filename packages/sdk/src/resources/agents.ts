import { type RequestOptions, seg } from '../http.js';
import type {
  Agent,
  AgentCreate,
  AgentFilesReport,
  AgentListParams,
  AgentUpdate,
  AgentWithSecret,
  Callback,
  CallbackSet,
  Crew,
  CrewCreate,
  Run,
  RunListParams,
  RunLogLine,
} from '../types.js';
import { collect, type Page, type PageParams, walkPages, wholeList } from '../pagination.js';
import { Resource } from './base.js';

/** Crews (teams of agents): `client.crews`. The server answers the whole list at once. */
export class Crews extends Resource {
  async list(_params: PageParams = {}, options?: RequestOptions): Promise<Page<Crew>> {
    return wholeList(await this.call<{ items: Crew[] }>({ method: 'GET', path: '/api/v1/crews', options }));
  }

  async *iterate(params: PageParams = {}, options?: RequestOptions): AsyncGenerator<Crew, void, undefined> {
    yield* (await this.list(params, options)).items;
  }

  listAll(params: PageParams = {}, options?: RequestOptions): Promise<Crew[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<Crew> {
    return this.call({ method: 'GET', path: `/api/v1/crews/${seg(id)}`, options });
  }

  create(body: CrewCreate, options?: RequestOptions): Promise<Crew> {
    return this.call({ method: 'POST', path: '/api/v1/crews', body, options });
  }

  /** Only an empty crew: `409 crew_not_empty` otherwise. */
  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/api/v1/crews/${seg(id)}`, options });
  }
}

/** Agents: `client.agents`. */
export class Agents extends Resource {
  list(params: AgentListParams = {}, options?: RequestOptions): Promise<Page<Agent>> {
    return this.call({ method: 'GET', path: '/api/v1/agents', query: { ...params }, options });
  }

  iterate(params: AgentListParams = {}, options?: RequestOptions): AsyncGenerator<Agent, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: AgentListParams = {}, options?: RequestOptions): Promise<Agent[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<Agent> {
    return this.call({ method: 'GET', path: `/api/v1/agents/${seg(id)}`, options });
  }

  /** The answer carries `webhook_secret`, the inbound trigger secret, shown only here. */
  create(body: AgentCreate, options?: RequestOptions): Promise<AgentWithSecret> {
    return this.call({ method: 'POST', path: '/api/v1/agents', body, options });
  }

  /** `409 managed_by_file` for an agent defined by an AGENT.md file. */
  update(id: string, body: AgentUpdate, options?: RequestOptions): Promise<Agent> {
    return this.call({ method: 'PATCH', path: `/api/v1/agents/${seg(id)}`, body, options });
  }

  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/api/v1/agents/${seg(id)}`, options });
  }

  /** A new inbound trigger secret; the old one stops working at once. */
  rotateWebhookSecret(id: string, options?: RequestOptions): Promise<{ webhook_secret: string }> {
    return this.call({ method: 'POST', path: `/api/v1/agents/${seg(id)}/webhook-secret/rotate`, options });
  }

  /** One agent's runs, newest first. */
  runs(id: string, params: Omit<RunListParams, 'agent_id'> = {}, options?: RequestOptions): Promise<Page<Run>> {
    return this.call({ method: 'GET', path: `/api/v1/agents/${seg(id)}/runs`, query: { ...params }, options });
  }

  /** The agent's most recent log lines across its runs, newest first. */
  logs(id: string, params: { limit?: number } = {}, options?: RequestOptions): Promise<{ items: RunLogLine[] }> {
    return this.call({ method: 'GET', path: `/api/v1/agents/${seg(id)}/logs`, query: { ...params }, options });
  }

  /** Re-reads the AGENT.md files (as SIGHUP does) and reports what changed. */
  reload(options?: RequestOptions): Promise<AgentFilesReport> {
    return this.call({ method: 'POST', path: '/api/v1/agents/reload', idempotent: true, options });
  }
}

/** An agent's callback URL (docs/callbacks.md): `client.callbacks`. */
export class Callbacks extends Resource {
  /** `404 not_found` when the agent has no callback. */
  get(agentId: string, options?: RequestOptions): Promise<Callback> {
    return this.call({ method: 'GET', path: `/api/v1/agents/${seg(agentId)}/callback`, options });
  }

  /** Sets URL and headers (all of them: a later call replaces the set). The first call's answer carries the `secret`. */
  set(agentId: string, body: CallbackSet, options?: RequestOptions): Promise<Callback> {
    return this.call({ method: 'PUT', path: `/api/v1/agents/${seg(agentId)}/callback`, body, options });
  }

  delete(agentId: string, options?: RequestOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/api/v1/agents/${seg(agentId)}/callback`, options });
  }

  /** A new secret, effective at once (no grace period). */
  rotateSecret(agentId: string, options?: RequestOptions): Promise<{ secret: string }> {
    return this.call({ method: 'POST', path: `/api/v1/agents/${seg(agentId)}/callback/rotate-secret`, options });
  }
}
