import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';

// Subscribing to a type nobody publishes is allowed (custom types may come later) but answered
// with a warning, so a typo such as "bogus" or "invoice.payed" does not pass silently.
const EP = '/api/v1/webhooks/endpoints';
const target = 'http://127.0.0.1:9/hook'; // never contacted: the dispatcher is stopped

describe.each(STORES)('endpoint subscriptions to unknown event types (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline(kind, { overrides: { delivery: { poll_interval: '1h' } } });
    await h.hl.dispatcher!.stop();
  });
  afterAll(() => h.close());

  it('saves a type that is neither built in nor ever published, with a warning naming the field', async () => {
    const r = await h.call('POST', EP, { url: target, events: ['run.completed', 'bogus', 'runs.completed'], enabled: false });
    expect(r.status).toBe(201);
    expect(r.body.events).toEqual(['run.completed', 'bogus', 'runs.completed']);
    expect(r.body.secret).toMatch(/^whsec_/);
    expect(r.body.warnings).toEqual([
      {
        code: 'unknown_event_type',
        field: 'events[1]',
        message: '"bogus" is not a known event type (not built in, never published); it will match only events published later with exactly that type',
      },
      {
        code: 'unknown_event_type',
        field: 'events[2]',
        message: '"runs.completed" is not a known event type (not built in, never published); did you mean "run.completed"?',
      },
    ]);
    // The warning is about the save, not part of the endpoint.
    expect((await h.call('GET', `${EP}/${r.body.id}`)).body.warnings).toBeUndefined();
  });

  it('has no warnings key when every type is known; wildcards are checked by prefix', async () => {
    const r = await h.call('POST', EP, { url: target, events: ['*', 'run.*', 'endpoint.disabled'], enabled: false });
    expect(r.status).toBe(201);
    expect('warnings' in r.body).toBe(false);
    const prefix = await h.call('POST', EP, { url: target, events: ['runs.*'], enabled: false });
    expect(prefix.body.warnings).toEqual([
      {
        code: 'unknown_event_type',
        field: 'events[0]',
        message: '"runs.*" selects no known event type (none built in, none published so far); did you mean "run.*"?',
      },
    ]);
    // A reserved namespace is still refused outright.
    expect((await h.call('POST', EP, { url: target, events: ['run.complete'] })).body.error).toMatchObject({
      code: 'invalid_event_type',
      message: expect.stringContaining('did you mean "run.completed"'),
    });
  });

  it('knows the custom types published so far, also after their events are pruned, and suggests them', async () => {
    expect((await h.call('POST', '/api/v1/events', { type: 'invoice.paid', data: { amount: 1 } })).status).toBe(202);
    // Retention deletes the event; the type stays known.
    await h.hl.store.events.prune(h.hl.clock.now() + 1, 1000);
    const r = await h.call('POST', EP, {
      url: target,
      events: ['invoice.paid', 'invoice.*', 'invoice.payed', 'invoce.*', 'invoice', 'shipment.*'],
      enabled: false,
    });
    expect(r.status).toBe(201);
    expect(r.body.warnings).toEqual([
      {
        code: 'unknown_event_type',
        field: 'events[2]',
        message: '"invoice.payed" is not a known event type (not built in, never published); did you mean "invoice.paid"?',
      },
      {
        code: 'unknown_event_type',
        field: 'events[3]',
        message: '"invoce.*" selects no known event type (none built in, none published so far); did you mean "invoice.*"?',
      },
      {
        code: 'unknown_event_type',
        field: 'events[4]',
        message: '"invoice" is not a known event type (not built in, never published); did you mean "invoice.*"?',
      },
      {
        code: 'unknown_event_type',
        field: 'events[5]',
        message:
          '"shipment.*" selects no known event type (none built in, none published so far); it will match only events published later whose type starts with "shipment."',
      },
    ]);
  });

  it('warns on PATCH when the new events have an unknown type, and only then', async () => {
    const { id } = (await h.call('POST', EP, { url: target, events: ['run.failed'], enabled: false })).body;
    const typo = await h.call('PATCH', `${EP}/${id}`, { events: ['run.failed', 'invoice.piad'] });
    expect(typo.status).toBe(200);
    expect(typo.body.events).toEqual(['run.failed', 'invoice.piad']);
    expect(typo.body.warnings).toEqual([
      {
        code: 'unknown_event_type',
        field: 'events[1]',
        message: '"invoice.piad" is not a known event type (not built in, never published); did you mean "invoice.paid"?',
      },
    ]);
    const other = await h.call('PATCH', `${EP}/${id}`, { description: 'no events given' });
    expect(other.status).toBe(200);
    expect('warnings' in other.body).toBe(false);
    const fixed = await h.call('PATCH', `${EP}/${id}`, { events: ['invoice.paid'] });
    expect('warnings' in fixed.body).toBe(false);
  });
});
