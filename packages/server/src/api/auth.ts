import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeys } from '../keys/index.js';
import { UserError } from '../util/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: { id: string; role: 'admin' | 'read' };
  }
  interface FastifyContextConfig {
    /** Routes that answer without an API key (health, metrics, docs). */
    public?: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Bearer API keys on every route except those marked `config: { public: true }`. */
export function installAuth(app: FastifyInstance, keys: ApiKeys): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (req.routeOptions.config?.public || !req.routeOptions.url) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new UserError(401, 'unauthorized', 'missing API key: send "Authorization: Bearer hl_sk_…"');
    // Looked up on every request (an indexed hash lookup), so a revoked key stops at once.
    const row = await keys.verify(token);
    if (!row) throw new UserError(401, 'unauthorized', 'invalid or revoked API key');
    if (row.role === 'read' && !READ_METHODS.has(req.method)) throw new UserError(403, 'forbidden', 'this API key is read-only');
    req.apiKey = { id: row.id, role: row.role };
  });
}
