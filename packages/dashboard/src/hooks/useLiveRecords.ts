import { useEffect, useRef } from 'react';
import { api, type NotificationRecord } from '../api.js';
import { useLive } from './useLive.js';

/** Updated deliveries remembered while not on screen; older ones are forgotten first. */
const MAX_UNSHOWN = 500;

/**
 * Keeps the shown notification records current: every delivery.* message on the live stream
 * names a delivery (any channel); when it is one of `items`, its fresh copy is fetched and
 * handed to `onUpdate`.
 *
 * The subscription runs from mount, not from when the list has loaded: a delivery can be
 * attempted, and fail, between the list's query and the subscription reaching the server (a
 * run's callback fails within milliseconds of the run ending). So updates of records not on
 * screen yet are remembered by id, and when a list arrives holding one of them, that record is
 * fetched again.
 */
export function useLiveNotificationRecords(items: readonly NotificationRecord[] | undefined, onUpdate: (record: NotificationRecord) => void): void {
  const shown = useRef(new Set<string>());
  shown.current = new Set(items?.map((n) => n.id));
  const updatedUnshown = useRef(new Set<string>());
  const update = useRef(onUpdate);
  update.current = onUpdate;

  const refetch = (id: string) =>
    void api<NotificationRecord>(`/api/v1/notifications/${encodeURIComponent(id)}`).then(
      (record) => update.current(record),
      () => undefined,
    );

  useLive<{ delivery_id?: string }>({ topics: ['delivery.*'] }, (m) => {
    const id = m.data.delivery_id;
    if (!id) return;
    if (shown.current.has(id)) return refetch(id);
    const unshown = updatedUnshown.current;
    unshown.delete(id);
    unshown.add(id);
    if (unshown.size > MAX_UNSHOWN) unshown.delete(unshown.values().next().value!);
  });

  useEffect(() => {
    for (const id of shown.current) {
      if (updatedUnshown.current.delete(id)) refetch(id);
    }
  }, [items]);
}
