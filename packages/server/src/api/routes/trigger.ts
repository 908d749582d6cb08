import type { FastifyPluginAsync } from 'fastify';
import { formatTriggerMessage, SUNSET, verifyInbound } from '../../triggers/inbound.js';
import { runView } from '../../runs/payload.js';
import { RateLimiter } from '../../util/rate-limiter.js';
import { UserError } from '../../util/errors.js';
import type { ApiDeps } from '../deps.js';

/**
 * 004's inbound trigger. No API key: the agent's webhook secret is the credential, checked
 * over the exact raw bytes, so this plugin keeps the body as a Buffer.
 */
export const triggerRoutes = (d: ApiDeps): FastifyPluginAsync => async (app) => {
  const limiter = new RateLimiter();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { crewId: string; agentId: string } }>(
    '/api/v1/webhooks/:crewId/:agentId/trigger',
    { config: { public: true }, schema: { tags: ['triggers'], summary: "Trigger an agent run (004); authenticated by the agent's webhook secret", security: [] } },
    async (req, reply) => {
      const agent = await d.store.agents.getAgent(req.params.agentId);
      if (!agent || agent.crew_id !== req.params.crewId) throw new UserError(404, 'not_found', 'no such agent in this crew');
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const auth = verifyInbound(req.headers, raw, d.agents.webhookSecret(agent), Math.floor(d.clock.now() / 1000));
      if (!auth.ok) throw new UserError(401, 'unauthorized', auth.reason);
      if (auth.deprecated) reply.header('deprecation', 'true').header('sunset', SUNSET);
      if (agent.rate_limit_per_minute) {
        const wait = limiter.take(agent.id, agent.rate_limit_per_minute / 60, d.clock.now());
        if (wait > 0) {
          reply.header('retry-after', String(Math.ceil(wait / 1000)));
          throw new UserError(429, 'rate_limited', `agent ${agent.id} accepts ${agent.rate_limit_per_minute} triggers a minute; retry after ${Math.ceil(wait / 1000)} s`);
        }
      }
      let payload: unknown = {};
      if (raw.length) {
        try {
          payload = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new UserError(400, 'invalid_json', 'the request body is not valid JSON');
        }
      }
      const key = req.headers['idempotency-key'];
      const idempotencyKey = typeof key === 'string' && key.length ? key.slice(0, 255) : null;
      const { run, created } = await d.runs.enqueue({ agent, triggerType: 'webhook', triggerName: 'inbound', prompt: formatTriggerMessage(payload, agent.prompt_template), idempotencyKey });
      return reply.status(202).send({ status: 'accepted', run_id: run.id, ...(created ? {} : { duplicate: true }), run: runView(run) });
    },
  );
};
