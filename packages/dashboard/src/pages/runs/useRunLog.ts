// A run's log, complete and in order while it grows: the stored lines are loaded page by page
// (after_seq), then agent.log live messages are appended. Lines are kept by seq, so a line seen
// both ways counts once; a gap in seq (lines emitted while the stream was connecting), a
// reconnect, or the run's end triggers a catch-up load from the last line held in order.
// Live messages cut for size ("truncated", docs/streaming.md) are fetched again in full.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, isRunActive, messageOf, query, type RunLogLine, type RunStatus } from '../../api.js';
import { useLive, useLiveStatus } from '../../hooks/useLive.js';

const PAGE = 1000;

type LiveLine = RunLogLine & { truncated?: boolean };

export interface RunLog {
  lines: RunLogLine[];
  loading: boolean;
  error: string | null;
}

/** The last seq up to which no line is missing (seqs start at 1 and have no holes). */
function contiguousEnd(lines: RunLogLine[]): number {
  let end = 0;
  for (const l of lines) {
    if (l.seq !== end + 1) break;
    end = l.seq;
  }
  return end;
}

function merge(prev: RunLogLine[], incoming: RunLogLine[]): RunLogLine[] {
  if (incoming.length === 0) return prev;
  const bySeq = new Map(prev.map((l) => [l.seq, l]));
  for (const l of incoming) bySeq.set(l.seq, { run_id: l.run_id, seq: l.seq, at: l.at, stream: l.stream, line: l.line });
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** `status` is the run's current status (null until the run has loaded). */
export function useRunLog(runId: string, status: RunStatus | null): RunLog {
  const [lines, setLines] = useState<RunLogLine[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const linesRef = useRef<RunLogLine[]>([]);
  const alive = useRef(true);
  const fetching = useRef(false);
  const again = useRef(false);
  const path = `/api/v1/runs/${encodeURIComponent(runId)}/logs`;

  const add = useCallback((incoming: RunLogLine[]) => {
    linesRef.current = merge(linesRef.current, incoming);
    setLines(linesRef.current);
  }, []);

  // One catch-up at a time; a request during one runs another right after it.
  const catchUp = useCallback(async () => {
    if (fetching.current) {
      again.current = true;
      return;
    }
    fetching.current = true;
    try {
      do {
        again.current = false;
        for (;;) {
          const after = contiguousEnd(linesRef.current);
          const page = await api<{ items: RunLogLine[] }>(path + query({ after_seq: after || undefined, limit: PAGE }));
          if (!alive.current) return;
          add(page.items);
          if (page.items.length < PAGE) break;
        }
      } while (again.current);
      setError(null);
    } catch (err) {
      if (alive.current) setError(messageOf(err));
    } finally {
      fetching.current = false;
      if (alive.current) setLoading(false);
    }
  }, [path, add]);

  useEffect(() => {
    alive.current = true;
    void catchUp();
    return () => {
      alive.current = false;
    };
  }, [catchUp]);

  const active = status === null || isRunActive(status);
  useLive<LiveLine>(active ? { topics: ['agent.log'], run_id: runId } : null, (m) => {
    const l = m.data;
    if (l.truncated) {
      // The stream cut this line; the API has it whole.
      api<{ items: RunLogLine[] }>(path + query({ after_seq: l.seq - 1, limit: 1 }))
        .then((p) => alive.current && add(p.items.length ? p.items : [l]))
        .catch(() => alive.current && add([l]));
      return;
    }
    add([l]);
    if (l.seq > contiguousEnd(linesRef.current) + 1) void catchUp();
  });

  // The stream misses what happens while it (re)connects, and a run's last lines are stored
  // before the run is marked ended: load what is missing then.
  const live = useLiveStatus();
  useEffect(() => {
    if (live === 'live') void catchUp();
  }, [live, catchUp]);
  const ended = status !== null && !isRunActive(status);
  useEffect(() => {
    if (ended) void catchUp();
  }, [ended, catchUp]);

  return { lines, loading, error };
}
