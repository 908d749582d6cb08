import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UserError } from '../errors/index.js';
import { patternWithin, type PortalSession, type PortalSessions } from '../keys/index.js';
import { noRouteMessage } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request was authenticated by a customer-portal token (docs/portal.md). */
    portal?: { sessionId: string; eventTypes: string[] | null; readOnly: boolean; expiresAt: number };
  }
}

const ENDPOINTS = '/api/v1/webhooks/endpoints';

/**
 * The only routes a portal token reaches (method and route pattern): the tenant's endpoints,
 * their deliveries, the event catalog, and the portal's own context and logout. Any other
 * route answers as if it did not exist, so a customer cannot even learn what else is there.
 */
export const PORTAL_ROUTES: ReadonlySet<string> = new Set([
  `GET ${ENDPOINTS}`,
  `POST ${ENDPOINTS}`,
  `GET ${ENDPOINTS}/:id`,
  `PATCH ${ENDPOINTS}/:id`,
  `DELETE ${ENDPOINTS}/:id`,
  `POST ${ENDPOINTS}/:id/enable`,
  `POST ${ENDPOINTS}/:id/disable`,
  `POST ${ENDPOINTS}/:id/rotate-secret`,
  `POST ${ENDPOINTS}/:id/test`,
  'GET /api/v1/event-types',
  'GET /api/v1/deliveries',
  'GET /api/v1/deliveries/:id',
  'POST /api/v1/deliveries/:id/retry',
  'GET /api/v1/portal/context',
  'DELETE /api/v1/portal/session',
]);

/** Routes a read-only portal session may still call: logging out changes nothing of the tenant's. */
const READ_ONLY_SAFE = new Set(['DELETE /api/v1/portal/session']);

/** Routes whose body subscribes an endpoint to event types, checked against the session's limit. */
const SUBSCRIBING = new Set([`POST ${ENDPOINTS}`, `PATCH ${ENDPOINTS}/:id`]);

const routeOf = (req: FastifyRequest) => `${req.method} ${req.routeOptions.url}`;

/**
 * Authenticates a request carrying a portal token: the session's tenant, fixed (the tenant
 * headers are ignored), on the portal's routes only.
 */
export async function authenticatePortal(req: FastifyRequest, token: string, sessions: PortalSessions): Promise<void> {
  const session = await sessions.verify(token);
  if (!session) throw new UserError('unauthorized', 'this portal link has expired or was logged out; ask for a new one');
  const route = routeOf(req);
  if (!PORTAL_ROUTES.has(route) && !(req.method === 'HEAD' && PORTAL_ROUTES.has(`GET ${req.routeOptions.url}`))) {
    throw new UserError('route_not_found', noRouteMessage(req));
  }
  if (session.readOnly && req.method !== 'GET' && req.method !== 'HEAD' && !READ_ONLY_SAFE.has(route)) {
    throw new UserError('forbidden', 'this portal session is read-only');
  }
  actAsPortal(req, session);
}

function actAsPortal(req: FastifyRequest, session: PortalSession): void {
  req.keyScope = { orgId: session.tenant.orgId, envId: session.tenant.envId };
  req.tenant = session.tenant;
  req.portal = { sessionId: session.id, eventTypes: session.eventTypes, readOnly: session.readOnly, expiresAt: session.expiresAt };
}

/** Refuses subscriptions outside a portal session's event-type limit (after validation, before the handler). */
export function installPortalGuards(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    const limit = req.portal?.eventTypes;
    if (!limit || !SUBSCRIBING.has(routeOf(req))) return;
    const events = (req.body as { events?: string[] } | undefined)?.events ?? [];
    const outside = events.filter((p) => !patternWithin(p, limit));
    if (outside.length) {
      throw new UserError('validation_failed', `${outside.map((p) => `"${p}"`).join(', ')} not allowed here; the event types allowed are: ${limit.join(', ')}`);
    }
  });
}
