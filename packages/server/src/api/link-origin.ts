import type { FastifyRequest } from 'fastify';

/**
 * The origin (and any path prefix) links handed out to users start with: `server.public_url`
 * when set, since behind a proxy the request's own scheme and Host are the proxy's view (and
 * Host is whatever the client sent); otherwise the scheme and host the request came to.
 */
export function linkOrigin(req: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.host}`;
}
