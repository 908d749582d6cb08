import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/index.js';
import { checkDestinationUrl, type SsrfGuard } from '../net/index.js';
import { checkHeaderName } from '../post-actions/index.js';
import type { AgentRecord, Store } from '../store/index.js';
import { type Clock } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { CallbackView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import { HIDDEN } from './runner-config.js';

export interface CallbackInput {
  url: string;
  /** Sent with every callback (e.g. `Authorization: Bearer …`); stored encrypted, never shown again. */
  headers?: Record<string, string>;
}

export type { CallbackView };

/** Headers the callback sets itself: a custom one would fight the signature or the framing. */
const OWN_HEADERS = new Set(['x-signature', 'x-timestamp', 'content-type', 'user-agent', 'x-hookline-event-type']);
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const newCallbackSecret = () => `hlcb_${randomBytes(32).toString('base64url')}`;

/**
 * An agent's callback (docs/callbacks.md): where its results are POSTed when a run ends, with custom
 * headers and an HMAC signature. The secret is shown once.
 */
export class CallbackAdmin {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly guard: SsrfGuard,
  ) {}

  view(a: AgentRecord): CallbackView | null {
    if (!a.callback_url) return null;
    const headers = a.callback_headers_enc ? (JSON.parse(this.box.open(a.callback_headers_enc)) as Record<string, string>) : {};
    return {
      url: a.callback_url,
      headers: Object.fromEntries(Object.keys(headers).map((k) => [k, HIDDEN])),
      signature: { header: 'X-Signature', timestamp_header: 'X-Timestamp', algorithm: 'hmac-sha256' },
    };
  }

  async get(tenant: Tenant, agentId: string): Promise<CallbackView> {
    const v = this.view(await this.agent(tenant, agentId));
    if (!v) throw new UserError('not_found', `agent ${agentId} has no callback; PUT one first`);
    return v;
  }

  /** Sets the URL and headers; the first time (or after a removal) a signing secret is made and returned once. */
  async set(tenant: Tenant, agentId: string, input: CallbackInput): Promise<CallbackView & { secret?: string }> {
    const agent = await this.agent(tenant, agentId);
    checkDestinationUrl(input.url, {
      field: 'url',
      example: 'https://your-domain.com/agent-results',
      credentialsHint: 'put them in headers, which are stored encrypted',
      guard: this.guard,
    });
    const headers = checkLiteralHeaders(input.headers ?? {});
    const secret = agent.callback_secret_enc ? undefined : newCallbackSecret();
    const patch: Partial<AgentRecord> = {
      callback_url: input.url,
      callback_headers_enc: Object.keys(headers).length ? this.box.seal(JSON.stringify(headers)) : null,
      ...(secret ? { callback_secret_enc: this.box.seal(secret) } : {}),
      updated_at: this.clock.now(),
    };
    const row = (await this.store.agents.updateAgent(tenant.envId, agentId, patch))!;
    return { ...this.view(row)!, ...(secret ? { secret } : {}) };
  }

  async remove(tenant: Tenant, agentId: string): Promise<void> {
    await this.agent(tenant, agentId);
    await this.store.agents.updateAgent(tenant.envId, agentId, {
      callback_url: null,
      callback_headers_enc: null,
      callback_secret_enc: null,
      updated_at: this.clock.now(),
    });
  }

  /** A new signing secret, effective for the next attempt of every pending callback too. */
  async rotateSecret(tenant: Tenant, agentId: string): Promise<{ secret: string }> {
    const agent = await this.agent(tenant, agentId);
    if (!agent.callback_url) throw new UserError('not_found', `agent ${agentId} has no callback; PUT one first`);
    const secret = newCallbackSecret();
    await this.store.agents.updateAgent(tenant.envId, agentId, { callback_secret_enc: this.box.seal(secret), updated_at: this.clock.now() });
    return { secret };
  }

  private async agent(tenant: Tenant, id: string): Promise<AgentRecord> {
    const a = await this.store.agents.getAgent(tenant.envId, id);
    if (!a) throw notFound('agent', id);
    return a;
  }
}

function checkLiteralHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    checkHeaderName('headers', name);
    const lower = name.toLowerCase();
    if (OWN_HEADERS.has(lower)) throw new UserError('invalid_header', `headers: "${name}" is set by Hookline on every callback and cannot be given`);
    if (lower in out) throw new UserError('invalid_header', `headers: "${name}" is given twice (header names are case-insensitive)`);
    if (CONTROL.test(value)) throw new UserError('invalid_header', `headers.${name} has a line break or other control character`);
    out[lower] = value;
  }
  return out;
}
