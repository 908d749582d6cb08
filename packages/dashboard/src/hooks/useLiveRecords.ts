import { useRef } from 'react';
import { api, type NotificationRecord } from '../api.js';
import { useLive } from './useLive.js';

/**
 * Keeps the shown notification records current: every delivery.* message on the live stream
 * names a delivery (any channel); when it is one of `items`, its fresh copy is fetched and
 * handed to `onUpdate`. Records not on screen are ignored.
 */
export function useLiveNotificationRecords(items: readonly NotificationRecord[] | undefined, onUpdate: (record: NotificationRecord) => void): void {
  const shown = useRef(new Set<string>());
  shown.current = new Set(items?.map((n) => n.id));
  useLive<{ delivery_id?: string }>(items ? { topics: ['delivery.*'] } : null, (m) => {
    const id = m.data.delivery_id;
    if (!id || !shown.current.has(id)) return;
    api<NotificationRecord>(`/api/v1/notifications/${encodeURIComponent(id)}`).then(onUpdate, () => undefined);
  });
}
