import { describe, expect, it } from 'vitest';
import { type ClaimCandidate, takeTurns } from './claim-turns.js';

/** Candidates numbered by rowid, due in rowid order unless `at` says otherwise. */
function rows(spec: [env: string, endpoint: string, at?: number][]): ClaimCandidate[] {
  return spec.map(([env_id, endpoint_id, at], i) => ({ rowid: i + 1, env_id, endpoint_id, next_attempt_at: at ?? i + 1 }));
}

const roomsOf = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('takeTurns: which due rows a SQLite claim takes', () => {
  it('takes environments in turns: each one’s oldest before any one’s second, oldest first within a turn', () => {
    // A has a backlog older than B's single row; B's row still comes second, not sixth.
    const due = rows([
      ['A', 'a1'],
      ['A', 'a1'],
      ['A', 'a2'],
      ['A', 'a2'],
      ['A', 'a1'],
      ['B', 'b1'],
    ]);
    expect(takeTurns(due, { rooms: roomsOf({ A: 10, B: 10 }), perEndpoint: 10, limit: 3 })).toEqual([1, 6, 2]);
  });

  it('holds each environment to its room, and leaves one with no room out', () => {
    const due = rows([
      ['A', 'a1'],
      ['A', 'a1'],
      ['A', 'a1'],
      ['B', 'b1'],
      ['B', 'b1'],
      ['C', 'c1'],
    ]);
    expect(takeTurns(due, { rooms: roomsOf({ A: 2, B: 1, C: 0 }), perEndpoint: 10, limit: 10 })).toEqual([1, 4, 2]);
    // An environment missing from the rooms takes nothing either.
    expect(takeTurns(due, { rooms: roomsOf({ A: 1 }), perEndpoint: 10, limit: 10 })).toEqual([1]);
  });

  it('takes no more than perEndpoint of one endpoint (its oldest), so its other endpoints still get rows', () => {
    const due = rows([
      ['A', 'slow', 1],
      ['A', 'slow', 2],
      ['A', 'slow', 3],
      ['A', 'fast', 4],
      ['A', 'fast', 5],
    ]);
    expect(takeTurns(due, { rooms: roomsOf({ A: 10 }), perEndpoint: 2, limit: 10 })).toEqual([1, 2, 4, 5]);
  });

  it('orders by due time, not by the order rows were read in', () => {
    const due = rows([
      ['A', 'a1', 30],
      ['A', 'a1', 10],
      ['A', 'a1', 20],
    ]);
    expect(takeTurns(due, { rooms: roomsOf({ A: 10 }), perEndpoint: 2, limit: 10 })).toEqual([2, 3]);
  });

  it('stops at the limit and takes nothing from nothing', () => {
    const due = rows([
      ['A', 'a1'],
      ['A', 'a2'],
      ['A', 'a3'],
    ]);
    expect(takeTurns(due, { rooms: roomsOf({ A: 10 }), perEndpoint: 10, limit: 2 })).toEqual([1, 2]);
    expect(takeTurns([], { rooms: roomsOf({ A: 10 }), perEndpoint: 10, limit: 2 })).toEqual([]);
  });
});
