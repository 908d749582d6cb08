// Retry of a notification: ask the server to send a notification again, then watch that one record until
// it is no longer pending, so its row updates in place without reloading the page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, messageOf, type NotificationRecord } from '../api.js';

const POLL_EVERY_MS = 500;
const POLL_FOR_MS = 15_000;

export interface RetryState {
  /** Ids being retried right now (the POST or the polling after it). */
  busy: ReadonlySet<string>;
  /** Per-record notes, e.g. still pending after the polling gave up. */
  notes: ReadonlyMap<string, string>;
  retry(id: string): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));

/**
 * `onUpdate` gets every fresh copy of the record; `onError` gets the API's message when the
 * retry cannot be started or the record cannot be read.
 */
export function useRetry(onUpdate: (record: NotificationRecord) => void, onError: (message: string) => void): RetryState {
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [notes, setNotes] = useState<ReadonlyMap<string, string>>(new Map());
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false; // stop polling once the page is gone
    };
  }, []);

  const mark = useCallback((id: string, on: boolean) => {
    setBusy((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const note = useCallback((id: string, text: string | null) => {
    setNotes((prev) => {
      const next = new Map(prev);
      if (text) next.set(id, text);
      else next.delete(id);
      return next;
    });
  }, []);

  const retry = useCallback(
    async (id: string) => {
      const path = `/api/v1/notifications/${encodeURIComponent(id)}`;
      mark(id, true);
      note(id, null);
      try {
        let record = await api<NotificationRecord>(`${path}/retry`, { method: 'POST' });
        if (!alive.current) return;
        onUpdate(record);
        const deadline = Date.now() + POLL_FOR_MS;
        while (record.status === 'pending' && Date.now() < deadline) {
          await sleep(POLL_EVERY_MS);
          if (!alive.current) return;
          record = await api<NotificationRecord>(path);
          if (!alive.current) return;
          onUpdate(record);
        }
        if (record.status === 'pending') note(id, 'Still pending after 15 s; the server keeps trying. Reload the page later to see the outcome.');
      } catch (err) {
        if (alive.current) onError(messageOf(err));
      } finally {
        if (alive.current) mark(id, false);
      }
    },
    [mark, note, onUpdate, onError],
  );

  return { busy, notes, retry };
}
