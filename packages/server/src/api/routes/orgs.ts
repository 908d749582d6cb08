import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, NoQuery } from '../schemas.js';
import { Env, Org, OrgSettings } from '../../wire/index.js';

const tags = ['orgs'];
const Name = Type.String({ minLength: 1, maxLength: 200 });
const OrgParams = Type.Object({ org_id: Type.String({ maxLength: 128 }) });
const EnvParams = Type.Object({ org_id: Type.String({ maxLength: 128 }), env_id: Type.String({ maxLength: 128 }) });
const Confirm = Type.Object(
  {
    confirm: Type.Optional(Type.String({ maxLength: 128, description: 'The id being deleted; needed when it holds data, since everything in it is erased.' })),
  },
  { additionalProperties: false },
);

/** Orgs and their environments (docs/tenants.md). A scoped key sees only its own; others answer 404. */
export const orgRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { tenants } = deps;
    app.post(
      '/api/v1/orgs',
      {
        schema: {
          tags,
          summary: 'Create an org with its first environment (installation keys only)',
          body: Type.Object(
            { name: Name, settings: Type.Optional(OrgSettings), env_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, default: 'production' })) },
            { additionalProperties: false },
          ),
          response: { 201: Type.Intersect([Org, Type.Object({ envs: Type.Array(Env) })]), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (req, reply) => {
        if (req.keyScope.orgId !== null) throw deps.tenants.installationOnly();
        return reply.status(201).send(await tenants.createOrg(req.body));
      },
    );
    app.get(
      '/api/v1/orgs',
      {
        schema: {
          tags,
          summary: 'List the orgs this key can see',
          querystring: NoQuery,
          response: { 200: Type.Object({ items: Type.Array(Org) }), 401: ErrorBody },
        },
      },
      async (req) => ({ items: await tenants.listOrgs(req.keyScope) }),
    );
    app.get(
      '/api/v1/orgs/:org_id',
      { schema: { tags, summary: 'Get an org', params: OrgParams, response: { 200: Org, 401: ErrorBody, 404: ErrorBody } } },
      async (req) => tenants.orgView(await tenants.getOrg(req.keyScope, req.params.org_id)),
    );
    app.patch(
      '/api/v1/orgs/:org_id',
      {
        schema: {
          tags,
          summary: 'Rename an org or replace its settings (retention, quotas, portal origins, brand)',
          params: OrgParams,
          body: Type.Object({ name: Type.Optional(Name), settings: Type.Optional(OrgSettings) }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Org, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => {
        const org = await tenants.updateOrg(req.keyScope, req.params.org_id, req.body);
        deps.quotas.forget(org.id);
        return org;
      },
    );
    app.delete(
      '/api/v1/orgs/:org_id',
      {
        schema: {
          tags,
          summary: 'Delete an org and erase everything in it',
          params: OrgParams,
          querystring: Confirm,
          response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        if (req.keyScope.orgId !== null) throw deps.tenants.installationOnly();
        await tenants.deleteOrg(req.keyScope, req.params.org_id, req.query.confirm);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/orgs/:org_id/envs',
      {
        schema: {
          tags,
          summary: 'Create an environment',
          params: OrgParams,
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          response: { 201: Env, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
        },
      },
      async (req, reply) => reply.status(201).send(await tenants.createEnv(req.keyScope, req.params.org_id, req.body.name)),
    );
    app.get(
      '/api/v1/orgs/:org_id/envs',
      {
        schema: {
          tags,
          summary: "List an org's environments",
          params: OrgParams,
          querystring: NoQuery,
          response: { 200: Type.Object({ items: Type.Array(Env) }), 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => ({ items: await tenants.listEnvs(req.keyScope, req.params.org_id) }),
    );
    app.get(
      '/api/v1/orgs/:org_id/envs/:env_id',
      { schema: { tags, summary: 'Get an environment', params: EnvParams, response: { 200: Env, 401: ErrorBody, 404: ErrorBody } } },
      async (req) => tenants.envView(await tenants.getEnv(req.keyScope, req.params.org_id, req.params.env_id)),
    );
    app.delete(
      '/api/v1/orgs/:org_id/envs/:env_id',
      {
        schema: {
          tags,
          summary: 'Delete an environment and erase everything in it',
          params: EnvParams,
          querystring: Confirm,
          response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        await tenants.deleteEnv(req.keyScope, req.params.org_id, req.params.env_id, req.query.confirm);
        return reply.status(204).send(null);
      },
    );
  };
