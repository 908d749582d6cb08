import type { Hookline, Run, RunLogLine } from '@hookline/sdk';
import type { ClientSettings } from './client.js';
import { LiveStream } from './stream.js';
import { dim, note } from './output.js';

const ENDED = new Set(['completed', 'failed', 'timeout', 'cancelled']);
export const hasEnded = (status: string) => ENDED.has(status);

/**
 * Prints a run's log lines in order until it ends: the backlog through the API, then the live
 * stream's `agent.log` lines. Each line is printed once, by `seq`. Whatever the live view may
 * miss (lines written just before the subscription, a cut line, dropped messages, a gap while
 * reconnecting) comes from GET /runs/{id}/logs: on subscribing, on `dropped`, at the run's end,
 * and once a second as a safety net. Resolves with the ended run.
 */
export async function followRun(client: Hookline, settings: ClientSettings, runId: string, print: (l: RunLogLine) => void): Promise<Run> {
  let lastSeq = 0;
  /** Live lines that arrived ahead of a gap, by seq. */
  const ahead = new Map<number, RunLogLine>();
  let chain: Promise<void> = Promise.resolve();
  let ended: string | undefined;
  let failure: unknown;

  const emit = (l: RunLogLine) => {
    if (l.seq <= lastSeq) return;
    lastSeq = l.seq;
    print(l);
  };
  const drain = () => {
    for (const seq of [...ahead.keys()].sort((a, b) => a - b)) {
      if (seq <= lastSeq) ahead.delete(seq);
      else if (seq === lastSeq + 1) {
        emit(ahead.get(seq)!);
        ahead.delete(seq);
      }
    }
  };
  /** Every stored line after the last printed one; returns the run's status. */
  const catchUp = async (): Promise<string> => {
    for (;;) {
      const page = await client.runs.logs(runId, { after_seq: lastSeq, limit: 1000 });
      for (const l of page.items) {
        ahead.delete(l.seq);
        emit(l);
      }
      drain();
      if (page.items.length < 1000) return page.run_status;
    }
  };

  const finish = (status: string) => {
    ended = status;
    stream.stop();
  };
  const enqueue = (fn: () => Promise<unknown> | void) => {
    chain = chain.then(async () => {
      if (ended) return;
      try {
        await fn();
      } catch (err) {
        failure = err;
        finish('error');
      }
    });
  };
  const catchUpAndCheck = async () => {
    const status = await catchUp();
    if (hasEnded(status)) {
      // Lines that only the stream delivered (not yet stored) still print, in order.
      for (const l of [...ahead.values()].sort((a, b) => a.seq - b.seq)) emit(l);
      finish(status);
    }
  };

  // A run that has already ended needs no stream at all.
  const first = await catchUp();
  if (hasEnded(first)) return client.runs.get(runId);

  const stream: LiveStream = new LiveStream({
    baseUrl: settings.url,
    apiKey: settings.apiKey,
    subscription: { id: 'follow', topics: ['agent.log', 'run.*'], run_id: runId },
    onSubscribed: () => enqueue(catchUpAndCheck),
    onMessage: (m) => {
      if (m.topic === 'agent.log') {
        const l = m.data as RunLogLine & { truncated?: boolean };
        enqueue(() => {
          if (!l.truncated) ahead.set(l.seq, l);
          drain();
        });
      } else if (hasEnded(String(m.data.status ?? m.topic.slice(4)))) {
        enqueue(catchUpAndCheck);
      }
    },
    onDropped: () => enqueue(catchUp),
    onDisconnect: (why, ms) => note(dim(process.stderr, `live stream lost (${why}); reconnecting in ${(ms / 1000).toFixed(1)} s`)),
  });
  // Lines are stored in batches (~200 ms): one printed ahead of a gap waits for the poll.
  const poll = setInterval(() => enqueue(catchUpAndCheck), 1000);
  try {
    await stream.run();
  } finally {
    clearInterval(poll);
  }
  await chain;
  if (failure) throw failure;
  return client.runs.get(runId);
}
