import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody, httpStatus } from '../errors.js';

/** Where the dashboard's production build is (the @hookline/dashboard workspace), or undefined when not built. */
export function dashboardDist(): string | undefined {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('@hookline/dashboard/package.json')), 'dist');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

// The dashboard loads only its own scripts and styles and talks only to this origin.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Serves the dashboard at /dashboard/: hashed assets cached for good, every other path the app's index.html. */
export const dashboardRoutes =
  (dist: string | undefined): FastifyPluginAsync =>
  async (app) => {
    if (!dist) {
      app.get('/dashboard*', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
        reply
          .status(httpStatus('dashboard_not_built'))
          .send(errorBody('dashboard_not_built', 'the dashboard is not built; run `npm run build` in the Hookline repository')),
      );
      return;
    }
    await app.register(fastifyStatic, { root: dist, serve: false });
    app.get('/dashboard', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.redirect('/dashboard/'));
    app.get('/dashboard/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
      const path = (req.params as { '*': string })['*'];
      if (path.startsWith('assets/') && existsSync(join(dist, path)) && !path.includes('..')) {
        return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path, { cacheControl: false });
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    });
  };
