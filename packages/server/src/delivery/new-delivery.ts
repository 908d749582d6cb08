import type { DeliveryRecord } from '../store/index.js';
import { type Clock, newId } from '../util/index.js';

/**
 * A delivery queued now: pending, due at once, never tried. `extra` sets the channel's own
 * columns. Its tenant (`env_id`) is its event's; a notification's is its run's.
 */
export function newDelivery(
  clock: Clock,
  now: number,
  base: Pick<DeliveryRecord, 'env_id' | 'event_id' | 'endpoint_id' | 'event_type'>,
  extra: Partial<DeliveryRecord> = {},
): DeliveryRecord {
  return {
    id: newId('dlv', clock),
    ...base,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    lease_owner: null,
    created_at: now,
    updated_at: now,
    delivered_at: null,
    last_status_code: null,
    last_error: null,
    ...extra,
  };
}
