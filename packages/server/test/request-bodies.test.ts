import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, answerOf, type Harness, STORES, startHookline } from './helpers/hookline.js';

/**
 * One rule for empty bodies (docs/api.md#request-bodies): a zero-length body is no body,
 * whatever its Content-Type. Routes that need a body answer 400 empty_body and store nothing;
 * routes whose body is optional behave as if none was sent.
 */
describe.each(STORES)('empty request bodies (%s)', (store) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline(store);
  });
  afterAll(async () => h?.close());

  // No content type means no body at all: fetch would label an empty string text/plain.
  const post = async (path: string, contentType: string | null) =>
    answerOf(
      await fetch(h.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(contentType ? { 'content-type': contentType } : {}) },
        body: contentType ? '' : undefined,
      }),
    );

  it.each([['application/json'], [null]])('a route that needs a body answers 400 empty_body (content type %s) and stores nothing', async (contentType) => {
    for (const path of ['/api/v1/events', '/api/v1/webhooks/endpoints', '/api/v1/crews']) {
      const r = await post(path, contentType);
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.code).toBe('empty_body');
      expect(r.body.error.message).toBe(`POST ${path} needs a JSON body and the request had none; send a JSON object (see /docs for its fields)`);
    }
    expect((await h.call('GET', '/api/v1/events?limit=1')).body.total ?? 0).toBe(0);
    expect((await h.call('GET', '/api/v1/webhooks/endpoints')).body.total).toBe(0);
  });

  it('a route whose body is optional takes an empty one as none, with or without a JSON content type', async () => {
    expect((await h.call('POST', '/api/v1/crews', { id: 'eb', name: 'eb' })).status).toBe(201);
    expect(
      (
        await h.call('POST', '/api/v1/agents', {
          id: 'eb-agent',
          crew_id: 'eb',
          name: 'eb',
          runner: 'command',
          runner_config: { command: process.execPath, args: ['-e', ''] },
        })
      ).status,
    ).toBe(201);
    const trigger = await h.call('POST', '/api/v1/agents/eb-agent/webhook-triggers', { name: 'hook' });
    expect(trigger.status).toBe(201);
    for (const contentType of ['application/json', null]) {
      const rotated = await post(`/api/v1/webhook-triggers/${trigger.body.id}/rotate-secret`, contentType);
      expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
      expect(rotated.body.secret).toEqual(expect.any(String));
    }
  });

  it('whitespace is not empty: it is a body, and not JSON', async () => {
    const r = answerOf(
      await fetch(h.url + '/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: '  ',
      }),
    );
    expect((await r).body.error.code).toBe('invalid_json');
  });
});

describe('secrets in the working tree', () => {
  it('.gitignore keeps a local hookline.yaml and the .hookline/ data directory (master key, database) out of git', () => {
    for (const path of ['hookline.yaml', '.hookline/master.key', '.hookline/hookline.db']) {
      // check-ignore exits non-zero for a path that is not ignored, which fails the test.
      expect(execFileSync('git', ['check-ignore', '--no-index', path], { encoding: 'utf8' }).trim()).toBe(path);
    }
  });
});
