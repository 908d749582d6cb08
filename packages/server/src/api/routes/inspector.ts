import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { BIN_SCHEMES } from '../../inspector/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, Nullable, PageQuery, Paginated } from '../schemas.js';
import { Bin, CapturedRequest } from '../../wire/index.js';
import { linkOrigin } from '../link-origin.js';

const tags = ['inspector'];
const errors = { 401: ErrorBody, 404: ErrorBody, 422: ErrorBody };
// Names, secrets and schemes are checked by the Inspector, so a mistake's message says what is allowed.
const SchemeField = Type.String({
  description: `How captured signatures are checked: ${BIN_SCHEMES.join(', ')}. \`auto\` (default) picks the scheme from each request's headers.`,
});
const SecretField = Type.String({
  description: 'Secret captured signatures are checked with (1–512 characters; for `standard`, the whsec_… secret). Stored encrypted, never shown again.',
});

const BinCreate = Type.Object(
  {
    name: Type.Optional(
      Type.String({ description: '1–64 letters, digits, `_` or `-`; the capture URL is /inspect/{name}. Default: "bin_" and 10 random characters.' }),
    ),
    secret: Type.Optional(SecretField),
    scheme: Type.Optional(SchemeField),
  },
  { additionalProperties: false },
);
const BinUpdate = Type.Object(
  { secret: Type.Optional(Nullable(SecretField, { description: 'A new secret, or null to remove it.' })), scheme: Type.Optional(SchemeField) },
  { additionalProperties: false, minProperties: 1 },
);

const BinParams = Type.Object({ bin: Type.String() });
const RequestParams = Type.Object({ bin: Type.String(), id: Type.String() });
const Page = Type.Object(PageQuery, { additionalProperties: false });

/** Managing bins and reading what they caught (API key; read-only keys may read). */
const adminRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = '/api/v1/inspector/bins';
    // A bin with a random name and no secret may be created with no body at all.
    app.addHook('preValidation', async (req) => {
      if (req.method === 'POST' && req.body === undefined) req.body = {};
    });

    app.post(
      base,
      { schema: { tags, summary: 'Create a request bin', body: BinCreate, response: { 201: Bin, ...errors, 409: ErrorBody } } },
      async (req, reply) => {
        return reply.status(201).send(await deps.inspector.create(req.tenant, req.body, linkOrigin(req, deps.publicUrl)));
      },
    );
    app.get(
      base,
      { schema: { tags, summary: 'List request bins, newest first', querystring: Page, response: { 200: Paginated(Bin), 401: ErrorBody } } },
      async (req) => {
        const { limit, offset } = req.query;
        return { ...(await deps.inspector.list(req.tenant, { limit, offset }, linkOrigin(req, deps.publicUrl))), limit, offset };
      },
    );
    app.get(`${base}/:bin`, { schema: { tags, summary: 'Get a request bin', params: BinParams, response: { 200: Bin, ...errors } } }, async (req) =>
      deps.inspector.get(req.tenant, req.params.bin, linkOrigin(req, deps.publicUrl)),
    );
    app.patch(
      `${base}/:bin`,
      { schema: { tags, summary: "Change a bin's secret or scheme", params: BinParams, body: BinUpdate, response: { 200: Bin, ...errors } } },
      async (req) => deps.inspector.update(req.tenant, req.params.bin, req.body, linkOrigin(req, deps.publicUrl)),
    );
    app.delete(
      `${base}/:bin`,
      { schema: { tags, summary: 'Delete a bin and its captured requests', params: BinParams, response: { 204: Type.Null(), ...errors } } },
      async (req, reply) => {
        await deps.inspector.remove(req.tenant, req.params.bin);
        return reply.status(204).send(null);
      },
    );
    app.get(
      `${base}/:bin/requests`,
      {
        schema: {
          tags,
          summary: "A bin's captured requests, newest first",
          params: BinParams,
          querystring: Page,
          response: { 200: Paginated(CapturedRequest), ...errors },
        },
      },
      async (req) => {
        const { limit, offset } = req.query;
        return { ...(await deps.inspector.requests(req.tenant, req.params.bin, { limit, offset })), limit, offset };
      },
    );
    app.get(
      `${base}/:bin/requests/:id`,
      { schema: { tags, summary: 'One captured request', params: RequestParams, response: { 200: CapturedRequest, ...errors } } },
      async (req) => deps.inspector.request(req.tenant, req.params.bin, req.params.id),
    );
    app.delete(
      `${base}/:bin/requests`,
      { schema: { tags, summary: "Clear a bin's captured requests", params: BinParams, response: { 204: Type.Null(), ...errors } } },
      async (req, reply) => {
        await deps.inspector.clear(req.tenant, req.params.bin);
        return reply.status(204).send(null);
      },
    );
  };

/**
 * The capture URLs: any method, any sub-path, any body, no key (the bin's name is the only
 * thing a sender needs). Bodies are read as bytes whatever their declared type; the type is
 * recorded from the raw headers, never interpreted, so nothing a sender declares is refused.
 */
const captureRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req: unknown, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body));
    // Without a content type Fastify hands every body to the catch-all parser above, even one
    // whose declared type is malformed (which it would otherwise refuse with 415).
    app.addHook('onRequest', async (req) => {
      delete req.headers['content-type'];
    });

    const capture = async (req: FastifyRequest<{ Params: { bin: string } }>) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { id } = await deps.inspector.capture(req.params.bin, {
        method: req.method,
        url: req.url,
        rawHeaders: req.raw.rawHeaders,
        body,
        remoteAddress: req.ip,
      });
      return { ok: true, id };
    };
    const options = (summary: string) => ({
      config: { public: true },
      schema: {
        tags,
        summary,
        security: [],
        params: BinParams,
        response: { 200: Type.Object({ ok: Type.Boolean(), id: Type.String() }), 404: ErrorBody, 413: ErrorBody },
      },
    });
    app.all('/inspect/:bin', options('Capture a request into a bin (any method, any body; no API key)'), capture);
    app.all('/inspect/:bin/*', options('Capture a request sent to a sub-path of a bin'), capture);
  };

/** The Inspector (docs/inspector.md): request bins. */
export const inspectorRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(adminRoutes(deps));
    await app.register(captureRoutes(deps));
  };
