import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { UserError } from '../../errors/index.js';
import { checkPattern } from '../../events/index.js';
import { eventCatalog } from '../../portal/index.js';
import { iso, parseDuration } from '../../util/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, NoQuery } from '../schemas.js';
import { EventTypeEntry, PortalContext, PortalSessionCreated } from '../../wire/index.js';
import { errorBody, httpStatus } from '../errors.js';
import { linkOrigin } from '../link-origin.js';

const tags = ['portal'];
const DEFAULT_TTL = '1h';
const MAX_TTL_MS = 24 * 3_600_000;

/** The portal page's policy: its own scripts, the org's logo (https), this API; framed only by this origin and the org's portal_origins. */
const portalCsp = (origins: readonly string[]) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; ` +
  `frame-ancestors ${["'self'", ...origins].join(' ')}; base-uri 'none'; form-action 'none'`;

/**
 * The customer portal (docs/portal.md): links opened by an installation or org admin key, the
 * portal's context and logout, the event catalog, and the portal page at /portal/.
 */
export const portalRoutes =
  (deps: ApiDeps, dist: string | undefined): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { tenants, portalSessions, store, clock } = deps;
    app.post(
      '/api/v1/portal/sessions',
      {
        schema: {
          tags,
          summary: "Open a customer-portal link showing one tenant's endpoints (installation or org admin keys)",
          body: Type.Object(
            {
              org_id: Type.String({ maxLength: 128 }),
              env_id: Type.String({ maxLength: 128 }),
              event_types: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: 130 }), {
                  minItems: 1,
                  maxItems: 100,
                  description: 'Patterns (as endpoints use: `invoice.*`, `order.paid`, `*`) the customer may subscribe to; default: any.',
                }),
              ),
              read_only: Type.Optional(Type.Boolean({ default: false, description: 'The customer may look but change nothing.' })),
              ttl: Type.Optional(Type.String({ default: DEFAULT_TTL, description: 'How long the link works: a duration up to `24h`.' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: PortalSessionCreated, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (req, reply) => {
        if (req.keyScope.envId !== null) throw new UserError('forbidden', 'an environment key cannot open portal links; use an org or installation key');
        const { org_id, env_id, event_types, read_only = false, ttl = DEFAULT_TTL } = req.body;
        const ttlMs = parseDuration(ttl);
        if (ttlMs === null || ttlMs < 1000 || ttlMs > MAX_TTL_MS) throw new UserError('validation_failed', `ttl "${ttl}" is not a duration between 1s and 24h`);
        for (const pattern of event_types ?? []) {
          const bad = checkPattern(pattern);
          if (bad) throw new UserError('validation_failed', `event_types: ${bad}`);
        }
        // Another org's or environment's ids answer as missing.
        const tenant = await tenants.resolve(req.keyScope, { orgId: org_id, envId: env_id });
        const { token, session } = portalSessions.open({ tenant, eventTypes: event_types ?? null, readOnly: read_only, ttlMs });
        // The token rides in the fragment: browsers send it to no server and put it in no Referer.
        const url = `${linkOrigin(req, deps.publicUrl)}/portal/?org=${encodeURIComponent(tenant.orgId)}#token=${encodeURIComponent(token)}`;
        return reply.status(201).send({ url, token, expires_at: iso(session.expiresAt)! });
      },
    );

    app.get(
      '/api/v1/portal/context',
      {
        schema: {
          tags,
          summary: "The portal session's tenant, brand and limits (with an API key: the key's tenant, unlimited)",
          querystring: NoQuery,
          response: { 200: PortalContext, 401: ErrorBody },
        },
      },
      async (req) => {
        const portal = req.portal;
        const [org, env] = await Promise.all([store.tenants.getOrg(req.tenant.orgId), store.tenants.getEnv(req.tenant.envId)]);
        if (!org || !env) throw new UserError('unauthorized', 'this portal link has expired or was logged out; ask for a new one');
        return {
          org: { id: org.id, name: org.name },
          env: { id: env.id, name: env.name },
          brand: { color: org.settings.brand?.color ?? null, logo_url: org.settings.brand?.logo_url ?? null },
          event_types: portal?.eventTypes ?? null,
          read_only: portal ? portal.readOnly : req.apiKey?.role === 'read',
          expires_at: portal ? iso(portal.expiresAt) : null,
        };
      },
    );

    app.delete(
      '/api/v1/portal/session',
      {
        schema: {
          tags,
          summary: 'Log the portal session out: its token is refused from now on (portal tokens)',
          response: { 204: Type.Null(), 401: ErrorBody },
        },
      },
      async (req, reply) => {
        const portal = portalOnly(req);
        await portalSessions.end({
          id: portal.sessionId,
          tenant: req.tenant,
          eventTypes: portal.eventTypes,
          readOnly: portal.readOnly,
          expiresAt: portal.expiresAt,
        });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/event-types',
      {
        schema: {
          tags: ['events'],
          summary: 'The event types endpoints can subscribe to, with descriptions and example envelopes',
          querystring: NoQuery,
          response: { 200: Type.Object({ items: Type.Array(EventTypeEntry) }), 401: ErrorBody },
        },
      },
      async (req) => ({ items: await eventCatalog(store, req.tenant, req.portal?.eventTypes ?? null, clock.now()) }),
    );

    await servePortalPage(app, deps, dist);
  };

/** The portal's own routes answer portal tokens only: an API key has no portal session. */
function portalOnly(req: FastifyRequest): NonNullable<FastifyRequest['portal']> {
  if (!req.portal) throw new UserError('unauthorized', 'this route takes a portal token (hl_ps_…), not an API key');
  return req.portal;
}

/**
 * /portal/: the portal page of the dashboard's build (its scripts load from /dashboard/assets/).
 * Which sites may frame it is the org's `portal_origins`; the org comes from the link's query.
 */
async function servePortalPage(app: Parameters<FastifyPluginAsyncTypebox>[0], deps: ApiDeps, dist: string | undefined): Promise<void> {
  const page = dist && existsSync(join(dist, 'portal.html')) ? dist : undefined;
  if (page) await app.register(fastifyStatic, { root: page, serve: false });
  app.get('/portal', { config: { public: true }, schema: { hide: true } }, async (req, reply) => reply.redirect(`/portal/${req.url.slice('/portal'.length)}`));
  app.get('/portal/', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    if (!page) {
      return reply
        .status(httpStatus('dashboard_not_built'))
        .send(errorBody('dashboard_not_built', 'the portal is not built; run `npm run build` in the Hookline repository'));
    }
    const orgId = (req.query as { org?: unknown }).org;
    const org = typeof orgId === 'string' && orgId.length <= 128 ? await deps.store.tenants.getOrg(orgId) : undefined;
    return reply
      .header('content-security-policy', portalCsp(org?.settings.portal_origins ?? []))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .sendFile('portal.html', { cacheControl: false });
  });
}
