import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installAuth } from './auth.js';
import type { ApiDeps } from './deps.js';
import { installErrorHandler } from './errors.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { endpointRoutes } from './routes/endpoints.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { keyRoutes } from './routes/keys.js';
import { agentRoutes } from './routes/agents.js';
import { logRoutes, reportRoutes, runRoutes } from './routes/runs.js';
import { triggerRoutes } from './routes/trigger.js';

export interface ApiOptions {
  bodyLimit: number;
  logger: Logger;
}

export async function buildApi(deps: ApiDeps, o: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Per-request logs stay off (they would dominate at thousands of requests a second); warnings and errors still log.
    loggerInstance: o.logger.child({}, { level: o.logger.levelVal > 40 ? o.logger.level : 'warn' }) as FastifyBaseLogger,
    bodyLimit: o.bodyLimit,
    ajv: {
      // Unknown fields are an error, not silently dropped; query strings are coerced.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  // The API speaks JSON only; anything else is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Hookline API', version: '0.1.0', description: 'Signed, retried, logged webhook delivery for AI-agent runs. Authenticate with `Authorization: Bearer hl_sk_…`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key, hl_sk_…' } } },
      security: [{ bearer: [] }],
    },
  });
  // Everything swagger-ui registers under /docs is public documentation.
  app.addHook('onRoute', (r) => {
    if (r.url.startsWith('/docs')) r.config = { ...(r.config ?? {}), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  installAuth(app, deps.keys);

  await app.register(healthRoutes(deps));
  await app.register(endpointRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(deliveryRoutes(deps));
  await app.register(keyRoutes(deps));
  await app.register(agentRoutes(deps));
  await app.register(runRoutes(deps));
  await app.register(reportRoutes(deps));
  await app.register(logRoutes(deps));
  await app.register(triggerRoutes(deps));
  return app;
}
