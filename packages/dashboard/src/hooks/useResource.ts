// Loads one API resource for a page: refetches when the path changes, aborts stale requests,
// and keeps the last good data on screen while a reload is in flight.
import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { api, isAbort, messageOf } from '../api.js';

export interface Resource<T> {
  /** The last data that loaded; null before the first load (or when `path` is null). */
  data: T | null;
  /** The API's message when the last load failed. */
  error: string | null;
  loading: boolean;
  /** Loads again (e.g. after a change); resolves when done, never rejects. */
  reload(): Promise<void>;
  /** Replaces the data in place, e.g. with a changed record the API returned. */
  setData: Dispatch<SetStateAction<T | null>>;
}

/** `path` null means "nothing to load yet" (e.g. a detail page waiting for its id). */
export function useResource<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);
  // reload() callers waiting for the load they asked for; not state, nothing renders from it.
  const waiters = useRef(new Set<() => void>());

  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    api<T>(path, { signal: ctl.signal })
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(messageOf(err));
      })
      .finally(() => {
        if (ctl.signal.aborted) return;
        setLoading(false);
        for (const done of waiters.current) done();
        waiters.current.clear();
      });
    return () => ctl.abort();
  }, [path, generation]);

  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiters.current.add(resolve);
        setGeneration((g) => g + 1);
      }),
    [],
  );

  return { data, error, loading, reload, setData };
}
