import type { AttemptRecord, DeliveryRecord, DeliveryUpdate, EndpointHealthChange } from '../store/index.js';
import { type RandomSource, iso } from '../util/index.js';
import type { Judged, PreparedDelivery } from './destination.js';
import type { SendRequest } from './http-sender.js';
import { decide, type RetryPolicy, type Verdict } from './retry-policy.js';

/**
 * What one attempt (or a delivery given up without one) comes to, as data the dispatcher writes
 * in its next result batch: the attempt record, the delivery's next state, and the verdict that
 * moves its endpoint's failure streak. Pure: no clock, store or network here.
 */
export interface Finished {
  row: DeliveryRecord;
  owner: string;
  attempt?: AttemptRecord;
  update: DeliveryUpdate;
  verdict: Verdict | { kind: 'skipped' };
  trackHealth: boolean;
}

/** A delivery's state after an attempt (or after it was given up without one), as plain data. */
export interface DeliveryResult {
  outcome: 'succeeded' | 'retrying' | 'failed';
  /** The delivery's environment (tenant): who may see this result. */
  env_id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  /** The destination: an endpoint id, or a post-action, agent (callback), `slack` or named webhook. */
  endpoint_id: string;
  channel: string;
  /** The run that caused it, for notifications. */
  run_id: string | null;
  attempt: number;
  status_code: number | null;
  duration_ms: number | null;
  /** When the next attempt is due (ISO 8601), for `retrying`. */
  next_attempt_at: string | null;
  error: string | null;
}

export interface AttemptFacts {
  row: DeliveryRecord;
  /** The claim (lease owner) it was sent under. */
  owner: string;
  prepared: PreparedDelivery;
  request: SendRequest;
  response: Judged;
  startedAt: number;
  now: number;
  attemptId: string;
  /** The dispatcher's default; the destination's own settings replace parts of it. */
  policy: RetryPolicy;
  random: RandomSource;
}

/** One attempt's record and the delivery's next state: delivered, due again (a retry), or failed. */
export function attemptFinished(a: AttemptFacts): Finished {
  const { row, response: res, now } = a;
  const attemptNo = row.attempts + 1;
  const policy = a.prepared.policy ? { ...a.policy, ...a.prepared.policy } : a.policy;
  const verdict = decide(policy, attemptNo, res, now, a.random);
  const attempt: AttemptRecord = {
    id: a.attemptId,
    delivery_id: row.id,
    attempt: attemptNo,
    started_at: a.startedAt,
    duration_ms: Math.round(res.durationMs),
    method: a.request.method,
    url: a.prepared.recordedUrl ?? a.request.url,
    status_code: res.statusCode,
    response_body: res.responseBody,
    error_code: res.error?.code ?? null,
    error_message: res.error?.message ?? null,
  };
  const update: DeliveryUpdate = {
    id: row.id,
    leaseOwner: a.owner,
    status: verdict.kind === 'delivered' ? 'delivered' : verdict.kind === 'retry' ? 'pending' : 'failed',
    attempts: attemptNo,
    nextAttemptAt: verdict.kind === 'retry' ? verdict.at : now,
    updatedAt: now,
    deliveredAt: verdict.kind === 'delivered' ? now : row.delivered_at,
    lastStatusCode: res.statusCode,
    lastError: verdict.kind === 'delivered' ? null : res.error ? describeError(res.error) : `HTTP ${res.statusCode}`,
  };
  return { row, owner: a.owner, attempt, update, verdict, trackHealth: a.prepared.trackHealth };
}

/** A delivery failed without an attempt (its destination was deleted or disabled, its event pruned). */
export function givenUp(row: DeliveryRecord, owner: string, reason: string, now: number): Finished {
  const update: DeliveryUpdate = {
    id: row.id,
    leaseOwner: owner,
    status: 'failed',
    attempts: row.attempts,
    nextAttemptAt: now,
    updatedAt: now,
    deliveredAt: row.delivered_at,
    lastStatusCode: row.last_status_code,
    lastError: reason,
  };
  return { row, owner, update, verdict: { kind: 'skipped' }, trackHealth: false };
}

/** How a batch moves its endpoints' failure streaks, and which endpoints answered 410 Gone. */
export function healthOf(batch: Finished[]): { health: EndpointHealthChange[]; gone: string[] } {
  const health = new Map<string, EndpointHealthChange>();
  const gone: string[] = [];
  for (const f of batch) {
    const v = f.verdict;
    if (v.kind === 'skipped' || !f.trackHealth) continue;
    const h = health.get(f.row.endpoint_id) ?? { endpointId: f.row.endpoint_id, reset: false, failures: 0 };
    if (v.kind === 'delivered') Object.assign(h, { reset: true, failures: 0 });
    else h.failures += 1;
    if (v.kind === 'gone') gone.push(f.row.endpoint_id);
    health.set(h.endpointId, h);
  }
  return { health: [...health.values()], gone };
}

/** The earliest retry a batch schedules, if it schedules any. */
export function earliestRetry(batch: Finished[]): number | undefined {
  let at: number | undefined;
  for (const f of batch) if (f.update.status === 'pending' && (at === undefined || f.update.nextAttemptAt < at)) at = f.update.nextAttemptAt;
  return at;
}

/** What the live stream says of a written result. */
export function resultOf(f: Finished): DeliveryResult {
  const u = f.update;
  return {
    outcome: u.status === 'delivered' ? 'succeeded' : u.status === 'pending' ? 'retrying' : 'failed',
    env_id: f.row.env_id,
    delivery_id: f.row.id,
    event_id: f.row.event_id,
    event_type: f.row.event_type,
    endpoint_id: f.row.endpoint_id,
    channel: f.row.channel ?? 'endpoint',
    run_id: f.row.run_id ?? null,
    attempt: u.attempts,
    status_code: f.attempt?.status_code ?? null,
    duration_ms: f.attempt?.duration_ms ?? null,
    next_attempt_at: u.status === 'pending' ? iso(u.nextAttemptAt) : null,
    error: u.lastError,
  };
}

/** `code: message`, or just the code when the message says nothing more (Slack's `channel_not_found`). */
function describeError(e: { code: string; message: string }): string {
  return e.message && e.message !== e.code ? `${e.code}: ${e.message}` : e.code;
}
