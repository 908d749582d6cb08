import { type RandomSource } from '../util/index.js';

/** The outcome of one attempt, as the retry policy sees it. */
export type Verdict =
  | { kind: 'delivered' }
  | { kind: 'retry'; at: number }
  | { kind: 'failed'; reason: string }
  /** The receiver said the endpoint is gone for good: fail and disable the destination. */
  | { kind: 'gone'; reason: string };

export interface AttemptOutcome {
  statusCode: number | null;
  retryAfterMs: number | null;
  error: { code: string; message: string } | null;
  /** A channel's own reading of the response (e.g. Slack's `channel_not_found`): false = give up now. */
  retryable?: boolean;
}

export interface RetryPolicy {
  /** Delays (ms) before retry 1, 2, …; after the last, the delivery fails. */
  schedule: number[];
  /** Up to this fraction of each delay is added at random, so retries spread out. */
  jitter: number;
  /** A receiver's Retry-After is honoured up to this many ms. */
  maxRetryAfterMs: number;
  /** Whether 4xx (other than 408/410/429) is worth retrying: endpoints yes (any non-2xx is retried), post-actions no (a 4xx is final). */
  retry4xx: boolean;
}

/** Errors that no retry can fix. */
const PERMANENT_ERRORS = new Set(['ssrf_blocked']);

/**
 * Decides what happens after attempt number `attempt` (1-based) ended with `outcome` at `now`.
 * 2xx is success; 3xx is a failure (redirects are not followed); 408, 429, 5xx and network
 * errors are retried; 410 gives up on the destination.
 */
export function decide(policy: RetryPolicy, attempt: number, outcome: AttemptOutcome, now: number, random: RandomSource): Verdict {
  const code = outcome.statusCode;
  if (code !== null && code >= 200 && code < 300 && !outcome.error) return { kind: 'delivered' };
  if (outcome.retryable === false || (outcome.error && PERMANENT_ERRORS.has(outcome.error.code)))
    return { kind: 'failed', reason: outcome.error?.code ?? `HTTP ${code}` };
  if (code === 410) return { kind: 'gone', reason: 'the endpoint answered 410 Gone' };
  const reason = outcome.error ? outcome.error.code : `HTTP ${code}`;
  const retryable = code === null || code >= 500 || code < 400 || code === 408 || code === 429 || policy.retry4xx;
  if (!retryable) return { kind: 'failed', reason };
  const base = policy.schedule[attempt - 1];
  if (base === undefined) return { kind: 'failed', reason };
  if (outcome.retryAfterMs !== null && (code === 429 || code === 503)) {
    // The receiver told us when; trust it (capped) instead of guessing with jitter.
    return { kind: 'retry', at: now + Math.min(Math.max(outcome.retryAfterMs, 0), policy.maxRetryAfterMs) };
  }
  return { kind: 'retry', at: now + base + Math.floor(base * policy.jitter * random()) };
}
