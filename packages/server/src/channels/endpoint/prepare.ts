import type { SigningScheme } from '../../crypto/index.js';
import { signatureHeaders } from '../../crypto/index.js';
import { type KnownRows, type PreparedDelivery } from '../../delivery/index.js';
import type { DeliveryRecord, EndpointRecord, Store } from '../../store/index.js';
import { type Channel, type Opener, USER_AGENT } from '../channel.js';

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

export function endpointTarget(row: EndpointRecord, open: Opener, now: number): EndpointTarget {
  const secrets = [open(row.secret_enc)];
  if (row.prev_secret_enc && (row.prev_secret_expires_at ?? 0) > now) secrets.push(open(row.prev_secret_enc));
  return {
    id: row.id,
    url: row.url,
    timeoutMs: row.timeout_ms,
    headers: row.headers_enc ? (JSON.parse(open(row.headers_enc)) as Record<string, string>) : {},
    scheme: row.signing_scheme as SigningScheme,
    secrets,
    retrySchedule: row.retry_schedule,
    rateLimit: row.rate_limit,
    enabled: row.enabled,
  };
}

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

/**
 * Prepares endpoint deliveries: the endpoint's current settings and secrets (opened once per
 * change, not per send) and the event's frozen envelope.
 */
export class EndpointChannel implements Channel {
  private readonly targets = new Map<string, { key: string; target: EndpointTarget }>();
  constructor(
    private readonly store: Store,
    private readonly open: Opener,
  ) {}

  async prepare(rows: DeliveryRecord[], now: number, known: KnownRows = { events: [], endpoints: [] }): Promise<Map<string, PreparedDelivery | string>> {
    const eventById = new Map(known.events.map((e) => [e.id, e]));
    const endpointById = new Map(known.endpoints.map((e) => [e.id, e]));
    const [endpoints, events] = await Promise.all([
      this.store.endpoints.getMany([...new Set(rows.filter((r) => !endpointById.has(r.endpoint_id)).map((r) => r.endpoint_id))]),
      this.store.events.getMany([...new Set(rows.filter((r) => !eventById.has(r.event_id)).map((r) => r.event_id))]),
    ]);
    for (const e of events) eventById.set(e.id, e);
    for (const e of endpoints) endpointById.set(e.id, e);
    // Only the rows' endpoints: `known` may hold others (a publish's subscribers beyond its hand-off).
    const targetById = new Map<string, EndpointTarget>();
    for (const id of new Set(rows.map((r) => r.endpoint_id))) {
      const endpoint = endpointById.get(id);
      if (endpoint) targetById.set(id, this.target(endpoint, now));
    }
    const out = new Map<string, PreparedDelivery | string>();
    for (const row of rows) {
      const target = targetById.get(row.endpoint_id);
      const event = eventById.get(row.event_id);
      if (!target) out.set(row.id, 'endpoint_deleted');
      else if (!event) out.set(row.id, 'event_pruned');
      else if (!target.enabled) out.set(row.id, 'endpoint_disabled');
      else {
        out.set(row.id, {
          rateLimit: target.rateLimit,
          trackHealth: true,
          ...(target.retrySchedule ? { policy: { schedule: target.retrySchedule } } : {}),
          build: (nowSec) => endpointRequest(target, event, nowSec),
        });
      }
    }
    return out;
  }

  private target(row: EndpointRecord, now: number): EndpointTarget {
    const key = `${row.updated_at}|${row.enabled}|${row.prev_secret_expires_at! > now}`;
    const cached = this.targets.get(row.id);
    if (cached?.key === key) return cached.target;
    const target = endpointTarget(row, this.open, now);
    this.targets.set(row.id, { key, target });
    return target;
  }
}
