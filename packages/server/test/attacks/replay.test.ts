import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { type Harness, startHookline } from '../helpers/hookline.js';
import { createTargets, signedHeaders, type Target, type TargetKind } from './trigger-targets.js';

/**
 * Replay (SECURITY.md): a captured, correctly signed trigger request sent again. Time moves with an
 * injected clock, never by sleeping. Runs are counted in the store, so "no second run" is a fact
 * about the database, not about the answer.
 */
describe('replayed trigger requests', () => {
  let h: Harness;
  let targets: Record<TargetKind, Target>;
  const clock = new ManualClock();
  const WINDOW_MS = 5 * 60_000;

  beforeAll(async () => {
    h = await startHookline('sqlite', { clock, overrides: { server: { role: 'api' } } });
    targets = (await createTargets(h, 'rp', 'rp-agent')).targets;
  });
  afterAll(async () => h?.close());

  const runsInStore = async () => (await h.hl.store.agents.listRuns(h.hl.tenants.fallback.envId, { agentId: 'rp-agent', limit: 1, offset: 0 })).total;
  const nowSec = () => Math.floor(clock.now() / 1000);
  let n = 0;
  /** A request as a legitimate sender makes it now: body and headers, ready to be sent (again). */
  const capture = (t: Target, o: { timestamp?: boolean; key?: string; deliveryId?: string } = {}) => {
    const body = JSON.stringify({ event: 'replay.test', source: 'attacker', type: 'replay.test', n: n++ });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...signedHeaders(t, Buffer.from(body), { nowSec: nowSec(), timestamp: o.timestamp ?? true, deliveryId: o.deliveryId ?? `rp-${n}` }),
    };
    if (o.key) headers['idempotency-key'] = o.key;
    return { t, body, headers };
  };
  const send = async (c: ReturnType<typeof capture>, extra: Record<string, string> = {}) => {
    const res = await fetch(h.url + c.t.path, { method: 'POST', headers: { ...c.headers, ...extra }, body: c.body });
    return { status: res.status, body: (await res.json()) as any };
  };

  it.each(['agent', 'hookline', 'standard', 'grafana'] as const)(
    '%s: resent after the 5-minute window it is refused with timestamp_out_of_window and starts no run',
    async (kind) => {
      const c = capture(targets[kind]);
      const first = await send(c);
      expect(first.status).toBe(202);
      const before = await runsInStore();

      clock.advance(WINDOW_MS + 1000);
      const replay = await send(c);
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe('timestamp_out_of_window');
      expect(replay.body.error.message).toMatch(/outside the 5-minute window/);
      // A timestamp from the future is no better (a request captured and held by a skewed sender).
      const early = capture(targets[kind]);
      clock.advance(-(2 * WINDOW_MS + 2000));
      expect((await send(early)).body.error.code).toBe('timestamp_out_of_window');
      clock.advance(WINDOW_MS + 1000);
      expect(await runsInStore()).toBe(before);
    },
  );

  it('agent URL: resent within the window with the same Idempotency-Key, it answers 202 with the first run and "duplicate": true, and adds no run', async () => {
    const c = capture(targets.agent, { key: 'order-7781' });
    const first = await send(c);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'accepted', run_id: expect.stringMatching(/^run_/) });
    expect(first.body.duplicate).toBeUndefined();
    const before = await runsInStore();

    // Right up to the edge of the window (300 s is still inside), every resend is the same run.
    for (const step of [1000, 120_000, WINDOW_MS - 121_000]) {
      clock.advance(step);
      const again = await send(c);
      expect(again.status).toBe(202);
      expect(again.body).toEqual({ status: 'accepted', run_id: first.body.run_id, duplicate: true });
    }
    expect(await runsInStore()).toBe(before);
    // One second later the captured request is stale, key or not.
    clock.advance(1000);
    expect((await send(c)).body.error.code).toBe('timestamp_out_of_window');
    expect(await runsInStore()).toBe(before);
  });

  it('the same Idempotency-Key re-signed by the sender is still the first run; a new key is a new run', async () => {
    const key = 'deploy-42';
    const first = await send(capture(targets.agent, { key }));
    const before = await runsInStore();
    clock.advance(60_000);
    // The sender retries with a fresh timestamp and signature (as a retrying client does): same key, same run.
    const retried = await send(capture(targets.agent, { key }));
    expect(retried.body).toMatchObject({ run_id: first.body.run_id, duplicate: true });
    expect(await runsInStore()).toBe(before);
    const other = await send(capture(targets.agent, { key: 'deploy-43' }));
    expect(other.status).toBe(202);
    expect(other.body.run_id).not.toBe(first.body.run_id);
    expect(await runsInStore()).toBe(before + 1);
  });

  it('named trigger: a reused Idempotency-Key returns the first run; keys are per trigger, as documented', async () => {
    const c = capture(targets.hookline, { key: 'shared-key' });
    const first = await send(c);
    expect(first.status).toBe(202);
    const before = await runsInStore();
    const again = await send(c);
    expect(again.body).toMatchObject({ run_id: first.body.run_id, duplicate: true });
    expect(await runsInStore()).toBe(before);
    // docs/webhook-triggers.md: "the same key on two triggers of one agent starts two runs".
    const elsewhere = await send(capture(targets.grafana, { key: 'shared-key' }));
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.body.run_id).not.toBe(first.body.run_id);
    expect(await runsInStore()).toBe(before + 1);
  });

  it("github: a redelivery with the same X-GitHub-Delivery returns the first run (GitHub's Redeliver)", async () => {
    const c = capture(targets.github, { deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
    const first = await send(c);
    expect(first.status).toBe(202);
    const before = await runsInStore();
    // Days later (GitHub signs no timestamp, so there is no window): still the same run.
    clock.advance(3 * 24 * 3_600_000);
    const again = await send(c);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'accepted', run_id: first.body.run_id, duplicate: true });
    expect(await runsInStore()).toBe(before);
  });

  it('standard: the same webhook-id within the window returns the first run; a changed webhook-id breaks the signature', async () => {
    const c = capture(targets.standard, { deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' });
    const first = await send(c);
    expect(first.status).toBe(202);
    const before = await runsInStore();
    clock.advance(200_000);
    const again = await send(c);
    expect(again.body).toMatchObject({ run_id: first.body.run_id, duplicate: true });
    // The id is signed ("{id}.{ts}.{body}"): a replay cannot dodge the dedupe by changing it.
    const renamed = await send(c, { 'webhook-id': 'msg_new_one' });
    expect(renamed.status).toBe(401);
    expect(renamed.body.error.code).toBe('unauthorized');
    expect(await runsInStore()).toBe(before);
  });

  it('an explicit Idempotency-Key wins over the sender delivery id', async () => {
    const c = capture(targets.github, { deliveryId: 'gh-delivery-1', key: 'explicit-1' });
    const first = await send(c);
    const before = await runsInStore();
    const sameKeyOtherDelivery = await send(c, { 'x-github-delivery': 'gh-delivery-2' });
    expect(sameKeyOtherDelivery.body).toMatchObject({ run_id: first.body.run_id, duplicate: true });
    expect(await runsInStore()).toBe(before);
  });
});
