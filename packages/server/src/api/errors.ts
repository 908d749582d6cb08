import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { storeUnavailable } from '../store/index.js';
import { ERRORS, type ErrorName, UserError, wireCode } from '../errors/index.js';
import { lingerOnClose } from './lingering-close.js';
import { unknownFieldIn } from './unknown-fields.js';

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
    return v.params.error === 'mapping'
      ? `${where}.${tag}: ${JSON.stringify(v.params.tagValue)} is not one of the allowed values`
      : `${where}: missing required field "${tag}"`;
  }
  return `${where} ${v.message ?? 'is invalid'}`;
}

/** The HTTP status of a refusal: the catalogue's, so domain code never chooses one. */
export const httpStatus = (name: ErrorName): number => ERRORS[name].status;

/** The API's error shape for a catalogue entry. */
export const errorBody = (name: ErrorName, message: string, details?: unknown) => ({
  error: { code: wireCode(name), message, ...(details ? { details } : {}) },
});

/** The one place errors become HTTP: `{error: {code, message}}`, never a stack or a secret. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validation?: AjvIssue[]; validationContext?: string }, req, reply) => {
    // An unknown field in the body is reported before any other mistake Ajv found there.
    const refusal = err instanceof UserError ? err : err.validation && err.validationContext === 'body' ? unknownFieldIn(req) : undefined;
    if (refusal) {
      if (refusal.retryAfterSeconds !== undefined) reply.header('retry-after', String(refusal.retryAfterSeconds));
      return reply.status(httpStatus(refusal.entry)).send(errorBody(refusal.entry, refusal.message, refusal.details));
    }
    if (err.validation && err.validationContext === 'body' && req.body === undefined) {
      return reply
        .status(httpStatus('empty_body'))
        .send(
          errorBody(
            'empty_body',
            `${req.method} ${req.routeOptions.url} needs a JSON body and the request had none; send a JSON object (see /docs for its fields)`,
          ),
        );
    }
    if (err.validation) {
      const issues = err.validation.map((v) => describe(err.validationContext ?? 'request', v));
      return reply.status(httpStatus('validation_failed')).send(errorBody('validation_failed', issues.join('; '), issues));
    }
    const byCode: Record<string, [ErrorName, string]> = {
      FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_json', 'the request body is not valid JSON'],
      FST_ERR_CTP_EMPTY_JSON_BODY: ['empty_body', 'the request body is empty; send a JSON object'],
      FST_ERR_CTP_BODY_TOO_LARGE: [
        'body_too_large',
        `the request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes (server.body_limit_bytes)`,
      ],
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_content_length', 'the body received is not as long as its Content-Length header says'],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'send the body as application/json'],
    };
    const known = byCode[err.code];
    if (known) {
      // Refused with the body still arriving: close so that the refusal reaches the client.
      if (!req.raw.complete) lingerOnClose(req.raw.socket, req.raw);
      return reply.status(httpStatus(known[0])).send(errorBody(known[0], known[1]));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (e.g. bad JSON syntax): their messages hold no secrets.
      // The status is Fastify's own (bad_request is catalogued as "keeps the 4xx status").
      return reply.status(err.statusCode).send(errorBody(err.statusCode === 400 ? 'invalid_json' : 'bad_request', err.message));
    }
    // The database is down or restarting, or the disk is full: the client should come back
    // later, not give up. Warn only: during an outage every request lands here.
    const unavailable = storeUnavailable(err);
    if (unavailable) {
      req.log.warn({ code: unavailable.code, cause: (err as Error).message }, 'request refused: the store is unavailable');
      return reply
        .status(httpStatus(unavailable.code))
        .header('retry-after', String(unavailable.retryAfterSeconds))
        .send(errorBody(unavailable.code, unavailable.message));
    }
    req.log.error({ err }, 'request failed');
    return reply.status(httpStatus('internal')).send(errorBody('internal', 'internal error; the server log has the details'));
  });
  app.setNotFoundHandler((req, reply) => reply.status(httpStatus('route_not_found')).send(errorBody('route_not_found', noRouteMessage(req))));
}

/** What a request for a route that does not exist is told (also a portal token on a route outside the portal's). */
export const noRouteMessage = (req: FastifyRequest) => `no route ${req.method} ${req.url.split('?')[0]}; see /docs for the API reference`;

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over 16 KB, malformed
 * framing, a client too slow to send its headers) get the API's error shape too, so every
 * refusal carries a machine-readable code. The connection is closed: its framing is unknown.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [name, message]: [ErrorName, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers_too_large', 'the request headers are larger than 16 KB']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request_timeout', 'the request was not received in time']
        : ['bad_request', 'the request is not valid HTTP/1.1'];
  const status = httpStatus(name);
  const body = JSON.stringify(errorBody(name, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** URLs the router refuses before any route runs (bad percent-encoding, a path segment over 100 characters), in the API's error shape. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const [name, message]: [ErrorName, string] =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? ['url_too_long', 'a path segment of the URL is longer than 100 characters']
      : err.code === 'FST_ERR_BAD_URL'
        ? ['bad_url', 'the URL is not valid (bad percent-encoding)']
        : ['bad_request', 'the request cannot be routed'];
  void reply.status(httpStatus(name)).send(errorBody(name, message));
}
