import type { Kysely } from 'kysely';
import type { EnvSelection } from './env-selection.js';
import { DeliveryRecords, type ResultBatch } from './deliveries.js';
import type { ClaimArgs, DialectOps, DueListener } from './dialect.js';
import type { EndpointStreak } from './endpoints.js';
import { EventRecords } from './events.js';
import type { Database } from './schema.js';
import type { DeliveryRecord } from './values.js';

/**
 * All the delivery engine (delivery/'s dispatcher and retention) asks of storage: claim due
 * rows under a lease, renew or hand them back, write results, learn when the next row is due,
 * disable a failing endpoint, prune old history. Nothing else of the store reaches it.
 */
export interface DeliveryEngineStore {
  claimDue(args: ClaimArgs): Promise<DeliveryRecord[]>;
  /** Pushes out the leases of rows each claim still holds. */
  renewClaims(claims: { id: string; owner: string }[], leaseUntil: number): Promise<void>;
  /** Gives claimed rows back without an attempt, due again at `nextAttemptAt`. */
  releaseClaims(ids: string[], owner: string, nextAttemptAt: number): Promise<void>;
  /** Writes a batch of results; returns the failure streaks of the endpoints it moved or read. */
  recordResults(batch: ResultBatch): Promise<EndpointStreak[]>;
  /** The earliest time after `now` a pending row becomes due; undefined when none will. */
  nextDueAfter(now: number): Promise<number | undefined>;
  /** Other processes' wake-ups; returns an unsubscribe function. */
  listenDue(listener: DueListener): Promise<() => Promise<void>>;
  /** Disables an enabled endpoint (with whatever must be written beside it); false when another worker did. */
  disableEndpoint(id: string, reason: string, now: number): Promise<boolean>;
  /** Deletes up to `limit` attempts older than `before` (of the environments `envs` picks); returns how many. */
  pruneAttempts(before: number, limit: number, envs?: EnvSelection): Promise<number>;
  /** Deletes up to `limit` finished events older than `before`, with their deliveries and attempts; returns how many. */
  pruneEvents(before: number, limit: number, envs?: EnvSelection): Promise<number>;
}

/** The store's side of the engine port, over one set of connections. */
export class EngineRecords implements DeliveryEngineStore {
  private readonly deliveries: DeliveryRecords;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
    /** The disable, in the transaction that also writes what goes with it (see Store.deliveryEngine). */
    readonly disableEndpoint: (id: string, reason: string, now: number) => Promise<boolean>,
  ) {
    this.deliveries = new DeliveryRecords(db, ops);
  }

  claimDue(args: ClaimArgs): Promise<DeliveryRecord[]> {
    return this.deliveries.claimDue(args);
  }
  renewClaims(claims: { id: string; owner: string }[], leaseUntil: number): Promise<void> {
    return this.deliveries.renewClaims(claims, leaseUntil);
  }
  releaseClaims(ids: string[], owner: string, nextAttemptAt: number): Promise<void> {
    return this.deliveries.releaseClaims(ids, owner, nextAttemptAt);
  }
  recordResults(batch: ResultBatch): Promise<EndpointStreak[]> {
    return this.deliveries.recordResults(batch);
  }
  nextDueAfter(now: number): Promise<number | undefined> {
    return this.deliveries.nextDueAfter(now);
  }
  listenDue(listener: DueListener): Promise<() => Promise<void>> {
    return this.deliveries.listenDue(listener);
  }
  pruneAttempts(before: number, limit: number, envs?: EnvSelection): Promise<number> {
    return this.deliveries.pruneAttempts(before, limit, envs);
  }
  pruneEvents(before: number, limit: number, envs?: EnvSelection): Promise<number> {
    return new EventRecords(this.db, this.ops).prune(before, limit, envs);
  }
}
