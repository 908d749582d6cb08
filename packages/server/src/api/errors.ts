import type { FastifyError, FastifyInstance } from 'fastify';
import { UserError } from '../util/errors.js';

interface AjvIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

function describe(context: string, v: AjvIssue): string {
  const where = `${context}${v.instancePath.replaceAll('/', '.')}`;
  if (v.keyword === 'additionalProperties') return `${where}: unknown field "${String(v.params.additionalProperty)}"`;
  if (v.keyword === 'required') return `${where}: missing required field "${String(v.params.missingProperty)}"`;
  if (v.keyword === 'discriminator') {
    const tag = String(v.params.tag);
    return v.params.error === 'mapping' ? `${where}.${tag}: ${JSON.stringify(v.params.tagValue)} is not one of the allowed values` : `${where}: missing required field "${tag}"`;
  }
  return `${where} ${v.message ?? 'is invalid'}`;
}

/** The one place errors become HTTP: `{error: {code, message}}`, never a stack or a secret. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validation?: AjvIssue[]; validationContext?: string }, req, reply) => {
    if (err instanceof UserError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (err.validation) {
      const issues = err.validation.map((v) => describe(err.validationContext ?? 'request', v));
      return reply.status(422).send({ error: { code: 'validation_failed', message: issues.join('; '), details: issues } });
    }
    const byCode: Record<string, [number, string, string]> = {
      FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'the request body is not valid JSON'],
      FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'the request body is empty; send a JSON object'],
      FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', `the request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes (server.body_limit_bytes)`],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the body as application/json'],
    };
    const known = byCode[err.code];
    if (known) return reply.status(known[0]).send({ error: { code: known[1], message: known[2] } });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (e.g. bad JSON syntax): their messages hold no secrets.
      return reply.status(err.statusCode).send({ error: { code: err.statusCode === 400 ? 'invalid_json' : 'bad_request', message: err.message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error; the server log has the details' } });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: { code: 'route_not_found', message: `no route ${req.method} ${req.url.split('?')[0]}; see /docs for the API reference` } }));
}
