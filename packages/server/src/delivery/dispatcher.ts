import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { DeliveryEngineStore, DeliveryRecord } from '../store/index.js';
import { type Clock, type RandomSource, systemClock, systemRandom, newId, RateLimiter } from '../util/index.js';
import type { Judged, KnownRows, PrepareDeliveries, PreparedDelivery } from './destination.js';
import type { HttpSender } from './http-sender.js';
import type { DeliveryMetrics } from './metrics.js';
import { DueTimer } from './due-timer.js';
import type { RetryPolicy } from './retry-policy.js';
import type { DeliveryHandoff, HandoffLease } from './handoff.js';
import { attemptFinished, type DeliveryResult, givenUp } from './outcome.js';
import { QueueGate } from './queue-gate.js';
import { Reservations, Tally } from './reservations.js';
import { ResultWriter } from './result-writer.js';
import { envOf, TenantShares } from './tenant-shares.js';

export type { DeliveryResult } from './outcome.js';

export interface DispatcherOptions {
  /** The engine's port to storage (see store/engine.ts); disabling an endpoint writes its event too. */
  store: DeliveryEngineStore;
  sender: Pick<HttpSender, 'send'>;
  /** Turns claimed rows into requests (channels/ knows how, per channel). */
  prepare: PrepareDeliveries;
  log: Logger;
  metrics?: DeliveryMetrics;
  clock?: Clock;
  random?: RandomSource;
  maxInFlight: number;
  perEndpointInFlight: number;
  /**
   * Most deliveries of one environment (tenant) held at once while another is active, below
   * `maxInFlight`, so one tenant's backlog or slow endpoints always leave room for the others.
   */
  perEnvInFlight: number | (() => number);
  batchSize: number;
  /** The store's queries run on this event loop (SQLite): see TenantShares. */
  storeOnLoop?: boolean;
  leaseMs: number;
  pollIntervalMs: number;
  autoDisableAfter: number;
  /** Default policy; a destination's own settings replace parts of it. */
  policy: RetryPolicy;
  /** Called for every delivery whose new state is written (the live stream); must not throw. */
  onResult?: (r: DeliveryResult) => void;
}

interface Ready {
  row: DeliveryRecord;
  owner: string;
  prepared: PreparedDelivery;
  claimedAt: number;
}

/**
 * Claims due deliveries under a lease, sends them concurrently, and writes results in
 * batches. Nothing is held only in memory: a crash leaves claimed rows leased, and they
 * become due again when the lease expires.
 *
 * Beside it: when new deliveries queue behind older ones (queue-gate.ts), how tenants share
 * the slots (tenant-shares.ts), writing results (result-writer.ts). Claims, hand-offs and sends
 * stay together here because they move the same counts: held, per endpoint, per tenant.
 */
export class Dispatcher implements DeliveryHandoff {
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly worker = `w_${randomBytes(6).toString('hex')}`;
  private claimSeq = 0;
  private claimedTotal = 0;
  /** Claimed and not yet written back: bounds memory and open requests. */
  private held = 0;
  /** Open requests per endpoint. */
  private readonly perEndpoint = new Map<string, number>();
  /** Claimed rows waiting for one of their endpoint's slots (at most a claim's worth each). */
  private readonly waiting = new Map<string, Ready[]>();
  private readonly limiter = new RateLimiter();
  private pumping = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = true;
  private idle: (() => void)[] = [];
  private wakeScheduled = false;
  /** Whether older due rows may wait in the store, so new deliveries queue behind them. */
  private readonly gate = new QueueGate();
  /**
   * Every row claimed here and not yet written or handed back, with the claim (lease owner) it
   * is held under now. Their leases are renewed on a timer, so a request that takes longer
   * than a lease is not claimed and sent again beside itself.
   */
  private readonly holding = new Map<string, string>();
  private renewTimer: NodeJS.Timeout | undefined;
  /** Wakes this dispatcher when the earliest known retry comes due; the poll is only a safety net. */
  private readonly dueTimer: DueTimer;
  private readonly writer: ResultWriter;
  /** Deliveries leased to this dispatcher by publishing writes not yet committed. */
  private readonly reserved = new Reservations();
  /** How the slots divide among tenants. */
  private readonly shares: TenantShares;

