import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';

describe.each(STORES)('smoke (%s)', (kind) => {
  let h: Harness;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver().start();
    h = await startHookline(kind);
  });
  afterAll(async () => {
    await h.close();
    await rx.close();
  });

  it('delivers a published event to a subscribed endpoint', async () => {
    const ep = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['invoice.*'] });
    expect(ep.status).toBe(201);
    const pub = await h.call('POST', '/api/v1/events', { type: 'invoice.paid', data: { amount: 5 } });
    expect(pub.status).toBe(202);
    await rx.waitFor(1);
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ type: 'invoice.paid', data: { amount: 5 } });
  });
});
