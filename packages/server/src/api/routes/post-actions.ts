import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AUTH_TYPES, FIRE_WHEN, METHODS, RETRY_COUNT, TIMEOUT_SECONDS, TRIGGER_TYPES } from '../../post-actions/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, IdParams, Nullable, PageQuery, Paginated } from '../schemas.js';
import { Binding, PostAction, PostActionRun, Preview, TriggerBinding } from '../../wire/index.js';

const tags = ['post-actions'];
// Null first: with coerceTypes, Ajv would otherwise turn null into "" through the string branch.
const oneOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );
const Template = (description: string) =>
  Type.String({
    maxLength: 65_536,
    description: `${description} A template (see docs/templates.md); a mistake is a 422 invalid_template with its line and column.`,
  });

const Auth = Type.Object(
  {
    type: oneOf(AUTH_TYPES, 'none; bearer (token); basic (username, password); header (name, value).'),
    token: Type.Optional(Type.String({ maxLength: 8192 })),
    username: Type.Optional(Type.String({ maxLength: 1024 })),
    password: Type.Optional(Type.String({ maxLength: 8192 })),
    name: Type.Optional(Type.String({ maxLength: 256 })),
    value: Type.Optional(Type.String({ maxLength: 8192 })),
  },
  { additionalProperties: false, description: 'Credentials, stored encrypted (AES-256-GCM) and never shown again; a PATCH without `auth` keeps them.' },
);

// Ranges are checked by the service, so the error names the field, the range and the default.
// No schema defaults either: Ajv's useDefaults would put them into PATCH bodies.
const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  method: oneOf(METHODS, 'HTTP method (required; there is no default).'),
  url: Template('Where the request goes (http or https); inserted values are percent-encoded.'),
  headers: Type.Record(Type.String(), Template('A header value.'), {
    maxProperties: 50,
    description:
      'Header name → value template, a free-form map of any header names. Stored encrypted; values are never shown again. A PATCH with `headers` replaces them all.',
  }),
  body_template: Template('Request body; when it starts with { or [, inserted values are JSON-escaped.'),
  auth: Auth,
  timeout_seconds: Type.Integer({ description: `Per-request timeout, ${TIMEOUT_SECONDS.min}–${TIMEOUT_SECONDS.max} s (default ${TIMEOUT_SECONDS.default}).` }),
  retry_count: Type.Integer({ description: `Retries after a failed attempt, ${RETRY_COUNT.min}–${RETRY_COUNT.max} (default ${RETRY_COUNT.default}).` }),
  enabled: Type.Boolean({ description: 'Default true.' }),
};

const PostActionCreate = Type.Object(
  {
    name: fields.name,
    method: fields.method,
    url: fields.url,
    headers: Type.Optional(fields.headers),
    body_template: Type.Optional(fields.body_template),
    auth: Type.Optional(fields.auth),
    timeout_seconds: Type.Optional(fields.timeout_seconds),
    retry_count: Type.Optional(fields.retry_count),
    enabled: Type.Optional(fields.enabled),
  },
  { additionalProperties: false },
);
const PostActionUpdate = Type.Object(Type.Partial(PostActionCreate).properties, { additionalProperties: false, minProperties: 1 });

const bindingFields = {
  fire_when: oneOf(FIRE_WHEN, 'any (always), success, or failure (failed or timed out). Default any.'),
  body_override: Nullable(Template("Used instead of the post-action's body_template; null = the post-action's.")),
  enabled: Type.Boolean({ description: 'Default true.' }),
};
const BindingCreate = Type.Object(
  {
    trigger_type: oneOf(TRIGGER_TYPES, 'webhook or schedule.'),
    trigger_id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "webhook: a named webhook trigger id (wht_…), or an agent id for the agent's own URL; schedule: a schedule id (sch_…).",
    }),
    fire_when: Type.Optional(bindingFields.fire_when),
    body_override: Type.Optional(bindingFields.body_override),
    enabled: Type.Optional(bindingFields.enabled),
  },
  { additionalProperties: false },
);
const BindingUpdate = Type.Object(Type.Partial(Type.Object(bindingFields)).properties, { additionalProperties: false, minProperties: 1 });

const PreviewBody = Type.Object(
  {
    url: Type.Optional(fields.url),
    headers: Type.Optional(fields.headers),
    body_template: Type.Optional(fields.body_template),
    run_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Render with the variables this run gives its post-actions; without it, fixed sample values.' }),
    ),
  },
  { additionalProperties: false },
);

const Page = Type.Object(PageQuery, { additionalProperties: false });
const BindingParams = Type.Object({ id: Type.String({ maxLength: 128 }), bindingId: Type.String({ maxLength: 128 }) });
const TriggerParams = Type.Object({ type: oneOf(TRIGGER_TYPES, 'webhook or schedule.'), id: Type.String({ maxLength: 128 }) });

