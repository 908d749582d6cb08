// Runs the page's changes (save, rotate, cancel…): one at a time per page, with the API's
// message kept for an ErrorBanner and the name of the running action for busy buttons.
import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../api.js';

export interface Action {
  /** The name given to the running `run` call, or null. */
  busy: string | null;
  error: string | null;
  setError(message: string | null): void;
  /** Runs `fn` under `name`; resolves to its result, or undefined when it failed (the message is in `error`). */
  run<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const run = useCallback(async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(name);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      if (alive.current) setError(messageOf(err));
      return undefined;
    } finally {
      if (alive.current) setBusy(null);
    }
  }, []);

  return { busy, error, setError, run };
}
