// Every route that takes a body, sent JSON nested far deeper than any real payload: the API
// refuses it with 400 payload_too_deep before parsing (a recursive walk of such a body would
// overflow the stack and answer 500). Prototype-poisoning keys stay refused too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/api/index.js';
import { type Harness, startHookline } from '../helpers/hookline.js';
import { concreteUrl } from './route-urls.js';

const deep = (n: number) => `{"type":"x.y","data":${'['.repeat(n)}1${']'.repeat(n)}}`;

describe('JSON bodies on every route', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline('sqlite');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a body nested 20,000 deep gets 400 payload_too_deep on every route with a body, never a 5xx', async () => {
    // Trigger URLs keep the raw bytes (signatures) and check depth after finding the agent and
    // the signature, so an unknown agent is a 404 first: trigger-fuzz.test.ts covers them with real agents.
    const routes = routeTable(h.hl.api!).filter(
      (r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.url.startsWith('/inspect/') && !r.url.startsWith('/api/v1/webhooks/:crewId/'),
    );
    expect(routes.length).toBeGreaterThan(30);
    const answers: string[] = [];
    for (const r of routes) {
      const res = await h.call(r.method, concreteUrl(r.url), deep(20_000));
      answers.push(`${res.status} ${res.body?.error?.code ?? ''} ${r.method} ${r.url}`);
    }
    expect(answers.filter((a) => !a.startsWith('400 payload_too_deep'))).toEqual([]);
  });

  it('nesting up to the limit is parsed as usual, and brackets inside strings do not count', async () => {
    const atLimit = await h.call('POST', '/api/v1/events', `{"type":"x.y","data":{"v":${'['.repeat(254)}1${']'.repeat(254)}}}`);
    expect(atLimit.status).toBe(202);
    const inString = await h.call('POST', '/api/v1/events', { type: 'x.y', data: { s: '['.repeat(5000) } });
    expect(inString.status).toBe(202);
  });

  it('still refuses prototype-poisoning keys', async () => {
    const res = await h.call('POST', '/api/v1/events', '{"type":"x.y","data":{"__proto__":{"admin":true}}}');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBeTruthy();
  });
});