/** Post-actions (docs/post-actions.md): reusable HTTP requests, and their bindings to webhook triggers and schedules. */
export const postActionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const pa = deps.postActions;
    app.post(
      '/api/v1/post-actions',
      { schema: { tags, summary: 'Create a post-action', body: PostActionCreate, response: { 201: PostAction } } },
      async (req, reply) => reply.status(201).send(await pa.create(req.tenant, req.body)),
    );
    app.get(
      '/api/v1/post-actions',
      { schema: { tags, summary: 'List post-actions', querystring: Page, response: { 200: Paginated(PostAction) } } },
      async (req) => {
        const { limit, offset } = req.query;
        return { ...(await pa.list(req.tenant, { limit, offset })), limit, offset };
      },
    );
    app.get('/api/v1/post-actions/:id', { schema: { tags, summary: 'Get a post-action', params: IdParams, response: { 200: PostAction } } }, async (req) =>
      pa.view(await pa.get(req.tenant, req.params.id)),
    );
    app.patch(
      '/api/v1/post-actions/:id',
      { schema: { tags, summary: 'Update a post-action (only the fields given)', params: IdParams, body: PostActionUpdate, response: { 200: PostAction } } },
      async (req) => pa.update(req.tenant, req.params.id, req.body),
    );
    app.delete(
      '/api/v1/post-actions/:id',
      { schema: { tags, summary: 'Delete a post-action and its bindings', params: IdParams, response: { 204: Type.Null() } } },
      async (req, reply) => {
        await pa.remove(req.tenant, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/post-actions/:id/bindings',
      {
        schema: {
          tags,
          summary: 'Bind the post-action to a webhook trigger or schedule (409 if already bound)',
          params: IdParams,
          body: BindingCreate,
          response: { 201: Binding },
        },
      },
      async (req, reply) => reply.status(201).send(await pa.createBinding(req.tenant, req.params.id, req.body)),
    );
    app.get(
      '/api/v1/post-actions/:id/bindings',
      { schema: { tags, summary: "A post-action's bindings", params: IdParams, querystring: Page, response: { 200: Paginated(Binding) } } },
      async (req) => {
        const { limit, offset } = req.query;
        return { ...(await pa.listBindings(req.tenant, req.params.id, { limit, offset })), limit, offset };
      },
    );
    app.get(
      '/api/v1/post-actions/:id/bindings/:bindingId',
      { schema: { tags, summary: 'Get a binding', params: BindingParams, response: { 200: Binding } } },
      async (req) => pa.bindingView(await pa.getBinding(req.tenant, req.params.id, req.params.bindingId)),
    );
    app.patch(
      '/api/v1/post-actions/:id/bindings/:bindingId',
      {
        schema: {
          tags,
          summary: 'Update a binding (fire_when, body_override, enabled)',
          params: BindingParams,
          body: BindingUpdate,
          response: { 200: Binding },
        },
      },
      async (req) => pa.updateBinding(req.tenant, req.params.id, req.params.bindingId, req.body),
    );
    app.delete(
      '/api/v1/post-actions/:id/bindings/:bindingId',
      { schema: { tags, summary: 'Delete a binding', params: BindingParams, response: { 204: Type.Null() } } },
      async (req, reply) => {
        await pa.removeBinding(req.tenant, req.params.id, req.params.bindingId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/post-actions/:id/runs',
      {
        schema: {
          tags,
          summary: 'Run history: every time it fired, newest first',
          params: IdParams,
          querystring: Page,
          response: { 200: Paginated(PostActionRun) },
        },
      },
      async (req) => deps.notifications.postActionRuns(req.tenant, req.params.id, req.query),
    );

    // Read-only keys may call it too (api/auth.ts): it renders, and sends and stores nothing.
    app.post(
      '/api/v1/post-actions/preview',
      {
        schema: {
          tags,
          summary: "Render URL, header and body templates with sample values or a run's variables; nothing is sent",
          body: PreviewBody,
          response: { 200: Preview, 401: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => deps.preview.preview(req.tenant, req.body),
    );

    app.get(
      '/api/v1/triggers/:type/:id/post-actions',
      {
        schema: {
          tags,
          summary: "A trigger's post-action bindings, each with its post-action",
          params: TriggerParams,
          querystring: Page,
          response: { 200: Paginated(TriggerBinding) },
        },
      },
      async (req) => {
        const { limit, offset } = req.query;
        return { ...(await pa.bindingsOfTrigger(req.tenant, req.params.type, req.params.id, { limit, offset })), limit, offset };
      },
    );
  };
