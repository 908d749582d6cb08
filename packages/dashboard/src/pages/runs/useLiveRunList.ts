// Keeps a loaded page of runs current from the live stream: a changed run updates its row at
// once, and a throttled reload brings in new runs (and drops ones that left the filters).
import { useEffect, useRef } from 'react';
import type { Page, Run } from '../../api.js';
import type { Resource } from '../../hooks/useResource.js';
import { useLive } from '../../hooks/useLive.js';
import type { LiveFilter } from '../../live.js';

/** At most one reload per this long, however many runs change at once. */
const RELOAD_EVERY_MS = 1000;

/** `scope` narrows run.* (agent_id, crew_id); null turns live updates off (e.g. past page one). */
export function useLiveRunList(runs: Resource<Page<Run>>, scope: Omit<LiveFilter, 'topics'> | null): void {
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useLive<Run>(scope && { topics: ['run.*'], ...scope }, (m) => {
    runs.setData((p) => p && { ...p, items: p.items.map((r) => (r.id === m.data.id ? { ...r, ...m.data } : r)) });
    if (timer.current === undefined) {
      timer.current = window.setTimeout(() => {
        timer.current = undefined;
        void runs.reload();
      }, RELOAD_EVERY_MS);
    }
  });
}
