import type { HandoffLease } from './handoff.js';

/** Deliveries counted by key (an endpoint, an environment). */
export class Tally {
  private readonly counts = new Map<string, number>();

  of(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  add(key: string, n: number): void {
    const left = this.of(key) + n;
    if (left > 0) this.counts.set(key, left);
    else this.counts.delete(key);
  }

  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  keys(): string[] {
    return [...this.counts.keys()];
  }
}

/** How one lease's deliveries divide among endpoints and environments. */
export interface LeaseShares {
  perEndpoint: Map<string, number>;
  perEnv: Map<string, number>;
}

/**
 * Room a dispatcher has promised to publishing writes not yet committed (see DeliveryHandoff):
 * in total, per endpoint and per environment, so claims and further hand-offs count it as taken.
 */
export class Reservations {
  private total = 0;
  private readonly perEndpoint = new Tally();
  private readonly perEnv = new Tally();
  private readonly leases = new Map<HandoffLease, LeaseShares>();

  /** Deliveries reserved and not yet accepted or cancelled. */
  get count(): number {
    return this.total;
  }

  forEndpoint(endpointId: string): number {
    return this.perEndpoint.of(endpointId);
  }

  forEnv(envId: string): number {
    return this.perEnv.of(envId);
  }

  /** The environments with reserved deliveries. */
  envs(): string[] {
    return this.perEnv.keys();
  }

  /** Records `lease`, whose deliveries go to the endpoints and environments counted in `shares`. */
  add(lease: HandoffLease, shares: LeaseShares): void {
    this.leases.set(lease, shares);
    this.total += lease.ids.size;
    this.apply(shares, 1);
  }

  /** Gives `lease`'s room back (accepted or cancelled); false if it was not held. */
  remove(lease: HandoffLease): boolean {
    const shares = this.leases.get(lease);
    if (!shares) return false;
    this.leases.delete(lease);
    this.total -= lease.ids.size;
    this.apply(shares, -1);
    return true;
  }

  private apply(shares: LeaseShares, sign: 1 | -1): void {
    for (const [endpointId, n] of shares.perEndpoint) this.perEndpoint.add(endpointId, sign * n);
    for (const [envId, n] of shares.perEnv) this.perEnv.add(envId, sign * n);
  }
}
