import type { DeliveryRecord } from '../store/index.js';
import { type Clock, newId } from '../util/index.js';

/**
 * A delivery queued now: pending, due at once, never tried. `extra` sets the channel's own
 * columns. Its tenant is its event's (`base.env_id`, or `extra.env_id` for a notification,
 * whose run gives it); '' only where a caller does not pass one yet (docs/tenants.md).
 */
export function newDelivery(
  clock: Clock,
  now: number,
  base: Pick<DeliveryRecord, 'event_id' | 'endpoint_id' | 'event_type'> & Partial<Pick<DeliveryRecord, 'env_id'>>,
  extra: Partial<DeliveryRecord> = {},
): DeliveryRecord {
  return {
    id: newId('dlv', clock),
    env_id: '',
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
