// After a Retry, read the delivery again until the new attempt is over, so the page shows
// its outcome even when the live stream missed it (e.g. while reconnecting).
import { api, type DeliveryDetail } from '../api.js';

const POLL_EVERY_MS = 500;
const POLL_FOR_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));

/**
 * Calls `onUpdate` with each fresh copy until the delivery has more than `attemptsBefore`
 * attempts and is not waiting for an immediate one, or 15 s passed, or `stopped()` is true.
 */
export async function followDelivery(id: string, attemptsBefore: number, onUpdate: (d: DeliveryDetail) => void, stopped: () => boolean): Promise<void> {
  const deadline = Date.now() + POLL_FOR_MS;
  while (Date.now() < deadline && !stopped()) {
    await sleep(POLL_EVERY_MS);
    if (stopped()) return;
    const d = await api<DeliveryDetail>(`/api/v1/deliveries/${encodeURIComponent(id)}`);
    onUpdate(d);
    if (d.attempts > attemptsBefore) return;
  }
}