  constructor(private readonly options: DispatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? systemRandom;
    const cap = options.perEnvInFlight;
    this.shares = new TenantShares({
      cap: typeof cap === 'number' ? () => cap : cap,
      maxInFlight: options.maxInFlight,
      clock: this.clock,
      reserved: this.reserved,
      storeOnLoop: options.storeOnLoop ?? false,
    });
    this.dueTimer = new DueTimer(this.clock, () => {
      this.wake();
      this.lookAhead();
    });
    this.writer = new ResultWriter({
      store: options.store,
      clock: this.clock,
      log: options.log,
      autoDisableAfter: options.autoDisableAfter,
      ownerOf: (id) => this.holding.get(id),
      batchOf: (pending) => this.shares.batch(pending),
      written: (ids) => this.release(ids),
      retryDue: (at) => this.expectDue(at),
      ...(options.onResult ? { onResult: options.onResult } : {}),
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.options.store.listenDue({
      due: () => this.wake(),
      dueAt: (at) => this.expectDue(at),
      // At start, and after a lost connection (announcements were missed): what is due, and when next.
      connected: () => {
        this.wake();
        this.lookAhead();
      },
    });
    // The poll is a safety net, not news (see QueueGate).
    const tick = () => {
      this.gate.poll();
      this.schedulePump();
      this.timer = setTimeout(tick, this.options.pollIntervalMs);
      this.timer.unref();
    };
    tick();
    this.renewTimer = setInterval(
      () => {
        void this.renewLeases().catch((err) =>
          this.options.log.error({ err }, 'delivery: renewing leases failed; a long request may be claimed again when its lease ends'),
        );
      },
      Math.max(10, Math.floor(this.options.leaseMs / 3)),
    );
    this.renewTimer.unref();
  }

  /** Stops claiming, lets open requests finish (up to `graceMs`) and writes their results. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.dueTimer.stop();
    await this.unlisten?.();
    if (this.held > 0 || this.reserved.count > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, graceMs);
        this.idle.push(() => (clearTimeout(t), resolve()));
      });
    }
    await this.flush();
    clearInterval(this.renewTimer);
  }

  /** News of the store: look for due work now (new deliveries from this process, a NOTIFY, the due timer). */
  wake(): void {
    this.gate.news();
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.stopped || this.wakeScheduled) return;
    // Coalesced: a burst of wake-ups (commits, finished requests) becomes one claim.
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      if (this.stopped) return;
      void this.pump().catch((err) => this.options.log.error({ err }, 'delivery: claiming failed; will retry on the next tick'));
    });
  }

  /** A delivery becomes due at `at` (written here, or announced by another process): look for it then. */
  private expectDue(at: number): void {
    if (this.stopped) return;
    if (at <= this.clock.now()) this.wake();
    else this.dueTimer.expect(at);
  }

  /**
   * Sets the due timer from the store: for retries no one announced to this process, and for the
   * next one after the timer fired (it serves one time at a time).
   */
  private lookAhead(): void {
    if (this.stopped) return;
    this.options.store.nextDueAfter(this.clock.now()).then(
      (at) => {
        if (at !== undefined) this.expectDue(at);
      },
      (err) => {
        // After stop() the store may be closing under it: nothing to say.
        if (!this.stopped) this.options.log.warn({ err }, 'delivery: looking up the next due time failed; the poll will find due retries');
      },
    );
  }

  /** When the due timer is set for, if it is (for tests and diagnostics). */
  get nextDueAt(): number | undefined {
    return this.dueTimer.at;
  }

  /**
   * Sends everything due now and writes every result. Tests driving a ManualClock call this
   * instead of waiting for the poll tick.
   */
  async drain(): Promise<void> {
    for (;;) {
      while (this.pumping) await new Promise((r) => setTimeout(r, 1));
      const before = this.claimedTotal;
      await this.pump();
      if (this.held > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
      await this.flush();
      if (this.claimedTotal === before && !this.pumping && this.held === 0) return;
    }
  }

  /** Runs until nothing is due or no room is left. Exposed for tests that drive a ManualClock. */
  async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const room = Math.min(this.options.maxInFlight - this.held - this.reserved.count, this.shares.batch(this.options.batchSize));
        if (room <= 0 || this.stopped) {
          this.gate.noRoom();
          break;
        }
        const now = this.clock.now();
        const owner = `${this.worker}.${++this.claimSeq}`;
        const skip = this.saturated();
        for (const id of skip) this.gate.mayHaveMore.add(id);
        const perEnv = Math.min(room, this.shares.limit());
        const envRoom = this.shares.rooms(perEnv);
        const mark = this.gate.claimStarts();
        const rows = await this.options.store.claimDue({
          now,
          leaseUntil: now + this.options.leaseMs,
          owner,
          limit: room,
          perEndpoint: 2 * this.options.perEndpointInFlight,
          skipEndpoints: skip,
          perEnv,
          envRoom,
        });
        if (this.gate.claimEnded(mark, rows.length, room)) this.pumpAgain = true;
        // Empty: stop, unless a wake-up arrived during the query (it asked for another claim).
        if (!rows.length) continue;
        // A row still held here comes back only if its lease ran out under it (the clock jumped
        // forward past it, or a renewal was late): its attempt carries on under this claim; no second one starts.
        const fresh = rows.filter((r) => !this.holding.has(r.id));
        for (const r of rows) this.holding.set(r.id, owner);
        if (!fresh.length) continue;
        this.take(fresh, 'claim');
        const taken = new Tally();
        for (const r of fresh) taken.add(r.endpoint_id, 1);
        for (const [id, n] of taken.entries()) if (n >= 2 * this.options.perEndpointInFlight) this.gate.mayHaveMore.add(id);
        this.shares.claimed(fresh, envRoom, perEnv);
        try {
          await this.launch(fresh, owner, now);
        } catch (err) {
          // Lookups failed before anything was sent: give the capacity back; the leases
          // return the rows to the queue.
          this.release(fresh.map((r) => r.id));
          throw err;
        }
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  /** See DeliveryHandoff.reserve: room left after open and reserved work, two slot-fulls per endpoint at most. */
  reserve(rows: DeliveryRecord[], now: number): HandoffLease | undefined {
    if (this.stopped || this.gate.closed) return undefined;
    let room = this.options.maxInFlight - this.held - this.reserved.count;
    const shared = this.shares.shared();
    const caps = new Map<string, number>();
    const capOf = (env: string) => caps.get(env) ?? caps.set(env, this.shares.cap(env)).get(env)!;
    const ids = new Set<string>();
    const perEndpoint = new Map<string, number>();
    const perEnv = new Map<string, number>();
    for (const row of rows) {
      if (room <= 0) break;
      const dest = row.endpoint_id;
      const env = envOf(row);
      // Its older due rows are being claimed: queued behind them.
      if (this.gate.behind(dest)) continue;
      const load = (this.perEndpoint.get(dest) ?? 0) + (this.waiting.get(dest)?.length ?? 0) + this.reserved.forEndpoint(dest) + (perEndpoint.get(dest) ?? 0);
      if (load >= 2 * this.options.perEndpointInFlight) {
        // Queued instead: a slot of this endpoint coming free looks for it.
        this.gate.mayHaveMore.add(dest);
        continue;
      }
      // Queued behind the environment's own older due rows, or at its cap: one of its deliveries finishing looks for them.
      if (shared && (this.shares.mayHaveMore.has(env) || this.shares.load(env) + (perEnv.get(env) ?? 0) >= capOf(env))) {
        this.shares.mayHaveMore.add(env);
        continue;
      }
      perEndpoint.set(dest, (perEndpoint.get(dest) ?? 0) + 1);
      perEnv.set(env, (perEnv.get(env) ?? 0) + 1);
      ids.add(row.id);
      room--;
    }
    if (!ids.size) return undefined;
    const lease = { owner: `${this.worker}.${++this.claimSeq}`, leaseUntil: now + this.options.leaseMs, ids };
    this.reserved.add(lease, { perEndpoint, perEnv });
    return lease;
  }

  /** See DeliveryHandoff.accept: the rows start as a claim's would. */
  accept(lease: HandoffLease, rows: DeliveryRecord[], known: KnownRows): void {
    this.unreserve(lease);
    if (!rows.length) return;
    for (const r of rows) this.holding.set(r.id, lease.owner);
    this.take(rows, 'handoff');
    const ids = rows.map((r) => r.id);
    const fail = (err: unknown) =>
      this.options.log.error({ err }, 'delivery: starting handed-off deliveries failed; their leases will return them to the queue');
    if (this.stopped) {
      // Stopping: give them to whoever runs next instead of starting them now.
      void this.handBack(ids, this.clock.now()).catch(fail);
      return;
    }
    // Claimed at the reservation, when the lease began.
    this.launch(rows, lease.owner, lease.leaseUntil - this.options.leaseMs, known).catch((err) => {
      this.release(ids);
      fail(err);
    });
  }

  /** See DeliveryHandoff.queued: claim them (without closing the gate; see QueueGate.queuedOwn). */
  queued(): void {
    this.gate.queuedOwn();
    this.schedulePump();
  }

  /** See DeliveryHandoff.cancel. */
  cancel(lease: HandoffLease): void {
    this.unreserve(lease);
  }

  private unreserve(lease: HandoffLease): void {
    if (this.reserved.remove(lease)) this.settle();
  }

  /**
   * Endpoints with every slot taken and a slot-full queued behind them: claiming more of them
   * now is pointless. One queued slot-full lets the next claim overlap the current requests.
   */
  private saturated(): string[] {
    const out: string[] = [];
    for (const [id, n] of this.perEndpoint) if (n + (this.waiting.get(id)?.length ?? 0) >= 2 * this.options.perEndpointInFlight) out.push(id);
    return out;
  }

  private async launch(rows: DeliveryRecord[], owner: string, now: number, known?: KnownRows): Promise<void> {
    const prepared = await this.options.prepare(rows, now, known);
    const release: string[] = [];
    let releaseAt = now;
    for (const row of rows) {
      const p = prepared.get(row.id) ?? 'destination_missing';
      const dest = row.endpoint_id;
      if (typeof p === 'string') {
        // Deleted or disabled destinations get nothing; re-enabling must not deliver the backlog.
        this.writer.add(givenUp(row, owner, p, this.clock.now()));
        continue;
      }
      const wait = p.rateLimit ? this.limiter.take(dest, p.rateLimit, now) : 0;
      if (wait > 0) {
        release.push(row.id);
        releaseAt = Math.max(releaseAt, now + wait);
      } else if ((this.perEndpoint.get(dest) ?? 0) >= this.options.perEndpointInFlight) {
        // Claims stop at two slot-fulls per destination (see saturated()), so this queue stays short.
        const q = this.waiting.get(dest) ?? [];
        q.push({ row, owner, prepared: p, claimedAt: now });
        this.waiting.set(dest, q);
      } else {
        void this.send(row, owner, p);
      }
    }
    // Over its rate limit: hand the rows back, due when a token will be there.
    if (release.length) await this.handBack(release, releaseAt);
  }

  /** Gives claimed rows back to the queue, due at `at`, under whichever claim holds each now. */
  private async handBack(ids: string[], at: number): Promise<void> {
    const byOwner = new Map<string, string[]>();
    for (const id of ids) {
      const owner = this.holding.get(id);
      if (owner) byOwner.set(owner, [...(byOwner.get(owner) ?? []), id]);
    }
    try {
      for (const [owner, group] of byOwner) await this.options.store.releaseClaims(group, owner, at);
      this.expectDue(at);
    } finally {
      // Handed back or not, they are no longer ours to renew: a failed hand-back expires with its lease.
      this.release(ids);
    }
  }

  private async renewLeases(): Promise<void> {
    if (!this.holding.size) return;
    const claims = [...this.holding].map(([id, owner]) => ({ id, owner }));
    await this.options.store.renewClaims(claims, this.clock.now() + this.options.leaseMs);
  }

  private async send(row: DeliveryRecord, owner: string, p: PreparedDelivery): Promise<void> {
    const dest = row.endpoint_id;
    this.perEndpoint.set(dest, (this.perEndpoint.get(dest) ?? 0) + 1);
    const startedAt = this.clock.now();
    let req = { method: 'POST', url: '', headers: {}, timeoutMs: 0 } as ReturnType<PreparedDelivery['build']>;
    let res: Judged;
    try {
      req = p.build(Math.floor(startedAt / 1000));
      const sent = await this.options.sender.send(req);
      res = p.judge ? p.judge(sent) : sent;
    } catch (err) {
      // Before the request was built (its sealed content would not open): nothing was sent.
      res = {
        statusCode: null,
        retryAfterMs: null,
        responseBody: '',
        durationMs: 0,
        error: { code: req.url ? 'network_error' : 'prepare_failed', message: (err as Error).message },
      };
    } finally {
      const n = (this.perEndpoint.get(dest) ?? 1) - 1;
      if (n) this.perEndpoint.set(dest, n);
      else this.perEndpoint.delete(dest);
      this.startWaiting(dest);
    }
    if (res.statusCode !== null) this.shares.answered(row.id);
    const now = this.clock.now();
    const finished = attemptFinished({
      row,
      owner,
      prepared: p,
      request: req,
      response: res,
      startedAt,
      now,
      attemptId: newId('att', this.clock),
      policy: this.options.policy,
      random: this.random,
    });
    const verdict = finished.verdict.kind;
    this.options.metrics?.outcomes.inc({ outcome: verdict });
    this.options.metrics?.attemptDuration.observe(res.durationMs / 1000);
    if (verdict === 'delivered') this.options.metrics?.latency.observe((now - row.created_at) / 1000);
    this.writer.add(finished);
  }

  /** A slot of `endpointId` came free: start its next waiting delivery, if any. */
  private startWaiting(endpointId: string): void {
    const q = this.waiting.get(endpointId) ?? [];
    // Nothing queued here: the free slot may let the next claim take more of this endpoint,
    // if there may be more; otherwise a claim per finished request is waste.
    if (!q.length && !this.stopped && this.gate.slotFreed(endpointId)) this.schedulePump();
    for (let next = q.shift(); next; next = q.shift()) {
      if (this.clock.now() - next.claimedAt <= this.options.leaseMs / 2) {
        void this.send(next.row, next.owner, next.prepared);
        break;
      }
      // Waited so long its lease could run out mid-request: give it back instead.
      void this.handBack([next.row.id], this.clock.now()).catch((err) =>
        this.options.log.error({ err }, 'delivery: handing back a stale claim failed; its lease will expire'),
      );
    }
    if (!q.length) this.waiting.delete(endpointId);
  }

  /** Resolves once every result finished so far is written. */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** `rows` are this dispatcher's to send (held until their results are written). */
  private take(rows: DeliveryRecord[], via: 'claim' | 'handoff'): void {
    const n = rows.length;
    this.shares.take(rows);
    this.held += n;
    this.claimedTotal += n;
    this.options.metrics?.starts.inc({ via }, n);
    this.options.metrics?.inFlight.set(this.held);
  }

  /** These deliveries are no longer ours to renew or count: written, handed back, or left to their lease. */
  private release(ids: string[]): void {
    for (const id of ids) this.holding.delete(id);
    // Room for a tenant whose due rows the last claims left out at its cap. Not news of
    // the store (no wake-up): other tenants' new deliveries may still be handed off.
    if (this.shares.release(ids)) this.schedulePump();
    this.held -= ids.length;
    this.options.metrics?.inFlight.set(this.held);
    this.settle();
    // Room came free: look for due work, if the store may hold some (not news: no wake-up).
    if (this.gate.wantsClaim()) this.schedulePump();
  }

  /** Wakes whoever waits for this dispatcher to hold nothing (stop, drain). */
  private settle(): void {
    if (this.held === 0 && this.reserved.count === 0) for (const f of this.idle.splice(0)) f();
  }
}
