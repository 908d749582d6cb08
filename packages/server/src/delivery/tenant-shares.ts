import type { DeliveryRecord } from '../store/index.js';
import type { Clock } from '../util/index.js';
import { type Reservations, Tally } from './reservations.js';

/**
 * Claims and result writes while tenants contend, with a store whose queries run on the event
 * loop (SQLite): at most this many rows each. A claim costs about 35 µs a row there, and a
 * tenant's publish waits for whatever the loop is doing; 16 keeps each turn under a millisecond.
 */
export const SHARED_BATCH = 16;

/**
 * How long after its last delivery started an environment still counts as active: a tenant
 * publishing a few events a second stays active between them, so the others stay paced.
 */
export const ACTIVE_WINDOW_MS = 1000;

/** The fewest deliveries a paced environment may hold (see TenantShares.cap). */
export const PACED_FLOOR = 16;

const NEEDS_TTL_MS = 100;

interface Holding {
  env: string;
  endpointId: string;
  /** When it was claimed or handed off. */
  since: number;
  /** Its request got an answer (so it was not handed back or given up unsent). */
  answered: boolean;
}

export interface TenantSharesOptions {
  /** The most deliveries one environment may hold (may follow how many environments exist); max_in_flight for one. */
  cap: () => number;
  maxInFlight: number;
  clock: Clock;
  /** The dispatcher's room promised to publishing writes (counted as held). */
  reserved: Reservations;
  /**
   * The store's queries run on this event loop (SQLite): while environments contend, claims and
   * writes come in SHARED_BATCH rows and environments are paced. PostgreSQL's run off it, where
   * small batches would only cost round trips and pacing cost the backlog most of its rate.
   */
  storeOnLoop: boolean;
}

/**
 * How the dispatcher's in-flight slots divide among environments (tenants).
 *
 * With more than one environment, each holds at most its cap (`per_env_in_flight_share`), so
 * a tenant's slow endpoints always leave slots for a newcomer. While two or more are active
 * and the store runs on the event loop (SQLite), claims and writes come in small batches and
 * each environment is paced: it holds
 * at most twice what its deliveries need (see Pace), at least PACED_FLOOR. Deliveries beyond
 * that do not go faster; they wait in this process's queues, in front of the other tenants'.
 */
export class TenantShares {
  /** Held deliveries per environment, and each held delivery. */
  private readonly held = new Tally();
  private readonly holding = new Map<string, Holding>();
  /** When each environment last started a delivery here. */
  private readonly lastStarted = new Map<string, number>();
  private readonly pace = new Pace();
  private needsCache: { at: number; needs: Map<string, number> } | undefined;
  /**
   * Environments that may have more due rows than this worker took: at their cap the last
   * claim left them out or took their full room. One of their deliveries finishing wakes the pump.
   */
  readonly mayHaveMore = new Set<string>();

  constructor(private readonly options: TenantSharesOptions) {}

  /** Whether environments share the slots at all (more than one exists). */
  shared(): boolean {
    return this.options.cap() < this.options.maxInFlight;
  }

  /** Whether more than one environment holds deliveries or started one within ACTIVE_WINDOW_MS. */
  contended(): boolean {
    if (!this.shared()) return false;
    const since = this.options.clock.now() - ACTIVE_WINDOW_MS;
    let active = 0;
    for (const [env, at] of this.lastStarted) {
      if (at >= since || this.load(env) > 0) active++;
      else this.lastStarted.delete(env);
      if (active > 1) return true;
    }
    return false;
  }

  /** The most deliveries any one environment may hold, before pacing. */
  limit(): number {
    return this.shared() ? this.options.cap() : this.options.maxInFlight;
  }

  /** The most deliveries environment `env` may hold now. */
  cap(env: string): number {
    const cap = this.limit();
    if (!this.options.storeOnLoop || !this.contended()) return cap;
    const need = this.needs().get(env);
    return need === undefined ? cap : Math.min(cap, Math.max(PACED_FLOOR, Math.ceil(2 * need)));
  }

  /** Environments' needs, worked out at most every NEEDS_TTL_MS (a pass over every endpoint answered lately). */
  private needs(): Map<string, number> {
    const now = this.options.clock.now();
    if (!this.needsCache || now - this.needsCache.at >= NEEDS_TTL_MS || now < this.needsCache.at) {
      this.needsCache = { at: now, needs: this.pace.needs(now) };
    }
    return this.needsCache.needs;
  }

  /** The most rows a claim or a result write takes at once, given the configured batch size. */
  batch(batchSize: number): number {
    return this.options.storeOnLoop && this.contended() ? Math.min(batchSize, SHARED_BATCH) : batchSize;
  }

  /** Held and reserved deliveries of environment `env`. */
  load(env: string): number {
    return this.held.of(env) + this.options.reserved.forEnv(env);
  }

  /** `rows` are held here until released. */
  take(rows: DeliveryRecord[]): void {
    const now = this.options.clock.now();
    for (const row of rows) {
      const env = envOf(row);
      this.holding.set(row.id, { env, endpointId: row.endpoint_id, since: now, answered: false });
      this.held.add(env, 1);
      this.lastStarted.set(env, now);
    }
  }

  /** The request of held delivery `id` got an answer: how long it was held counts towards its pace. */
  answered(id: string): void {
    const holding = this.holding.get(id);
    if (holding) holding.answered = true;
  }

