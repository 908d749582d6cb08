import type { SecretBox } from '../crypto/index.js';
import { type SsrfGuard } from '../net/index.js';
import type { BindingTriggerType, Page, PostActionBindingRecord, PostActionMethod, PostActionRecord, Store } from '../store/index.js';
import { type Clock, newId, iso } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { BindingView, PostActionView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import {
  type AuthInput,
  type AuthSecret,
  checkAuth,
  checkAuthClash,
  checkHeaders,
  checkRange,
  checkUrlTemplate,
  compileField,
  type FIRE_WHEN,
  HIDDEN,
  RETRY_COUNT,
  TIMEOUT_SECONDS,
} from './validate.js';

export interface PostActionInput {
  name: string;
  method: PostActionMethod;
  /** A template (url mode: inserted values are percent-encoded). */
  url: string;
  /** Header name → value template; values are stored encrypted. */
  headers?: Record<string, string>;
  /** A template; JSON-escaping when it starts with `{` or `[`. */
  body_template?: string;
  auth?: AuthInput;
  timeout_seconds?: number;
  retry_count?: number;
  enabled?: boolean;
}

export type PostActionUpdate = Partial<PostActionInput>;

export type FireWhen = (typeof FIRE_WHEN)[number];

export interface BindingInput {
  trigger_type: BindingTriggerType;
  trigger_id: string;
  fire_when?: FireWhen;
  body_override?: string | null;
  enabled?: boolean;
}

/** The trigger is what a binding is; change it by deleting the binding and making another. */
export type BindingUpdate = Partial<Pick<BindingInput, 'fire_when' | 'body_override' | 'enabled'>>;

export type { BindingView, PostActionView };

export interface PostActionAdminOptions {
  store: Store;
  box: SecretBox;
  /** Vets URLs whose host is not templated at save time. */
  guard: SsrfGuard;
  clock: Clock;
}

/**
 * Post-actions (docs/post-actions.md) and their bindings to webhook triggers and schedules, as the API
 * sees them: validation at save time, sealed headers and credentials, cascades.
 */
export class PostActionAdmin {
  constructor(private readonly options: PostActionAdminOptions) {}

  view(row: PostActionRecord): PostActionView {
    const auth: PostActionView['auth'] = { type: row.auth_type };
    if (row.auth_type === 'header') auth.name = (this.authSecret(row) as { name: string }).name;
    return {
      id: row.id,
      name: row.name,
      method: row.method,
      url: row.url_template,
      headers: Object.fromEntries(Object.keys(this.headers(row)).map((k) => [k, HIDDEN])),
      body_template: row.body_template,
      auth,
      timeout_seconds: row.timeout_ms / 1000,
      retry_count: row.retry_count,
      enabled: row.enabled,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    };
  }

  /** Header name → value template, opened (for the sender, which comes with firing). */
  headers(row: Pick<PostActionRecord, 'headers_enc'>): Record<string, string> {
    return row.headers_enc ? (JSON.parse(this.options.box.open(row.headers_enc)) as Record<string, string>) : {};
  }

  /** The credentials, opened; null for auth type none. */
  authSecret(row: Pick<PostActionRecord, 'auth_enc'>): AuthSecret | null {
    return row.auth_enc ? (JSON.parse(this.options.box.open(row.auth_enc)) as AuthSecret) : null;
  }

  async create(tenant: Tenant, input: PostActionInput): Promise<PostActionView> {
    const headers = checkHeaders(input.headers ?? {});
    const auth = checkAuth(input.auth ?? { type: 'none' });
    checkAuthClash(Object.keys(headers), auth.type, auth.secret);
    const now = this.options.clock.now();
    const row: PostActionRecord = {
      id: newId('pa', this.options.clock).toLowerCase(),
      env_id: tenant.envId,
      name: input.name,
      method: input.method,
      url_template: checkUrlTemplate(input.url, this.options.guard),
      headers_enc: this.sealHeaders(headers),
      body_template: this.checkBody('body_template', input.body_template ?? ''),
      auth_type: auth.type,
      auth_enc: auth.secret ? this.options.box.seal(JSON.stringify(auth.secret)) : null,
      timeout_ms: checkRange('timeout_seconds', input.timeout_seconds ?? TIMEOUT_SECONDS.default, TIMEOUT_SECONDS) * 1000,
      retry_count: checkRange('retry_count', input.retry_count ?? RETRY_COUNT.default, RETRY_COUNT),
      enabled: input.enabled !== false,
      created_at: now,
      updated_at: now,
    };
    await this.options.store.postActions.insert(row);
    return this.view(row);
  }

  async get(tenant: Tenant, id: string): Promise<PostActionRecord> {
    const row = await this.options.store.postActions.get(tenant.envId, id);
    if (!row) throw notFound('post-action', id);
    return row;
  }

  async list(tenant: Tenant, page: Page): Promise<{ items: PostActionView[]; total: number }> {
    const { rows, total } = await this.options.store.postActions.list(tenant.envId, page);
    return { items: rows.map((r) => this.view(r)), total };
  }

  /** Only the fields given change; `headers` replaces the whole set, `auth` the whole setting. */
  async update(tenant: Tenant, id: string, input: PostActionUpdate): Promise<PostActionView> {
    const row = await this.get(tenant, id);
    const patch: Partial<PostActionRecord> = { updated_at: this.options.clock.now() };
    if (input.name !== undefined) patch.name = input.name;
    if (input.method !== undefined) patch.method = input.method;
    if (input.url !== undefined) patch.url_template = checkUrlTemplate(input.url, this.options.guard);
    if (input.body_template !== undefined) patch.body_template = this.checkBody('body_template', input.body_template);
    if (input.timeout_seconds !== undefined) patch.timeout_ms = checkRange('timeout_seconds', input.timeout_seconds, TIMEOUT_SECONDS) * 1000;
    if (input.retry_count !== undefined) patch.retry_count = checkRange('retry_count', input.retry_count, RETRY_COUNT);
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    const headers = input.headers === undefined ? this.headers(row) : checkHeaders(input.headers);
    if (input.headers !== undefined) patch.headers_enc = this.sealHeaders(headers);
    const auth = input.auth === undefined ? { type: row.auth_type, secret: this.authSecret(row) } : checkAuth(input.auth);
    if (input.auth !== undefined) {
      patch.auth_type = auth.type;
      patch.auth_enc = auth.secret ? this.options.box.seal(JSON.stringify(auth.secret)) : null;
    }
    checkAuthClash(Object.keys(headers), auth.type, auth.secret);
    const updated = await this.options.store.postActions.update(tenant.envId, id, patch);
    if (!updated) throw notFound('post-action', id);
    return this.view(updated);
  }

  /** Deletes it with all its bindings. */
  async remove(tenant: Tenant, id: string): Promise<void> {
    if (!(await this.options.store.transaction((tx) => tx.postActions.delete(tenant.envId, id)))) throw notFound('post-action', id);
  }

  // --- Bindings -----------------------------------------------------------------------

  bindingView(b: PostActionBindingRecord): BindingView {
    return {
      id: b.id,
      post_action_id: b.post_action_id,
      trigger_type: b.trigger_type,
      trigger_id: b.trigger_id,
      fire_when: b.fire_when,
      body_override: b.body_override,
      enabled: b.enabled,
      created_at: iso(b.created_at),
      updated_at: iso(b.updated_at),
    };
  }

  async createBinding(tenant: Tenant, postActionId: string, input: BindingInput): Promise<BindingView> {
    const bodyOverride = input.body_override == null ? null : this.checkBody('body_override', input.body_override);
    return this.options.store.transaction(async (tx) => {
      if (!(await tx.postActions.get(tenant.envId, postActionId))) throw notFound('post-action', postActionId);
      if (!(await triggerExists(tx, tenant.envId, input.trigger_type, input.trigger_id))) throw unknownTrigger(input.trigger_type, input.trigger_id);
      const now = this.options.clock.now();
      const row: PostActionBindingRecord = {
        id: newId('pab', this.options.clock).toLowerCase(),
        env_id: tenant.envId,
        post_action_id: postActionId,
        trigger_type: input.trigger_type,
        trigger_id: input.trigger_id,
        fire_when: input.fire_when ?? 'any',
        body_override: bodyOverride,
        enabled: input.enabled !== false,
        created_at: now,
        updated_at: now,
      };
      if (!(await tx.postActions.insertBinding(row))) {
        throw new UserError(
          'conflict',
          `post-action ${postActionId} is already bound to ${input.trigger_type} ${input.trigger_id}; change that binding instead`,
        );
      }
      return this.bindingView(row);
    });
  }

  /** A binding of this post-action (404 for another post-action's binding). */
  async getBinding(tenant: Tenant, postActionId: string, bindingId: string): Promise<PostActionBindingRecord> {
    const b = await this.options.store.postActions.getBinding(tenant.envId, bindingId);
    if (!b || b.post_action_id !== postActionId) throw notFound('binding', `${bindingId} of post-action ${postActionId}`);
    return b;
  }

  async listBindings(tenant: Tenant, postActionId: string, page: Page): Promise<{ items: BindingView[]; total: number }> {
    await this.get(tenant, postActionId);
    const { rows, total } = await this.options.store.postActions.listBindings(tenant.envId, { ...page, postActionId });
    return { items: rows.map((b) => this.bindingView(b)), total };
  }

  async updateBinding(tenant: Tenant, postActionId: string, bindingId: string, input: BindingUpdate): Promise<BindingView> {
    await this.getBinding(tenant, postActionId, bindingId);
    const patch: Partial<PostActionBindingRecord> = { updated_at: this.options.clock.now() };
    if (input.fire_when !== undefined) patch.fire_when = input.fire_when;
    if (input.body_override !== undefined) patch.body_override = input.body_override === null ? null : this.checkBody('body_override', input.body_override);
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    const updated = await this.options.store.postActions.updateBinding(tenant.envId, bindingId, patch);
    if (!updated) throw notFound('binding', bindingId);
    return this.bindingView(updated);
  }

  async removeBinding(tenant: Tenant, postActionId: string, bindingId: string): Promise<void> {
    await this.getBinding(tenant, postActionId, bindingId);
    if (!(await this.options.store.postActions.deleteBinding(tenant.envId, bindingId))) throw notFound('binding', bindingId);
  }

  /** A trigger page's "Post-Action Bindings" section: its bindings, each with its post-action. */
  async bindingsOfTrigger(
    tenant: Tenant,
    type: BindingTriggerType,
    triggerId: string,
    page: Page,
  ): Promise<{ items: (BindingView & { post_action: PostActionView })[]; total: number }> {
    if (!(await triggerExists(this.options.store, tenant.envId, type, triggerId)))
      throw notFound(type === 'schedule' ? 'schedule' : 'webhook trigger or agent', triggerId);
    const { rows, total } = await this.options.store.postActions.listBindings(tenant.envId, { ...page, trigger: { type, id: triggerId } });
    const actions = new Map((await this.options.store.postActions.getMany(rows.map((b) => b.post_action_id))).map((a) => [a.id, a]));
    const items = rows.flatMap((b) => {
      const action = actions.get(b.post_action_id);
      return action ? [{ ...this.bindingView(b), post_action: this.view(action) }] : [];
    });
    return { items, total };
  }

  private checkBody(field: string, text: string): string {
    compileField(field, text, 'auto');
    return text;
  }

  private sealHeaders(headers: Record<string, string>): string | null {
    return Object.keys(headers).length ? this.options.box.seal(JSON.stringify(headers)) : null;
  }
}

/**
 * `webhook`: a named webhook trigger (wht_…), or an agent id for the agent's own trigger URL
 * (runs from that URL carry no trigger id, so the agent stands for it). `schedule`: a schedule.
 */
async function triggerExists(store: Store, envId: string, type: BindingTriggerType, id: string): Promise<boolean> {
  if (type === 'schedule') return (await store.schedules.get(envId, id)) !== undefined;
  return (await store.triggers.get(envId, id)) !== undefined || (await store.agents.getAgent(envId, id)) !== undefined;
}

function unknownTrigger(type: BindingTriggerType, id: string): UserError {
  const hint = type === 'schedule' ? 'give a schedule id (sch_…)' : "give a named webhook trigger id (wht_…) or an agent id for the agent's own URL";
  return new UserError('unknown_trigger', `trigger_id: ${type} ${id} does not exist; ${hint}`, { field: 'trigger_id', trigger_type: type, trigger_id: id });
}
