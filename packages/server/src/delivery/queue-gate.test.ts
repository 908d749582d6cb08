import { describe, expect, it } from 'vitest';
import { QueueGate } from './queue-gate.js';

/** A gate opened by a first claim that came back short with no news. */
function opened(): QueueGate {
  const gate = new QueueGate();
  expect(gate.claimEnded(gate.claimStarts(), 0, 10)).toBe(false);
  expect(gate.closed).toBe(false);
  return gate;
}

describe('QueueGate: when new deliveries queue behind older due rows', () => {
  it('starts closed (the store may hold anything) and a short claim with no news opens it', () => {
    const gate = new QueueGate();
    expect(gate.closed).toBe(true);
    expect(gate.wantsClaim()).toBe(true);
    expect(gate.claimEnded(gate.claimStarts(), 3, 10)).toBe(false);
    expect(gate.closed).toBe(false);
    expect(gate.wantsClaim()).toBe(false);
  });

  it('stays closed when news arrives during the claim, and a full claim closes it and asks for another', () => {
    const gate = opened();
    const mark = gate.claimStarts();
    gate.news();
    expect(gate.claimEnded(mark, 2, 10)).toBe(false);
    expect(gate.closed).toBe(true);
    const open = opened();
    expect(open.claimEnded(open.claimStarts(), 10, 10)).toBe(true);
    expect(open.closed).toBe(true);
  });

  it("keeps a poll tick's claim from closing it, unless the claim could not run for want of room", () => {
    const gate = opened();
    gate.poll();
    expect(gate.closed).toBe(false);
    expect(gate.claimEnded(gate.claimStarts(), 0, 10)).toBe(false);
    expect(gate.closed).toBe(false);
    gate.poll();
    gate.noRoom();
    expect(gate.closed).toBe(true);
    // A claim that ran since the tick has looked: no room later does not close it again.
    const after = opened();
    after.poll();
    after.claimEnded(after.claimStarts(), 0, 10);
    after.noRoom();
    expect(after.closed).toBe(false);
  });

  it('asks for one more claim when this process queued rows during a claim, without closing', () => {
    const gate = opened();
    gate.queuedOwn();
    expect(gate.wantsClaim()).toBe(true);
    const mark = gate.claimStarts();
    gate.queuedOwn();
    expect(gate.claimEnded(mark, 1, 10)).toBe(true);
    expect(gate.closed).toBe(false);
    expect(gate.wantsClaim()).toBe(true);
    expect(gate.claimEnded(gate.claimStarts(), 1, 10)).toBe(false);
    expect(gate.wantsClaim()).toBe(false);
    // Queued rows not claimed for want of room are older than the next publish: closed.
    gate.queuedOwn();
    gate.noRoom();
    expect(gate.closed).toBe(true);
  });

  it('holds back only the endpoint whose freed slot starts a catch-up claim, until a claim comes back short', () => {
    const gate = opened();
    expect(gate.slotFreed('ep_x')).toBe(false); // nothing more known to be due there
    gate.mayHaveMore.add('ep_x');
    expect(gate.slotFreed('ep_x')).toBe(true);
    expect(gate.slotFreed('ep_x')).toBe(false); // asked once
    expect([gate.closed, gate.behind('ep_x'), gate.behind('ep_y'), gate.wantsClaim()]).toEqual([false, true, false, true]);
    // A full claim may have left some of it: still behind.
    const mark = gate.claimStarts();
    expect(gate.claimEnded(mark, 10, 10)).toBe(true);
    expect(gate.behind('ep_x')).toBe(true);
    // Short, even with news during it: ep_x gave what it had.
    const next = gate.claimStarts();
    gate.news();
    gate.claimEnded(next, 4, 10);
    expect(gate.behind('ep_x')).toBe(false);
  });

  it('releases only the endpoints a short claim was started for', () => {
    const gate = opened();
    gate.mayHaveMore.add('ep_x');
    gate.slotFreed('ep_x');
    const mark = gate.claimStarts();
    // A slot of ep_y frees while the claim runs: that claim did not look for it.
    gate.mayHaveMore.add('ep_y');
    gate.slotFreed('ep_y');
    gate.claimEnded(mark, 0, 10);
    expect([gate.behind('ep_x'), gate.behind('ep_y'), gate.wantsClaim()]).toEqual([false, true, true]);
  });
});
