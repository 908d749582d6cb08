/**
 * The wall clock jumps forward and backward (an injected ManualClock stands in for NTP steps
 * and VM resumes). Schedules follow their documented misfire policy (docs/agents-and-triggers.md,
 * src/schedules/policy.ts): missed ticks collapse into the latest, which runs if it is at most
 * `misfire_grace_seconds` late; a jump back fires nothing twice. Delivery retries due in the
 * "future" after a jump back still happen once time catches up, and a jump forward costs one
 * retry, not one per schedule step. Counting is by scheduled instant and by event id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, RunOutcome } from '../src/agents/runner.js';
import { ManualClock } from '../src/util/clock.js';
import { type Harness, STORES, startHookline } from '../test/helpers/hookline.js';
import { Receiver } from '../test/helpers/receiver.js';
import { until } from '../test/helpers/wait.js';
import { Ledger, recordFigure } from './helpers/ledger.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const B = Date.UTC(2026, 2, 1, 0, 0, 0);
const iso = (t: number) => new Date(t).toISOString();

/** Runs end at once: the point is how many start, not what they do. */
const instantRunner: Runner = { run: async (): Promise<RunOutcome> => ({ status: 'completed', output: 'ok', error: null, exitCode: 0, usage: {} }) };

describe.each(STORES)('clock jumps (%s)', (kind) => {
  const clock = new ManualClock(B);
  let h: Harness;
  const rx = new Receiver();
  /** Requests per webhook-id, and how many times each id is answered 500 before a 200. */
  const sent = new Map<string, number>();
  const failFirst = new Map<string, number>();
  /** Answers of first requests to `/held`, kept back until the test lets them go. */
  const held: (() => void)[] = [];
  const ledger = new Ledger();
  const ticks = { expected: [] as number[], fired: 0, firedInstants: [] as number[], skippedAsAlreadyRan: 0, skippedAsMissed: 0 };
  const retries = { expectedAttempts: 0 };
  let inFlightJumps = 0;

  beforeAll(async () => {
    await rx.start();
    rx.respond = (r, res) => {
      const id = String(r.headers['webhook-id']);
      const n = (sent.get(id) ?? 0) + 1;
      sent.set(id, n);
      const answer = () => {
        if (n <= (failFirst.get(id) ?? 0)) return void res.writeHead(500).end();
        ledger.arrive(`event:${id}`);
        res.writeHead(200).end();
      };
      if (r.path === '/held' && n === 1) held.push(answer);
      else answer();
    };
    // The dispatcher's poll is pushed out of the way: retries go out when the test drains, or when
    // setting the clock reaches their due time (the dispatcher's due timer runs on this clock).
    // Either way each is claimed once, which is what the counts below check.
    h = await startHookline(kind, { clock, random: () => 0, runnerFor: () => instantRunner, overrides: { delivery: { poll_interval: '1h' } } });
    expect((await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Ops' })).status).toBe(201);
    expect(
      (
        await h.call('POST', '/api/v1/agents', {
          id: 'ticker',
          crew_id: 'ops',
          name: 'Ticker',
          runner: 'command',
          runner_config: { command: process.execPath },
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await h?.close();
    await rx.close();
  });

  const runs = async () => (await h.hl.runs.list(h.hl.tenants.fallback, { agentId: 'ticker', limit: 10_000, offset: 0 })).rows;
  /** Sets the clock, ticks (twice: a second tick must find nothing), and waits for any run it started to end. */
  const at = async (t: number) => {
    clock.set(t);
    await h.hl.scheduler!.tick();
    await h.hl.scheduler!.tick();
    await until('runs to end', async () => ((await runs()).some((r) => r.status === 'queued' || r.status === 'running') ? undefined : true));
  };
  /** The scheduled instant of every run, from its idempotency key `schedule:{id}:{tick ms}`. */
  const firedInstants = async (scheduleId: string) =>
    (await runs()).filter((r) => r.trigger_id === scheduleId).map((r) => Number(r.idempotency_key!.split(':').pop()));
  const drain = () => h.hl.dispatcher!.drain();
  /** Publishes an event whose first `failures` attempts are answered 500. */
  const publish = async (type: string, failures: number) => {
    const r = await h.call('POST', '/api/v1/events', { type, data: {} });
    expect(r.status).toBe(202);
    const id = r.body.event.id as string;
    failFirst.set(id, failures);
    ledger.accept(`event:${id}`);
    retries.expectedAttempts += failures + 1;
    return id;
  };
  const deliveryOf = async (eventId: string) => {
    const list = await h.call('GET', `/api/v1/deliveries?limit=100`);
    return (await h.call('GET', `/api/v1/deliveries/${list.body.items.find((d: any) => d.event_id === eventId).id}`)).body;
  };
  const expectFire = (t: number) => {
    ticks.expected.push(t);
    ledger.accept(`tick:${t}`);
  };

  it('schedules: a jump forward fires the latest missed tick once (or skips it past the grace); a jump back fires nothing twice', async () => {
    clock.set(B);
    const created = await h.call('POST', '/api/v1/schedules', { agent_id: 'ticker', name: 'every minute', cron: '* * * * *', misfire_grace_seconds: 30 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const schedule = async () => (await h.call('GET', `/api/v1/schedules/${id}`)).body;

    // 1. On time: 00:01 … 00:05.
    for (let m = 1; m <= 5; m++) {
      await at(B + m * MIN);
      expectFire(B + m * MIN);
    }
    expect(await firedInstants(id)).toHaveLength(5);

    // 2. Forward 6 h, landing 10 s after a tick: 360 missed ticks collapse into the latest, which is within the grace.
    await at(B + 6 * H + 5 * MIN + 10 * S);
    expectFire(B + 6 * H + 5 * MIN);
    expect(await firedInstants(id)).toHaveLength(6);
    await at(B + 6 * H + 6 * MIN);
    expectFire(B + 6 * H + 6 * MIN);

    // 3. Forward 2 h, landing 45 s after a tick: past the 30 s grace, so skipped and said why; the next tick runs.
    await at(B + 8 * H + 5 * MIN + 45 * S);
    ticks.skippedAsMissed++;
    const missed = await schedule();
    expect(missed.last_skip_reason).toBe(
      `missed: the ticks from ${iso(B + 6 * H + 7 * MIN)} to ${iso(B + 8 * H + 5 * MIN)}; the latest was 45 s late (misfire grace 30 s)`,
    );
    expect(missed.next_run_at).toBe(iso(B + 8 * H + 6 * MIN));
    expect(await firedInstants(id)).toHaveLength(7);
    await at(B + 8 * H + 6 * MIN);
    expectFire(B + 8 * H + 6 * MIN);

    // 4. Back 3 h, then time walks forward minute by minute: nothing fires until the next unfired tick.
    await at(B + 5 * H + 6 * MIN + 30 * S);
    expect((await schedule()).next_run_at).toBe(iso(B + 8 * H + 7 * MIN));
    for (let t = B + 5 * H + 7 * MIN; t <= B + 8 * H + 8 * MIN; t += MIN) {
      await at(t);
      if (t >= B + 8 * H + 7 * MIN) expectFire(t);
    }
    expect(await firedInstants(id)).toHaveLength(10);

    // 5. Back again, and the schedule re-planned while the clock is back (disable/enable plans from now):
    //    ticks that already ran are refused by their run's idempotency key; the ones that never ran do run.
    clock.set(B + 8 * H + 3 * MIN + 30 * S);
    await h.call('PATCH', `/api/v1/schedules/${id}`, { enabled: false });
    expect((await h.call('PATCH', `/api/v1/schedules/${id}`, { enabled: true })).body.next_run_at).toBe(iso(B + 8 * H + 4 * MIN));
    const ran = new Set(await firedInstants(id));
    for (let t = B + 8 * H + 4 * MIN; t <= B + 8 * H + 10 * MIN; t += MIN) {
      await at(t);
      if (ran.has(t)) {
        ticks.skippedAsAlreadyRan++;
        expect((await schedule()).last_skip_reason).toMatch(new RegExp(`^the tick at ${iso(t)} already ran`));
      } else expectFire(t);
    }

    const instants = await firedInstants(id);
    for (const t of instants) ledger.arrive(`tick:${t}`);
    ticks.fired = instants.length;
    ticks.firedInstants = instants;
    expect(instants.sort((a, b) => a - b)).toEqual([...ticks.expected].sort((a, b) => a - b));
    expect(new Set(instants).size).toBe(instants.length);
    await h.call('DELETE', `/api/v1/schedules/${id}`);
  });

  it('retries: due in the "future" after a jump back, they happen once time catches up; a jump forward costs one attempt', async () => {
    const ep = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/retries`, events: ['clock.*'] });
    expect(ep.status).toBe(201);
    const delivery = deliveryOf;

    // Backward: e1's retry is due at C+30s; the clock goes back 1 h, e2 is published then.
    const C = B + 24 * H;
    clock.set(C);
    const e1 = await publish('clock.jump', 1);
    await drain();
    expect((await delivery(e1)).next_attempt_at).toBe(iso(C + 30 * S));
    clock.set(C - H);
    await drain();
    expect(sent.get(e1)).toBe(1);
    const e2 = await publish('clock.jump', 1);
    await drain();
    // Time catches up in 10 s steps: e2's retry at C-1h+30s, e1's at C+30s, each once.
    for (let t = C - H; t <= C + 40 * S; t += 10 * S) {
      clock.set(t);
      await drain();
      if (t < C - H + 30 * S) expect(sent.get(e2), iso(t)).toBe(1);
      if (t < C + 30 * S) expect(sent.get(e1), iso(t)).toBe(1);
    }
    expect([sent.get(e1), sent.get(e2)]).toEqual([2, 2]);
    for (const e of [e1, e2]) expect(await delivery(e)).toMatchObject({ status: 'delivered', attempts: 2 });

    // Forward: e3 fails twice; a 6 h jump makes its retry due, and it is tried once (then 2 min later, from the new now).
    const D = C + H;
    clock.set(D);
    const e3 = await publish('clock.jump', 2);
    await drain();
    clock.set(D + 6 * H);
    await drain();
    await drain();
    expect(sent.get(e3)).toBe(2);
    const mid = await delivery(e3);
    expect(mid).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: iso(D + 6 * H + 2 * MIN) });
    clock.advance(2 * MIN);
    await drain();
    expect(await delivery(e3)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(sent.get(e3)).toBe(3);
  });

  it('a delivery in flight when the clock jumps forward past its lease is not sent again', async () => {
    expect((await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/held`, events: ['inflight.*'] })).status).toBe(201);
    clock.set(B + 48 * H);
    const id = await publish('inflight.jump', 0);
    await until('the request to be in flight', async () => (held.length ? true : undefined));
    // 6 h later by the clock, the row's 60 s lease has long run out; the next claim (the poll's) finds it due.
    clock.set(B + 54 * H);
    await h.hl.dispatcher!.pump();
    held.shift()!();
    await drain();
    expect(sent.get(id)).toBe(1);
    expect(await deliveryOf(id)).toMatchObject({ status: 'delivered', attempts: 1 });
    inFlightJumps++;
  });

  it('records the figure: no tick fired twice, no retry lost or doubled', () => {
    const attemptsSent = [...sent.values()].reduce((a, b) => a + b, 0);
    const figure = ledger.figure(`clock jumps (${kind})`, {
      store: kind,
      ticks_expected: ticks.expected.length,
      ticks_fired: ticks.fired,
      ticks_duplicated: ticks.fired - new Set(ticks.firedInstants).size,
      ticks_skipped_missed: ticks.skippedAsMissed,
      ticks_skipped_already_ran: ticks.skippedAsAlreadyRan,
      retry_events: sent.size,
      retry_attempts_expected: retries.expectedAttempts,
      retry_attempts_sent: attemptsSent,
      in_flight_across_forward_jump: inFlightJumps,
    });
    recordFigure(`clock-jumps-${kind}`, figure);
    expect(ledger.missing()).toEqual([]);
    expect(figure.lost).toBe(0);
    expect(figure.duplicated).toBe(0);
    expect(ledger.unexpected()).toEqual([]);
    expect(ticks.fired).toBe(ticks.expected.length);
    expect(attemptsSent).toBe(retries.expectedAttempts);
  });
});
