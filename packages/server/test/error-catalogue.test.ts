/**
 * The API's error handler answers every catalogue entry with the catalogue's status and the
 * entry's wire code, over a real HTTP server on loopback.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../src/api/errors.js';
import { ERRORS, type ErrorName, UserError, wireCode } from '../src/errors/index.js';

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = Fastify();
  installErrorHandler(app);
  app.get<{ Params: { name: ErrorName } }>('/throw/:name', async (req) => {
    throw new UserError(req.params.name, `refused as ${req.params.name}`, req.params.name === 'unknown_field' ? { field: 'body.x' } : undefined);
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

const answer = async (name: string) => {
  const res = await fetch(`${base}/throw/${name}`);
  return { status: res.status, body: await res.json() };
};

describe('error handler and catalogue', () => {
  it('answers each entry with its catalogue status and wire code', async () => {
    for (const name of Object.keys(ERRORS) as ErrorName[]) {
      const got = await answer(name);
      const details = name === 'unknown_field' ? { details: { field: 'body.x' } } : {};
      expect(got, name).toEqual({ status: ERRORS[name].status, body: { error: { code: wireCode(name), message: `refused as ${name}`, ...details } } });
    }
  });

  it('keeps the statuses clients have always had for the codes used twice', async () => {
    expect(await answer('unknown_agent')).toMatchObject({ status: 422, body: { error: { code: 'unknown_agent' } } });
    expect(await answer('schedule_agent_deleted')).toMatchObject({ status: 409, body: { error: { code: 'unknown_agent' } } });
    expect(await answer('ssrf_blocked')).toMatchObject({ status: 422, body: { error: { code: 'ssrf_blocked' } } });
    expect(await answer('slack_api_blocked')).toMatchObject({ status: 502, body: { error: { code: 'ssrf_blocked' } } });
  });
});
