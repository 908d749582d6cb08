import type { DeliveryRecord } from '../store/index.js';
import type { KnownRows } from './destination.js';

/**
 * Deliveries of this process's dispatcher, leased to it in the same write that publishes them.
 * The dispatcher starts them once that write has committed: no claim query, no wait for a
 * wake-up. If the process dies first, the lease runs out and any worker claims them, as it would
 * a claimed row (at-least-once holds the same way).
 */
export interface HandoffLease {
  /** The lease owner to write on the taken rows. */
  owner: string;
  /** When the lease runs out (written as the rows' due time, as a claim does). */
  leaseUntil: number;
  /** The deliveries taken; the others are queued as usual. */
  ids: Set<string>;
}

/** A dispatcher that takes deliveries straight from the publishing write (see HandoffLease). */
export interface DeliveryHandoff {
  /**
   * Which of `rows` the dispatcher takes now, or undefined for none: it has no room, or older
   * due rows may be waiting in the store (they go first: new rows then queue behind them).
   */
  reserve(rows: DeliveryRecord[], now: number): HandoffLease | undefined;
  /**
   * The write committed: `rows` (those of `lease` whose events were new) are the dispatcher's to
   * send; `known`: their events and endpoints as the publish wrote and read them.
   */
  accept(lease: HandoffLease, rows: DeliveryRecord[], known: KnownRows): void;
  /** The write failed: nothing of `lease` was stored. */
  cancel(lease: HandoffLease): void;
  /** A publishing write committed deliveries it did not hand off: they wait in the queue. */
  queued(): void;
}

/** Marks the rows `lease` took as leased to it, as a claim would have. */
export function applyLease(rows: DeliveryRecord[], lease: HandoffLease | undefined): void {
  if (!lease) return;
  for (const row of rows) {
    if (!lease.ids.has(row.id)) continue;
    row.lease_owner = lease.owner;
    row.next_attempt_at = lease.leaseUntil;
  }
}
