import type { DeliveryRecord, EndpointRecord, EventRecord } from '../store/index.js';
import type { SendRequest, SendResult } from './http-sender.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * What the dispatcher needs to send one claimed delivery, whatever its channel (endpoint,
 * post-action, callback, Slack, named webhook). channels/ builds these; the dispatcher knows
 * nothing else about where a delivery goes.
 */
export interface PreparedDelivery {
  /** Requests per second allowed to this destination; null for no limit. */
  rateLimit: number | null;
  /** Replaces parts of the dispatcher's default policy for this delivery. */
  policy?: Partial<RetryPolicy>;
  /** Whether results count toward the endpoint's consecutive-failure counter (endpoints only). */
  trackHealth: boolean;
  /**
   * The URL written in the attempt record, when the real one may be a credential (a Slack
   * incoming-webhook URL, a named webhook's URL): attempts are readable by every API key and
   * stored in plain text.
   */
  recordedUrl?: string;
  /** The request for an attempt starting at `nowSec`: the frozen content plus fresh auth and signatures. */
  build(nowSec: number): SendRequest;
  /**
   * Reads a channel-level outcome out of a response, e.g. Slack's HTTP 200 with
   * `{"ok":false,"error":"channel_not_found"}`. Setting `error` on a 2xx makes it a failure;
   * `retryable: false` fails it without retrying.
   */
  judge?(res: SendResult): Judged;
}

/** A response as its channel reads it; `error.code` may be the channel's own word (Slack's `channel_not_found`). */
export type Judged = Omit<SendResult, 'error'> & { error: { code: string; message: string } | null; retryable?: boolean };

/** Rows the caller already holds (a hand-off from the publishing write, which read or wrote them): not read again. */
export interface KnownRows {
  events: EventRecord[];
  endpoints: EndpointRecord[];
}

/**
 * Prepares a claim's rows. A row whose destination cannot be sent to (deleted, disabled,
 * its event pruned) maps to the reason, and is failed without an attempt.
 */
export type PrepareDeliveries = (rows: DeliveryRecord[], now: number, known?: KnownRows) => Promise<Map<string, PreparedDelivery | string>>;
