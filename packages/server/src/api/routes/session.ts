import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UserError } from '../../errors/index.js';
import { clearedSessionCookie, sessionCookie } from '../cookies.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody } from '../schemas.js';
import { Session as SessionView } from '../../wire/index.js';

const tags = ['session'];

type ScopedKey = { org_id: string | null; env_id: string | null };

/** The session's view plus the tenant its key is limited to, so the dashboard knows whether to offer a tenant switcher. */
function withScope<V extends { key: object }>(view: V, key: ScopedKey) {
  return { ...view, key: { ...view.key, org_id: key.org_id, env_id: key.env_id } };
}

/** Dashboard sign-in: an API key in, an HTTP-only SameSite=Strict cookie out (the key never reaches browser storage). */
export const sessionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/session',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Sign in with an API key (sets the session cookie)',
          body: Type.Object({ api_key: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
          response: { 200: SessionView, 401: ErrorBody },
        },
      },
      async (req, reply) => {
        const opened = await deps.sessions.open(req.body.api_key);
        if (!opened) throw new UserError('unauthorized', 'invalid or revoked API key');
        reply.header('set-cookie', sessionCookie(opened.token, Math.floor(deps.sessions.ttlMs / 1000), req.protocol === 'https'));
        return withScope(deps.sessions.view(opened.session), opened.session.key);
      },
    );
    app.get(
      '/api/v1/session',
      { schema: { tags, summary: 'The signed-in key and the CSRF token', response: { 200: SessionView, 401: ErrorBody } } },
      async (req) => {
        if (req.session) return withScope(deps.sessions.view(req.session), req.session.key);
        const key = (await deps.keys.list()).find((k) => k.id === req.apiKey!.id)!;
        return { key: { id: key.id, name: key.name, role: key.role, org_id: key.org_id, env_id: key.env_id }, csrf_token: null, expires_at: null };
      },
    );
    app.delete('/api/v1/session', { schema: { tags, summary: 'Sign out (clears the session cookie)', response: { 204: Type.Null() } } }, async (req, reply) => {
      reply.header('set-cookie', clearedSessionCookie(req.protocol === 'https'));
      return reply.status(204).send(null);
    });
  };
