import type { HandoffLease } from './handoff.js';

/**
 * Room a dispatcher has promised to publishing writes not yet committed (see DeliveryHandoff):
 * in total and per endpoint, so claims and further hand-offs count it as taken.
 */
export class Reservations {
  private total = 0;
  private readonly perEndpoint = new Map<string, number>();
  private readonly leases = new Map<HandoffLease, Map<string, number>>();

  /** Deliveries reserved and not yet accepted or cancelled. */
  get count(): number {
    return this.total;
  }

  forEndpoint(endpointId: string): number {
    return this.perEndpoint.get(endpointId) ?? 0;
  }

  /** Records `lease`, whose deliveries go to the endpoints counted in `perEndpoint`. */
  add(lease: HandoffLease, perEndpoint: Map<string, number>): void {
    this.leases.set(lease, perEndpoint);
    this.total += lease.ids.size;
    for (const [endpointId, n] of perEndpoint) this.perEndpoint.set(endpointId, this.forEndpoint(endpointId) + n);
  }

  /** Gives `lease`'s room back (accepted or cancelled); false if it was not held. */
  remove(lease: HandoffLease): boolean {
    const perEndpoint = this.leases.get(lease);
    if (!perEndpoint) return false;
    this.leases.delete(lease);
    this.total -= lease.ids.size;
    for (const [endpointId, n] of perEndpoint) {
      const left = this.forEndpoint(endpointId) - n;
      if (left > 0) this.perEndpoint.set(endpointId, left);
      else this.perEndpoint.delete(endpointId);
    }
    return true;
  }
}
