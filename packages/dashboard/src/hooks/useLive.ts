import { useEffect, useRef, useSyncExternalStore } from 'react';
import { liveStatus, onLiveStatus, subscribe, type LiveFilter, type LiveMessage, type LiveStatus } from '../live.js';

/**
 * Calls `onMessage` for every live-stream message matching `filter` while the component is
 * mounted (null: no subscription). The subscription is renewed only when the filter's
 * content changes, and the latest `onMessage` is always the one called.
 */
export function useLive<D = Record<string, unknown>>(filter: LiveFilter | null, onMessage: (m: LiveMessage<D>) => void): void {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const key = filter ? JSON.stringify(filter) : null;
  useEffect(() => {
    if (key === null) return;
    return subscribe(JSON.parse(key) as LiveFilter, (m) => handler.current(m as LiveMessage<D>));
  }, [key]);
}

/** Whether the live stream is connected, for a small "live" indicator. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(onLiveStatus, liveStatus);
}
