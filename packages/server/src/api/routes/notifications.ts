import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SLACK_TEST_MAX_CHARS, SLACK_TEST_TEXT } from '../../channels/index.js';
import { CHANNELS, notificationView } from '../../notifications/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, IdParams, PageQuery, Paginated } from '../schemas.js';
import { DELIVERY_STATUSES, Notification } from '../../wire/index.js';

const tags = ['notifications'];

const Query = Type.Object(
  {
    status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
    agent_id: Type.Optional(Type.String({ maxLength: 200, description: "The agent's id or name." })),
    channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
    execution_id: Type.Optional(Type.String({ maxLength: 128 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const SlackTest = Type.Object(
  {
    channel: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'A channel name ("#alerts" or "alerts") or id ("C0123ABCD"); default notifications.slack.default_channel.',
      }),
    ),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: SLACK_TEST_MAX_CHARS, description: `Shown as written. Default: "${SLACK_TEST_TEXT}"` })),
  },
  { additionalProperties: false },
);
const SlackTestResult = Type.Object({
  ok: Type.Literal(true),
  channel: Type.String({ description: 'The channel it went to.' }),
  ts: Type.String({ description: "Slack's id of the message." }),
});

/** The notification log (docs/notifications.md), at its own path (`/v1/notifications`) and under `/api/v1`. */
export const notificationRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const base of ['/api/v1/notifications', '/v1/notifications']) {
      const hidden = base.startsWith('/v1');
      app.get(
        base,
        {
          schema: {
            tags,
            hide: hidden,
            summary: 'Every notification of every run, newest first',
            querystring: Query,
            response: { 200: Paginated(Notification), 401: ErrorBody, 422: ErrorBody },
          },
        },
        (req) => deps.notifications.list(req.tenant, req.query),
      );
      app.get(
        `${base}/:id`,
        { schema: { tags, hide: hidden, summary: 'One notification', params: IdParams, response: { 200: Notification, 401: ErrorBody, 404: ErrorBody } } },
        async (req) => notificationView(await deps.notifications.get(req.tenant, req.params.id)),
      );
      app.post(
        `${base}/:id/retry`,
        {
          schema: {
            tags,
            hide: hidden,
            summary: 'Send it again now, with content identical to the first attempt',
            params: IdParams,
            response: { 202: Notification, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
          },
        },
        async (req, reply) => reply.status(202).send(await deps.notifications.retry(req.tenant, req.params.id)),
      );
    }
    app.post(
      '/api/v1/notifications/slack/test',
      {
        config: { installation: true },
        schema: {
          tags,
          summary: 'Post one test message to Slack now with the configured bot token (not retried, not logged)',
          body: SlackTest,
          response: { 200: SlackTestResult, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 422: ErrorBody, 502: ErrorBody },
        },
      },
      async (req) => deps.slackTest.send(req.body),
    );
  };
