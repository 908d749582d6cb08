import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { defaultGuidesDir, findGuides, guidesMarkdown } from './guides.js';
import { guideRoutes } from './routes/guides.js';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installAuth } from './auth.js';
import { installPortalGuards } from './portal-auth.js';
import { portalRoutes } from './routes/portal.js';
import { installJsonParser } from './json-body.js';
import { recordRoutes } from './route-table.js';
import { refuseFieldsWithoutSchema } from './unknown-fields.js';
import type { ApiDeps } from './deps.js';
import { clientErrorHandler, frameworkErrors, installErrorHandler } from './errors.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { endpointRoutes } from './routes/endpoints.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { orgRoutes } from './routes/orgs.js';
import { keyRoutes } from './routes/keys.js';
import { agentRoutes } from './routes/agents.js';
import { logRoutes, reportRoutes, runRoutes } from './routes/runs.js';
import { triggerRoutes } from './routes/trigger.js';
import { streamRoutes } from './routes/stream.js';
import { scheduleRoutes } from './routes/schedules.js';
import { webhookTriggerRoutes } from './routes/webhook-triggers.js';
import { postActionRoutes } from './routes/post-actions.js';
import { notificationRoutes } from './routes/notifications.js';
import { callbackRoutes } from './routes/callbacks.js';
import { sessionRoutes } from './routes/session.js';
import { dashboardDist, dashboardRoutes } from './routes/dashboard.js';
import { inspectorRoutes } from './routes/inspector.js';
import { statsRoutes } from './routes/stats.js';
import { settingsRoutes } from './routes/settings.js';

export interface ApiOptions {
  bodyLimit: number;
  logger: Logger;
}

export async function buildApi(deps: ApiDeps, o: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Per-request logs stay off (they would dominate at thousands of requests a second); warnings and errors still log.
    loggerInstance: o.logger.child({}, { level: o.logger.levelVal > 40 ? o.logger.level : 'warn' }) as FastifyBaseLogger,
    bodyLimit: o.bodyLimit,
    clientErrorHandler,
    frameworkErrors,
    ajv: {
      // Unknown fields are an error, not silently dropped (400 unknown_field, api/unknown-fields.ts); query strings are coerced. `discriminator`
      // lets a oneOf pick its branch by a tag field (agents by `runner`), so errors name that branch's fields.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, discriminator: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  recordRoutes(app);
  refuseFieldsWithoutSchema(app);
  // The API speaks JSON only; anything else is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  const guides = findGuides(defaultGuidesDir());
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hookline API',
        version: '0.1.0',
        description: `Signed, retried, logged webhook delivery for AI-agent runs. Authenticate with \`Authorization: Bearer hl_sk_…\`.${guidesMarkdown(guides)}`,
      },
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
  installJsonParser(app);
  installAuth(app, deps.keys, deps.sessions, deps.portalSessions, deps.tenants);
  installPortalGuards(app);
  // Client messages on the live stream are small; a huge frame is a mistake or an attack.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  await app.register(guideRoutes(guides));
  await app.register(healthRoutes(deps));
  await app.register(endpointRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(deliveryRoutes(deps));
  await app.register(keyRoutes(deps));
  await app.register(orgRoutes(deps));
  await app.register(agentRoutes(deps));
  await app.register(runRoutes(deps));
  await app.register(reportRoutes(deps));
  await app.register(logRoutes(deps));
  await app.register(triggerRoutes(deps));
  await app.register(streamRoutes(deps));
  await app.register(scheduleRoutes(deps));
  await app.register(webhookTriggerRoutes(deps));
  await app.register(postActionRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(callbackRoutes(deps));
  await app.register(sessionRoutes(deps));
  await app.register(inspectorRoutes(deps));
  await app.register(statsRoutes(deps));
  await app.register(settingsRoutes(deps));
  await app.register(portalRoutes(deps, deps.dashboardDir ?? dashboardDist()));
  await app.register(dashboardRoutes(deps.dashboardDir ?? dashboardDist()));
  return app;
}
