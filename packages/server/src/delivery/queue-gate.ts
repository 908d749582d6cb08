/** What a claim is judged against when it comes back (see QueueGate.claimEnded). */
export interface ClaimMark {
  wakes: number;
  ownQueued: number;
  catchingUp: string[];
}

/**
 * Whether the store may hold due rows older than a new delivery, so that the delivery must
 * queue behind them instead of being handed off by its publishing write (see DeliveryHandoff):
 * retries and a backlog go first, and a burst is never served newest-first.
 *
 * Only news of the store closes the gate for every endpoint: a wake-up (this process queued
 * deliveries, a NOTIFY, a retry came due, the connection came back) or a claim that came back
 * full. A claim that comes back short, with no news during it, opens it again. Two claims are
 * not news and hold back less: the poll tick's (a safety net), and the one a freed slot starts
 * for an endpoint that may have more due rows, which holds back only that endpoint.
 */
export class QueueGate {
  private backlog = true;
  private wakes = 0;
  /**
   * This process's publishes that queued deliveries instead of handing them off, counted apart
   * from wake-ups: they are newer than anything in the queue, so one landing during a claim does
   * not keep the gate closed; it only asks for one more claim. `ownWaiting`: some may not have
   * been claimed yet.
   */
  private ownQueued = 0;
  private ownWaiting = false;
  /** The poll ticked and no claim has looked since. */
  private polled = false;
  /**
   * Endpoints that may have more due rows than this worker took: the last claim left them out,
   * or took a full per-endpoint share of them. A freed slot of one of these starts a claim.
   */
  readonly mayHaveMore = new Set<string>();
  /** Endpoints a slot came free for while they may have more due rows, until a claim comes back short. */
  private readonly catching = new Set<string>();

  /** Older due rows may be waiting anywhere in the store: nothing is handed off. */
  get closed(): boolean {
    return this.backlog;
  }

  /** New deliveries to `endpointId` wait for the claim that catches up on its due rows. */
  behind(endpointId: string): boolean {
    return this.catching.has(endpointId);
  }

  /** News of the store (a wake-up): older due rows may be waiting. */
  news(): void {
    this.backlog = true;
    this.wakes++;
  }

  /** The poll ticked: its claim looks for what wake-ups missed, without closing the gate. */
  poll(): void {
    this.polled = true;
  }

  /** A publish of this process queued deliveries instead of handing them off. */
  queuedOwn(): void {
    this.ownQueued++;
    this.ownWaiting = true;
  }

  /**
   * A slot of `endpointId` came free with nothing waiting here: true if the endpoint may have
   * more due rows, which a claim should now look for (its new deliveries queue until then).
   */
  slotFreed(endpointId: string): boolean {
    if (!this.mayHaveMore.delete(endpointId)) return false;
    this.catching.add(endpointId);
    return true;
  }

  /** Whether a freed slot should start a claim: the store may hold rows this worker wants. */
  wantsClaim(): boolean {
    return this.backlog || this.ownWaiting || this.catching.size > 0;
  }

  /** No claim could run for want of room: what it would have looked for may be older than the next publish. */
  noRoom(): void {
    if (this.ownWaiting || this.polled) this.backlog = true;
  }

  /** A claim starts. */
  claimStarts(): ClaimMark {
    this.polled = false;
    return { wakes: this.wakes, ownQueued: this.ownQueued, catchingUp: [...this.catching] };
  }

  /** A claim that asked for `room` rows got `got`: true if another claim should follow. */
  claimEnded(mark: ClaimMark, got: number, room: number): boolean {
    if (got >= room) {
      // Full: more may be due, older than the next publish's deliveries.
      this.backlog = true;
      return true;
    }
    // Short: the endpoints catching up gave what they had (one at its limit is in mayHaveMore again).
    for (const id of mark.catchingUp) this.catching.delete(id);
    // News during the claim: its rows may have committed after the claim looked.
    if (this.wakes !== mark.wakes) return false;
    this.backlog = false;
    // Our own queued rows committed during the claim may have been missed: one more claim.
    if (this.ownQueued === mark.ownQueued) this.ownWaiting = false;
    return this.ownQueued !== mark.ownQueued;
  }
}
