import { describe, expect, it } from 'vitest';
import { GroupCommit, QUIET_MS } from './group-commit.js';

/** A GroupCommit whose writes are recorded, and held open until `release()` when `hold` is set. */
function recorder(maxWriters = 1, now?: () => number) {
  const batches: number[][] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const commit = new GroupCommit<number, number>({
    maxBatch: 100,
    maxWriters,
    ...(now ? { now } : {}),
    write: async (items) => {
      batches.push(items);
      if (hold) await new Promise<void>((resolve) => held.push(resolve));
      return items.map((n) => n * 10);
    },
  });
  return {
    commit,
    batches,
    holdWrites: (on: boolean) => void (hold = on),
    release: () => held.splice(0).forEach((resolve) => resolve()),
  };
}

describe('GroupCommit', () => {
  it('starts a lone write before the next turn of the event loop when nothing is being written', async () => {
    const { commit, batches } = recorder();
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));
    const written = commit.submit(1).then((r) => (order.push('written'), r));
    expect(await written).toBe(10);
    expect(order).toEqual(['written']);
    expect(batches).toEqual([[1]]);
  });

  it('under steady submits (each within QUIET_MS of the last) waits a turn, so callers of separate tasks share a batch', async () => {
    let clock = 1000;
    const { commit, batches } = recorder(1, () => clock);
    expect(await commit.submit(1)).toBe(10);
    // Two submits from two separate tasks of one turn, 1 ms after the first: one batch.
    clock += 1;
    const [second, third] = await new Promise<Promise<number>[]>((resolve) => {
      const submits: Promise<number>[] = [];
      setImmediate(() => submits.push(commit.submit(2)));
      setImmediate(() => (submits.push(commit.submit(3)), resolve(submits)));
    });
    expect(await Promise.all([second!, third!])).toEqual([20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
    // Quiet again: the next lone submit goes at once.
    clock += QUIET_MS;
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));
    await commit.submit(4).then(() => order.push('written'));
    expect(order).toEqual(['written']);
  });

  it('writes the submits of one task as one batch, each caller getting its own result', async () => {
    const { commit, batches } = recorder();
    const results = await Promise.all([commit.submit(1), commit.submit(2), commit.submit(3)]);
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives while a batch is being written into the next batch', async () => {
    const { commit, batches, holdWrites, release } = recorder();
    holdWrites(true);
    const first = commit.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    // Submitted in separate turns while the first write is open: one batch after it.
    const later = [commit.submit(2)];
    await new Promise((resolve) => setImmediate(resolve));
    later.push(commit.submit(3));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    holdWrites(false);
    release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('retries a failed batch item by item, so one bad item fails only its own caller', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>({
      maxBatch: 100,
      maxWriters: 1,
      write: async (items) => {
        batches.push(items);
        if (items.includes(2)) throw new Error('bad item 2');
        return items;
      },
    });
    const results = await Promise.allSettled([commit.submit(1), commit.submit(2), commit.submit(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
