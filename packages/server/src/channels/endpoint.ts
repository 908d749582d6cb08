import type { SigningScheme } from '../crypto/index.js';
import { signatureHeaders } from '../crypto/index.js';
import type { EndpointTable } from '../store/index.js';

/** An endpoint with its secrets opened, ready to build requests. */
export interface EndpointTarget {
  id: string;
  url: string;
  timeoutMs: number;
  headers: Record<string, string>;
  scheme: SigningScheme;
  /** Newest first; two during a rotation's grace period. */
  secrets: string[];
  retrySchedule: number[] | null;
  rateLimit: number | null;
  enabled: boolean;
}

export type Opener = (sealed: string) => string;

export function endpointTarget(row: EndpointTable, open: Opener, now: number): EndpointTarget {
  const secrets = [open(row.secret_enc)];
  if (row.prev_secret_enc && (row.prev_secret_expires_at ?? 0) > now) secrets.push(open(row.prev_secret_enc));
  return {
    id: row.id,
    url: row.url,
    timeoutMs: row.timeout_ms,
    headers: row.headers_enc ? (JSON.parse(open(row.headers_enc)) as Record<string, string>) : {},
    scheme: row.signing_scheme as SigningScheme,
    secrets,
    retrySchedule: row.retry_schedule ? (JSON.parse(row.retry_schedule) as number[]) : null,
    rateLimit: row.rate_limit,
    enabled: row.enabled === 1,
  };
}

export const USER_AGENT = 'Hookline-Webhooks/0.1 (+https://github.com/hookline)';

/**
 * The request for one delivery. The body is the event's frozen envelope, byte for byte the
 * same on every attempt and manual retry; only the signature's timestamp is fresh.
 */
export function endpointRequest(t: EndpointTarget, event: { id: string; type: string; payload: string }, nowSec: number) {
  return {
    method: 'POST',
    url: t.url,
    timeoutMs: t.timeoutMs,
    body: event.payload,
    headers: {
      ...t.headers,
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-hookline-event-type': event.type,
      ...signatureHeaders(t.scheme, { msgId: event.id, timestampSec: nowSec, body: event.payload, secrets: t.secrets }),
    },
  };
}
