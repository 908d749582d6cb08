import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AgentRecord } from '../../store/index.js';
import { formatTriggerMessage, type InboundAuth, subjectFor, SUNSET, type TriggerScheme, verifyInbound, verifyTrigger } from '../../triggers/index.js';
import { RateLimiter } from '../../util/index.js';
import { UserError } from '../../errors/index.js';
import type { ApiDeps } from '../deps.js';
import { MAX_JSON_DEPTH, nestsDeeperThan, tooDeep } from '../json-body.js';

type Params = { crewId: string; agentId: string };

/** All a secret-authenticated caller learns: the run exists, and whether it is a repeat. */
const TriggerAccepted = Type.Object(
  {
    status: Type.Literal('accepted'),
    run_id: Type.String({ description: 'Follow it with GET /api/v1/runs/{id} and an API key.' }),
    duplicate: Type.Optional(
      Type.Literal(true, {
        description: "Present when the Idempotency-Key (or the sender's delivery id) was seen before: run_id is the first run, no new one was started.",
      }),
    ),
  },
  { additionalProperties: false },
);
const TriggerIgnored = Type.Object({ status: Type.Literal('ignored'), reason: Type.String() }, { additionalProperties: false });

/** JSON, or a form with the JSON in `payload` (GitHub's default content type). */
function parsePayload(raw: Buffer, contentType: string | undefined): unknown {
  if (!raw.length) return {};
  let text = raw.toString('utf8');
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    const inner = form.get('payload');
    if (inner === null) return Object.fromEntries(form);
    text = inner;
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError('invalid_json', 'the request body is not valid JSON');
  }
}

/**
 * Inbound triggers. No API key: the trigger's secret is the credential, checked over the exact
 * raw bytes, so this plugin keeps bodies as Buffers (its parsers do not leak to other routes).
 *  - the agent's own trigger URL: /webhooks/{crew}/{agent}/trigger, the agent's secret, X-Signature.
 *  - Named triggers: /webhooks/{crew}/{agent}/{name}, their own secret, scheme and prompt.
 */
export const triggerRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    // Per agent, across all its URLs: the limit protects the agent, not a URL.
    const limiter = new RateLimiter();
    const asBuffer = (_req: unknown, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body);
    app.removeContentTypeParser('application/json'); // the API's own JSON parser, inherited from the root
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, asBuffer);
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, asBuffer);

    // A body-less request (no content type) has no parsed body at all: it is the empty body.
    const raw = (req: FastifyRequest) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

    // The URL names the agent alone (ids are unique in the installation): the run is in the agent's tenant.
    const findAgent = async (p: Params): Promise<AgentRecord> => {
      const agent = await deps.store.agents.findAgent(p.agentId);
      if (!agent || agent.crew_id !== p.crewId) throw new UserError('not_found', 'no such agent in this crew');
      return agent;
    };

    const accept = async (
      req: FastifyRequest,
      reply: FastifyReply,
      agent: AgentRecord,
      auth: InboundAuth,
      t: { scheme: TriggerScheme; id: string | null; name: string; template: string },
    ) => {
      if (!auth.ok) throw new UserError(auth.code, auth.reason);
      if (auth.deprecated) reply.header('deprecation', 'true').header('sunset', SUNSET);
      if (agent.rate_limit_per_minute) {
        const wait = limiter.take(agent.id, agent.rate_limit_per_minute / 60, deps.clock.now());
        if (wait > 0) {
          reply.header('retry-after', String(Math.ceil(wait / 1000)));
          throw new UserError(
            'rate_limited',
            `agent ${agent.id} accepts ${agent.rate_limit_per_minute} triggers a minute; retry after ${Math.ceil(wait / 1000)} s`,
          );
        }
      }
      if (t.scheme === 'github' && req.headers['x-github-event'] === 'ping')
        return reply.status(200).send({ status: 'ignored', reason: 'GitHub ping: the webhook reaches Hookline and its signature is valid' });
      const payload = parsePayload(raw(req), req.headers['content-type']);
      const header = req.headers['idempotency-key'];
      const key = typeof header === 'string' && header.length ? header : auth.deliveryId;
      // Named triggers' keys are their own: the same key on two URLs of one agent is two requests.
      const idempotencyKey = key ? (t.id ? `${t.id}:${key}` : key).slice(0, 255) : null;
      const prompt = formatTriggerMessage(payload, t.template, subjectFor(t.scheme, req.headers, payload));
      const { run, created } = await deps.runs.enqueue({ agent, triggerType: 'webhook', triggerId: t.id, triggerName: t.name, prompt, idempotencyKey });
      // The caller holds a trigger secret, not an API key, and senders keep answers in delivery
      // logs many people read: nothing of the agent (prompt, runner, output) goes back.
      return reply.status(202).send({ status: 'accepted', run_id: run.id, ...(created ? {} : { duplicate: true }) });
    };

    const nowSec = () => Math.floor(deps.clock.now() / 1000);
    // The response schemas are the allowlist: serialization drops any other key.
    const schema = (summary: string) => ({
      config: { public: true },
      schema: { tags: ['triggers'], summary, security: [], response: { 200: TriggerIgnored, 202: TriggerAccepted } },
    });

    app.post<{ Params: Params }>(
      '/api/v1/webhooks/:crewId/:agentId/trigger',
      schema("Trigger an agent run; authenticated by the agent's webhook secret"),
      async (req, reply) => {
        const agent = await findAgent(req.params);
        const auth = verifyInbound(req.headers, raw(req), deps.agents.webhookSecret(agent), nowSec());
        return accept(req, reply, agent, auth, { scheme: 'hookline', id: null, name: 'inbound', template: agent.prompt_template });
      },
    );

    app.post<{ Params: Params & { name: string } }>(
      '/api/v1/webhooks/:crewId/:agentId/:name',
      schema("Trigger an agent run through a named webhook trigger; authenticated by the trigger's secret and scheme"),
      async (req, reply) => {
        const agent = await findAgent(req.params);
        const trigger = await deps.store.triggers.byName(agent.env_id, agent.id, req.params.name);
        if (!trigger) throw new UserError('not_found', `agent ${agent.id} has no trigger named ${req.params.name}`);
        const scheme = trigger.scheme as TriggerScheme;
        const auth = verifyTrigger(scheme, req.headers, raw(req), deps.triggers.secret(trigger), nowSec());
        // Checked after the signature, so a disabled trigger does not tell strangers it exists.
        if (auth.ok && !trigger.enabled)
          throw new UserError('trigger_disabled', `trigger ${trigger.name} is disabled; enable it with PATCH /api/v1/webhook-triggers/${trigger.id}`);
        return accept(req, reply, agent, auth, { scheme, id: trigger.id, name: trigger.name, template: trigger.prompt_template || agent.prompt_template });
      },
    );
  };
