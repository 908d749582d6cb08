import type { FastifyPluginAsync } from 'fastify';
import { namedTenant } from '../auth.js';
import { readCookie, SESSION_COOKIE } from '../cookies.js';
import type { ApiDeps } from '../deps.js';
import { CLOSE_TRY_AGAIN_LATER, CLOSE_UNAUTHORIZED, StreamSession } from '../stream-session.js';

/** Query parameters that would carry a key; refused so that no client ever puts one in a URL (URLs end up in logs). */
const KEY_PARAMS = ['api_key', 'apikey', 'key', 'token', 'access_token', 'authorization'];

function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  return !!origin && !!host && URL.canParse(origin) && new URL(origin).host === host;
}

function keyInQuery(url: string): boolean {
  const params = new URL(url, 'http://localhost').searchParams;
  return KEY_PARAMS.some((p) => params.has(p)) || [...params.values()].some((v) => v.startsWith('hl_sk_'));
}

/**
 * GET /api/v1/stream: the live stream over WebSocket (docs/streaming.md). The route is public
 * to the API-key hook because browsers cannot set headers on a WebSocket; the session does
 * its own authentication (the header when there is one, else an `auth` first message).
 */
export const streamRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    const { hub, limits } = deps.stream;
    const sessions = new Set<StreamSession>();
    const heartbeat = setInterval(() => {
      for (const s of sessions) s.heartbeat();
    }, limits.pingIntervalMs);
    heartbeat.unref();
    // A revocation made through this process closes that key's sockets at once; one made through
    // another process (several API processes on PostgreSQL) is caught by the next heartbeat.
    const offRevoked = deps.keys.onRevoked((id) => {
      for (const s of sessions) s.keyRevoked(id);
    });
    app.addHook('preClose', async () => {
      clearInterval(heartbeat);
      offRevoked();
      for (const s of sessions) s.shutdown();
    });

    app.get('/api/v1/stream', { websocket: true, config: { public: true }, schema: { hide: true } }, (socket, req) => {
      if (keyInQuery(req.url)) {
        return socket.close(CLOSE_UNAUTHORIZED, 'API keys are not accepted in the URL: use the Authorization header or an auth message');
      }
      if (sessions.size >= limits.maxConnections) return socket.close(CLOSE_TRY_AGAIN_LATER, 'too many live-stream connections; try again later');
      const header = req.headers.authorization;
      const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      // The dashboard's session cookie, only from a page of this origin (no cross-site WebSocket hijacking).
      const cookie = key ? undefined : sameOrigin(req.headers.origin, req.headers.host) ? readCookie(req.headers.cookie, SESSION_COOKIE) : undefined;
      // With a cookie, the credential checked now and at every heartbeat is the session (a revoked key ends it).
      const check = cookie ? { verify: (c: string) => deps.sessions.verify(c).then((s) => s?.key) } : deps.keys;
      // A browser's WebSocket cannot send headers: the tenant may come as ?org_id=&env_id= instead (the key never may).
      const query = new URL(req.url, 'http://stream').searchParams;
      const fromHeaders = namedTenant(req.headers);
      const named = { orgId: fromHeaders.orgId ?? query.get('org_id') ?? undefined, envId: fromHeaders.envId ?? query.get('env_id') ?? undefined };
      const session = new StreamSession(
        socket,
        {
          hub,
          keys: check,
          limits,
          log: req.log,
          tenantOf: (scope) => deps.tenants.resolve(scope, named),
        },
        key ?? cookie,
      );
      sessions.add(session);
      hub.connections.inc();
      socket.on('close', () => {
        sessions.delete(session);
        hub.connections.dec();
      });
    });
  };
