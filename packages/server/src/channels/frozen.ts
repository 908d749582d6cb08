/**
 * The channels whose request was rendered and sealed at enqueue (all but endpoints): opening
 * it at send time and adding the channel's current auth or signature.
 */
import { type PreparedDelivery, type SendRequest } from '../delivery/index.js';
import type { DeliveryRecord, FrozenRequest } from '../store/index.js';
import type { Opener } from './channel.js';

/**
 * Prepares each row from its sealed request, opened only when a request is built (and not
 * cached: it is read once). A row without one (its render failed) is `request_missing`.
 */
export function prepareFrozen(
  rows: DeliveryRecord[],
  openFresh: Opener,
  prepareOne: (row: DeliveryRecord, frozen: () => FrozenRequest) => PreparedDelivery | string,
): Map<string, PreparedDelivery | string> {
  const out = new Map<string, PreparedDelivery | string>();
  for (const row of rows) {
    if (!row.request_enc) {
      out.set(row.id, 'request_missing');
      continue;
    }
    const sealed = row.request_enc;
    out.set(
      row.id,
      prepareOne(row, () => JSON.parse(openFresh(sealed)) as FrozenRequest),
    );
  }
  return out;
}

/** The frozen request with `extra` headers (auth, signatures) on top. */
export function frozenRequest(f: FrozenRequest, extra: Record<string, string>): SendRequest {
  return { method: f.method, url: f.url, headers: { ...f.headers, ...extra }, ...(f.body ? { body: f.body } : {}), timeoutMs: f.timeout_ms };
}

/** Fields every frozen channel's prepared delivery shares: no rate limit, no endpoint health. */
export const FROZEN_BASE = { rateLimit: null, trackHealth: false } as const;
