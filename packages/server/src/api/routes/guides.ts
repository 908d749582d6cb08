import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { notFound } from '../../errors/index.js';
import type { Guide } from '../guides.js';

/** GET /guides/ (the list) and /guides/{name}: public, like /docs. */
export const guideRoutes =
  (guides: Guide[]): FastifyPluginAsync =>
  async (app) => {
    const byName = new Map(guides.map((g) => [g.name, g]));
    const opts = { config: { public: true }, schema: { hide: true } };
    app.get('/guides/', opts, async (_req, reply) => {
      const lines = guides.length ? guides.map((g) => `${g.title}\n  /guides/${g.name}`) : ['No guides: this server was installed without the docs/ folder.'];
      return reply.type('text/plain; charset=utf-8').send(`Hookline guides\n\n${lines.join('\n\n')}\n`);
    });
    const serve = async (name: string, reply: FastifyReply) => {
      const guide = byName.get(name);
      if (!guide) throw notFound('guide', name);
      // Plain text: browsers show it instead of downloading it, and nothing in it can run.
      return reply
        .type('text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .send(await readFile(guide.file, 'utf8'));
    };
    app.get<{ Params: { name: string } }>('/guides/:name', opts, async (req, reply) => serve(req.params.name, reply));
    app.get<{ Params: { name: string } }>('/guides/recipes/:name', opts, async (req, reply) => serve(`recipes/${req.params.name}`, reply));
  };
