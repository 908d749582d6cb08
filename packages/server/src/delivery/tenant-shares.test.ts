import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../store/index.js';
import { ManualClock } from '../util/clock.js';
import { Reservations } from './reservations.js';
import { ACTIVE_WINDOW_MS, PACED_FLOOR, SHARED_BATCH, TenantShares } from './tenant-shares.js';

const T = 1_000_000;
const MAX = 256;
const CAP = 192;

let serial = 0;
const row = (env: string, endpointId = `ep_${env}`): DeliveryRecord => ({ id: `dlv_${++serial}`, env_id: env, endpoint_id: endpointId }) as DeliveryRecord;

function shares({ storeOnLoop = true, cap = CAP } = {}) {
  const clock = new ManualClock(T);
  const reserved = new Reservations();
  return { clock, reserved, shares: new TenantShares({ cap: () => cap, maxInFlight: MAX, clock, reserved, storeOnLoop }) };
}

/** `n` deliveries of `env` to one endpoint, each held `holdMs` and answered, spread over `windowMs`. */
function deliver(s: TenantShares, clock: ManualClock, env: string, n: number, holdMs: number, windowMs: number, endpointId?: string) {
  for (let i = 0; i < n; i++) {
    const r = row(env, endpointId);
    s.take([r]);
    clock.advance(holdMs);
    s.answered(r.id);
    s.release([r.id]);
    clock.advance(Math.max(0, windowMs / n - holdMs));
  }
}

describe('tenant shares', () => {
  it('with one environment, holds it to nothing: every slot, whole batches', () => {
    const { shares: s } = shares({ cap: MAX });
    s.take([row('env_a'), row('env_b')]);
    expect(s.shared()).toBe(false);
    expect(s.contended()).toBe(false);
    expect(s.cap('env_a')).toBe(MAX);
    expect(s.batch(256)).toBe(256);
    expect(s.rooms(256)).toEqual({});
  });

  it('a lone active environment keeps its configured share; a second one active makes them contend, until it has been idle a while', () => {
    const { shares: s, clock } = shares();
    const a = Array.from({ length: 10 }, () => row('env_a'));
    s.take(a);
    expect(s.contended()).toBe(false);
    expect(s.cap('env_a')).toBe(CAP);
    expect(s.batch(256)).toBe(256);

    const b = row('env_b');
    s.take([b]);
    expect(s.contended()).toBe(true);
    expect(s.batch(256)).toBe(SHARED_BATCH);
    s.release([b.id]);
    // B holds nothing now, but published a moment ago: A stays contended.
    clock.advance(ACTIVE_WINDOW_MS - 1);
    expect(s.contended()).toBe(true);
    clock.advance(2);
    expect(s.contended()).toBe(false);
    expect(s.batch(256)).toBe(256);
  });

  it('paces a contended environment to twice what its deliveries need (Little), never under the floor nor over its share', () => {
    const { shares: s, clock } = shares();
    // Before a whole window of answers, nothing is known: the configured share.
    s.take([row('env_busy')]);
    s.take([row('env_other')]);
    expect(s.cap('env_busy')).toBe(CAP);

    // A local endpoint: 4,000 a second, each held 1 ms → needs 4 → the floor.
    deliver(s, clock, 'env_busy', 4000, 0.25, 1000);
    clock.advance(1);
    s.take([row('env_other')]);
    expect(s.cap('env_busy')).toBe(PACED_FLOOR);
  });

  it('gives an environment whose endpoint answers in 200 ms the slots that rate needs, up to its share', () => {
    const { shares: s, clock } = shares();
    // 300 a second held 200 ms each (60 busy at once): twice is 120.
    for (let second = 0; second < 2; second++) {
      const rows = Array.from({ length: 300 }, () => row('env_far', 'ep_far'));
      s.take(rows);
      s.take([row('env_near')]);
      clock.advance(200);
      for (const r of rows) s.answered(r.id);
      s.release(rows.map((r) => r.id));
      clock.advance(800);
    }
    s.take([row('env_near')]);
    expect(s.cap('env_far')).toBe(120);
    // Three times as fast at the same hold time would need 360: capped at the share.
    for (let second = 0; second < 2; second++) {
      const rows = Array.from({ length: 900 }, () => row('env_far', 'ep_far'));
      s.take(rows);
      clock.advance(200);
      for (const r of rows) s.answered(r.id);
      s.release(rows.map((r) => r.id));
      clock.advance(800);
    }
    s.take([row('env_near')]);
    expect(s.cap('env_far')).toBe(CAP);
  });

  it('counts only answered deliveries: handed-back or unsent ones say nothing of the pace', () => {
    const { shares: s, clock } = shares();
    s.take([row('env_other')]);
    for (let second = 0; second < 2; second++) {
      const rows = Array.from({ length: 500 }, () => row('env_a'));
      s.take(rows);
      clock.advance(1000);
      s.release(rows.map((r) => r.id)); // none answered
    }
    expect(s.cap('env_a')).toBe(CAP);
  });

  it('on PostgreSQL (store off the loop) keeps whole batches and the configured share while contended', () => {
    const { shares: s, clock } = shares({ storeOnLoop: false });
    s.take([row('env_other')]);
    deliver(s, clock, 'env_busy', 4000, 0.25, 1000);
    clock.advance(1);
    s.take([row('env_busy'), row('env_other')]);
    expect(s.contended()).toBe(true);
    expect(s.cap('env_busy')).toBe(CAP);
    expect(s.batch(256)).toBe(256);
  });

  it("leaves an environment at its cap out of a claim's rooms and remembers it may have more; its next release says so", () => {
    const { shares: s } = shares();
    const a = Array.from({ length: CAP }, () => row('env_a'));
    s.take(a);
    s.take([row('env_b')]);
    const rooms = s.rooms(64);
    expect(rooms).toEqual({ env_a: 0 });
    expect(s.mayHaveMore.has('env_a')).toBe(true);
    expect(s.release([a[0]!.id])).toBe(true);
    expect(s.mayHaveMore.has('env_a')).toBe(false);
    expect(s.release([a[1]!.id])).toBe(false);
  });

  it('counts reserved deliveries (hand-offs not yet committed) as held', () => {
    const { shares: s, reserved } = shares();
    s.take([row('env_b')]);
    reserved.add({ owner: 'w.1', leaseUntil: T + 60_000, ids: new Set(['x', 'y']) }, { perEndpoint: new Map([['ep', 2]]), perEnv: new Map([['env_a', 2]]) });
    expect(s.load('env_a')).toBe(2);
    expect(s.rooms(CAP)).toEqual({ env_a: CAP - 2, env_b: CAP - 1 });
  });
});
