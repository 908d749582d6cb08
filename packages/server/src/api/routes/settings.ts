import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { ErrorBody } from '../schemas.js';
import { Settings } from '../../wire/index.js';

/** The running configuration, readable with any key. */
export const settingsRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/settings',
      { schema: { tags: ['operations'], summary: 'The running configuration, without secrets', response: { 200: Settings, 401: ErrorBody } } },
      async () => deps.settings(),
    );
  };