  /**
   * These deliveries are no longer held (their results written, or handed back); true if one
   * belonged to an environment whose due rows claims left out.
   */
  release(ids: string[]): boolean {
    const now = this.options.clock.now();
    const shared = this.shared();
    let freed = false;
    for (const id of ids) {
      const holding = this.holding.get(id);
      if (holding === undefined) continue;
      this.holding.delete(id);
      this.held.add(holding.env, -1);
      if (shared && this.options.storeOnLoop && holding.answered) this.pace.record(holding.env, holding.endpointId, now - holding.since, now);
      if (this.mayHaveMore.delete(holding.env)) freed = true;
    }
    return freed;
  }

  /**
   * The room each environment with deliveries here has left for a claim, where that is under
   * `perEnv`; one at its cap (room 0) is left out and may have more. Empty with one environment.
   */
  rooms(perEnv: number): Record<string, number> {
    const rooms: Record<string, number> = {};
    if (!this.shared()) return rooms;
    // Every environment holding deliveries started one, and keeps its lastStarted entry while it holds any.
    for (const env of new Set([...this.lastStarted.keys(), ...this.options.reserved.envs()])) {
      const room = Math.max(0, this.cap(env) - this.load(env));
      if (room >= perEnv) continue;
      rooms[env] = room;
      if (room === 0) this.mayHaveMore.add(env);
    }
    return rooms;
  }

  /** After a claim: environments that got their full room may have more due rows. */
  claimed(rows: DeliveryRecord[], rooms: Record<string, number>, perEnv: number): void {
    if (!this.shared()) return;
    const taken = new Tally();
    for (const row of rows) taken.add(envOf(row), 1);
    for (const [env, n] of taken.entries()) if (n >= (rooms[env] ?? perEnv)) this.mayHaveMore.add(env);
  }
}

/** Answers are counted per endpoint over windows of this length. */
const PACE_WINDOW_MS = 1000;
/**
 * The quickest hold is the quickest of this many windows: under load every hold of a window
 * may include some queueing, and a minimum that crept up with it would raise the need, the
 * share, and the queueing again.
 */
const FASTEST_OF_WINDOWS = 10;

interface EndpointPace {
  env: string;
  /** The current window: when it began, its answers, its fastest answer. */
  windowStart: number;
  answers: number;
  fastestMs: number;
  /** The window before (answers per second), once one has ended. */
  lastRate: number | undefined;
  /** The fastest of each of the last FASTEST_OF_WINDOWS windows, newest last. */
  fastestOfWindows: number[];
}

/**
 * What each environment's deliveries need in flight, by Little's law: an endpoint whose
 * deliveries finish at `rate` a second, the quickest held for `fastestMs` (claim to result
 * written), keeps rate × fastestMs of them busy; more only queue. Summed over an environment's
 * endpoints. Deliveries slowed by queueing (in this process, at a busy receiver) take longer
 * but finish no faster, so the need stays what the endpoint can take, and a held share twice
 * the need settles where queueing adds at most the unqueued time. An endpoint across the
 * internet answering in 200 ms needs 200 ms' worth, and gets it.
 */
class Pace {
  private readonly endpoints = new Map<string, EndpointPace>();

  record(env: string, endpointId: string, durationMs: number, now: number): void {
    let pace = this.endpoints.get(endpointId);
    if (!pace) {
      pace = { env, windowStart: now, answers: 0, fastestMs: Infinity, lastRate: undefined, fastestOfWindows: [] };
      this.endpoints.set(endpointId, pace);
    }
    this.roll(pace, now);
    pace.answers++;
    pace.fastestMs = Math.min(pace.fastestMs, Math.max(0, durationMs));
  }

  /** Deliveries each environment needs in flight; one is missing until one of its endpoints has a whole window of answers. */
  needs(now: number): Map<string, number> {
    const needs = new Map<string, number>();
    for (const [endpointId, pace] of this.endpoints) {
      this.roll(pace, now);
      if (pace.answers === 0 && !pace.lastRate) {
        this.endpoints.delete(endpointId); // no answer for a whole window
        continue;
      }
      if (pace.lastRate === undefined) continue;
      const fastestMs = Math.min(pace.fastestMs, ...pace.fastestOfWindows);
      const need = Number.isFinite(fastestMs) ? (pace.lastRate * fastestMs) / 1000 : 0;
      needs.set(pace.env, (needs.get(pace.env) ?? 0) + need);
    }
    return needs;
  }

  private roll(pace: EndpointPace, now: number): void {
    const ended = Math.floor((now - pace.windowStart) / PACE_WINDOW_MS);
    if (ended <= 0) return;
    // More than one window over: the last whole one had no answer.
    pace.lastRate = ended === 1 ? pace.answers / (PACE_WINDOW_MS / 1000) : 0;
    pace.fastestOfWindows.push(pace.fastestMs);
    if (pace.fastestOfWindows.length > FASTEST_OF_WINDOWS) pace.fastestOfWindows.shift();
    pace.windowStart += ended * PACE_WINDOW_MS;
    pace.answers = 0;
    pace.fastestMs = Infinity;
  }
}

/** The environment (tenant) a delivery belongs to; rows stored without one have ''. */
export function envOf(row: DeliveryRecord): string {
  return row.env_id ?? '';
}
