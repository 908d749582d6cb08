import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { ErrorBody } from '../schemas.js';
import { Settings } from '../../wire/index.js';

/**
 * The running configuration, readable with any installation key. Org and environment keys get
 * 403: the configuration (networks allowed, limits, the database) is the operator's, not a tenant's.
 */
export const settingsRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/settings',
      {
        config: { installation: true },
        schema: { tags: ['operations'], summary: 'The running configuration, without secrets', response: { 200: Settings, 401: ErrorBody, 403: ErrorBody } },
      },
      async () => deps.settings(),
    );
  };
