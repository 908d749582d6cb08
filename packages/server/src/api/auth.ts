import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeys } from '../keys/index.js';
import { PORTAL_TOKEN_PREFIX, type PortalSessions, type Sessions } from '../keys/index.js';
import { authenticatePortal } from './portal-auth.js';
import { UserError } from '../errors/index.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { scopeOfKey } from '../keys/index.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { KeyScope, Tenant, TenantAdmin, TenantRequest } from '../tenants/index.js';

/** The headers that name the tenant a request acts in. */
export const ORG_HEADER = 'hookline-org';
export const ENV_HEADER = 'hookline-env';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: { id: string; role: 'admin' | 'read' };
    /** What the key (or the session's key) is limited to; set on every authenticated route. */
    keyScope: KeyScope;
    /**
     * The tenant the request acts in (docs/tenants.md#addressing-a-tenant): the one the
     * Hookline-Org / Hookline-Env headers name, else the key's own, else the default. Set on
     * every authenticated route; public routes find theirs from the resource they name.
     */
    tenant: Tenant;
    /** Set when the request was authenticated by the dashboard's session cookie. */
    session?: import('../keys/index.js').Session;
  }
  interface FastifyContextConfig {
    /** Routes that answer without an API key (health, metrics, docs). */
    public?: boolean;
    /** Routes that act on the installation itself (its AGENT.md files, its Slack): installation keys only. */
    installation?: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);
/**
 * Routes that change nothing stored, so read-only keys may call them too (method and route
 * pattern): the template preview, and signing out (it only clears the caller's own cookie).
 */
export const READ_SAFE_ROUTES: ReadonlySet<string> = new Set(['POST /api/v1/post-actions/preview', 'DELETE /api/v1/session']);
/** Whether this request may be made with a read-only key. */
const readAllowed = (req: FastifyRequest) => READ_METHODS.has(req.method) || READ_SAFE_ROUTES.has(`${req.method} ${req.routeOptions.url}`);

/**
 * Bearer API keys on every route except those marked `config: { public: true }`; the
 * dashboard's session cookie works too, with its CSRF token required on every change; a
 * customer-portal token (hl_ps_…) on the portal's routes only (api/portal-auth.ts).
 */
export function installAuth(app: FastifyInstance, keys: ApiKeys, sessions: Sessions, portal: PortalSessions, tenants: TenantAdmin): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (req.routeOptions.config?.public || !req.routeOptions.url) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = token ? undefined : readCookie(req.headers.cookie, SESSION_COOKIE);
    if (cookie) {
      const session = await sessions.verify(cookie);
      if (!session) throw new UserError('unauthorized', 'your session has ended; sign in again');
      // SameSite=Strict already keeps other sites' requests from carrying the cookie; the token is the second lock.
      if (!READ_METHODS.has(req.method) && !sessions.csrfOk(session, headerValue(req.headers['x-csrf-token']))) {
        throw new UserError('csrf_failed', 'missing or wrong X-CSRF-Token header; reload the page');
      }
      if (session.key.role === 'read' && !readAllowed(req)) throw new UserError('forbidden', 'this API key is read-only');
      req.apiKey = { id: session.key.id, role: session.key.role };
      req.session = session;
      await actAs(req, scopeOfKey(session.key));
      return;
    }
    if (!token) throw new UserError('unauthorized', 'missing API key: send "Authorization: Bearer hl_sk_…"');
    if (token.startsWith(PORTAL_TOKEN_PREFIX)) return authenticatePortal(req, token, portal);
    // Checked on every request (from a cache that a revocation anywhere drops first), so a revoked key stops at once.
    const row = await keys.verify(token);
    if (!row) throw new UserError('unauthorized', 'invalid or revoked API key');
    if (row.role === 'read' && !readAllowed(req)) throw new UserError('forbidden', 'this API key is read-only');
    req.apiKey = { id: row.id, role: row.role };
    await actAs(req, scopeOfKey(row));
  });

  async function actAs(req: FastifyRequest, scope: KeyScope): Promise<void> {
    // The same answer whatever the key's tenant: it learns nothing it did not know.
    if (req.routeOptions.config?.installation && scope.orgId !== null)
      throw new UserError('forbidden', `${req.method} ${req.routeOptions.url} acts on the installation; use an installation key (one with no org_id)`);
    req.keyScope = scope;
    req.tenant = await tenants.resolve(scope, namedTenant(req.headers));
  }
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The tenant a request's Hookline-Org / Hookline-Env headers name (either may be absent). */
export const namedTenant = (headers: IncomingHttpHeaders): TenantRequest => ({
  orgId: headerValue(headers[ORG_HEADER]),
  envId: headerValue(headers[ENV_HEADER]),
});
