import { createHmac } from 'node:crypto';
import { safeEqual, standardSecretKey } from '../crypto/index.js';
import type { ErrorName } from '../errors/index.js';
import { TRIGGER_SCHEMES } from '../wire/index.js';

/** The deprecated plaintext scheme's end of life, sent on every request that uses it. */
export const SUNSET = 'Thu, 31 Dec 2026 23:59:59 GMT';
/** A signed timestamp must be within this many seconds of now (every scheme that carries one). */
export const TIMESTAMP_TOLERANCE_SEC = 300;

/**
 * How a trigger's sender signs. `hookline` is the X-Signature (the agent's own trigger URL
 * always uses it); the others let a named trigger take webhooks from GitHub, any Standard
 * Webhooks sender (Svix and others) or Grafana alerting without a proxy in between.
 */
export { TRIGGER_SCHEMES };
export type TriggerScheme = (typeof TRIGGER_SCHEMES)[number];

export type InboundAuth =
  | { ok: true; deprecated: boolean; /** The sender's own delivery id, when the scheme has one: a natural idempotency key. */ deliveryId: string | null }
  | {
      ok: false;
      reason: string;
      /** Machine-readable: `unauthorized`, or `timestamp_out_of_window` for a stale or future signed timestamp (a replay, or a sender's clock that is off). */ code: InboundRefusal;
    };

/** The catalogue codes a refused trigger request answers with. */
type InboundRefusal = Extract<ErrorName, 'unauthorized' | 'timestamp_out_of_window'>;

export type Headers = Record<string, string | string[] | undefined>;

/** A request header's (first) value. */
export function one(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** HMAC-SHA256 over `prefix` + the exact raw bytes (never a re-serialised body). */
function mac(key: string | Buffer, raw: Buffer, prefix = ''): Buffer {
  const h = createHmac('sha256', key);
  if (prefix) h.update(prefix);
  return h.update(raw).digest();
}

const ok = (deliveryId: string | null = null, deprecated = false): InboundAuth => ({ ok: true, deprecated, deliveryId });
const fail = (reason: string, code: InboundRefusal = 'unauthorized'): InboundAuth => ({ ok: false, reason, code });

function checkTimestamp(ts: string, nowSec: number, header: string): InboundAuth | undefined {
  if (!/^\d{1,12}$/.test(ts)) return fail(`${header} must be Unix seconds`);
  if (Math.abs(nowSec - Number(ts)) > TIMESTAMP_TOLERANCE_SEC) return fail(`${header} is outside the 5-minute window`, 'timestamp_out_of_window');
  return undefined;
}

/**
 * Why a hex signature was refused. GitHub's `sha256=` habit is the common slip, so it gets its
 * own hint; the hint depends on the header's form only, never on whether the digest was right.
 */
function mismatch(header: string, value: string): string {
  if (/^\s*sha256=/i.test(value)) return `${header} is the bare hex HMAC-SHA256 of the body; drop the "sha256=" prefix`;
  return `${header} does not match the body`;
}

/**
 * The agent trigger URL's scheme: `X-Signature` = hex HMAC-SHA256 of the raw body (no prefix). With `X-Timestamp`,
 * the signature covers `"{ts}.{body}"` and the timestamp must be fresh, which stops a captured
 * request from being replayed later. `allowPlaintext` admits the deprecated `X-Webhook-Secret`.
 */
function verifyHookline(h: Headers, raw: Buffer, secret: string, nowSec: number, allowPlaintext: boolean): InboundAuth {
  const signature = one(h, 'x-signature');
  const plain = one(h, 'x-webhook-secret');
  if (signature !== undefined) {
    const ts = one(h, 'x-timestamp');
    if (ts !== undefined) {
      const bad = checkTimestamp(ts, nowSec, 'X-Timestamp');
      if (bad) return bad;
    }
    const expected = mac(secret, raw, ts !== undefined ? `${ts}.` : '').toString('hex');
    return safeEqual(signature.trim().toLowerCase(), expected) ? ok() : fail(mismatch('X-Signature', signature));
  }
  if (plain !== undefined && allowPlaintext) return safeEqual(plain, secret) ? ok(null, true) : fail('X-Webhook-Secret is wrong');
  return fail("send X-Signature (hex HMAC-SHA256 of the raw body with the trigger's secret)");
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex>` over the raw body; `X-GitHub-Delivery` identifies the delivery. */
function verifyGithub(h: Headers, raw: Buffer, secret: string): InboundAuth {
  const sig = one(h, 'x-hub-signature-256');
  if (sig === undefined) return fail('send X-Hub-Signature-256 (set a secret on the GitHub webhook)');
  const expected = 'sha256=' + mac(secret, raw).toString('hex');
  if (!safeEqual(sig.trim().toLowerCase(), expected)) return fail('X-Hub-Signature-256 does not match the body');
  return ok(one(h, 'x-github-delivery') ?? null);
}

/** Standard Webhooks: `webhook-signature: v1,<base64>` (one or more) over `{id}.{timestamp}.{body}`. */
function verifyStandard(h: Headers, raw: Buffer, secret: string, nowSec: number): InboundAuth {
  const id = one(h, 'webhook-id');
  const ts = one(h, 'webhook-timestamp');
  const sigs = one(h, 'webhook-signature');
  if (!id || !ts || !sigs) return fail('send webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks)');
  const bad = checkTimestamp(ts, nowSec, 'webhook-timestamp');
  if (bad) return bad;
  const expected = mac(standardSecretKey(secret), raw, `${id}.${ts}.`).toString('base64');
  // Check every entry (no early exit) so timing does not reveal which one matched.
  let matched = false;
  for (const entry of sigs.split(' ')) if (entry.startsWith('v1,') && safeEqual(entry.slice(3), expected)) matched = true;
  return matched ? ok(id) : fail('webhook-signature does not match the body');
}

/**
 * Grafana alerting's HMAC option: hex HMAC-SHA256 in `X-Grafana-Alerting-Signature`, over
 * `"{ts}:{body}"` when the contact point sets a timestamp header (we expect
 * `X-Grafana-Alerting-Timestamp`), else over the body alone.
 */
function verifyGrafana(h: Headers, raw: Buffer, secret: string, nowSec: number): InboundAuth {
  const sig = one(h, 'x-grafana-alerting-signature');
  if (sig === undefined) return fail('send X-Grafana-Alerting-Signature (enable HMAC signing on the Grafana contact point)');
  const ts = one(h, 'x-grafana-alerting-timestamp');
  if (ts !== undefined) {
    const bad = checkTimestamp(ts, nowSec, 'X-Grafana-Alerting-Timestamp');
    if (bad) return bad;
  }
  const expected = mac(secret, raw, ts !== undefined ? `${ts}:` : '').toString('hex');
  return safeEqual(sig.trim().toLowerCase(), expected) ? ok() : fail(mismatch('X-Grafana-Alerting-Signature', sig));
}

/** The agent's own trigger route: the `hookline` scheme, plus the deprecated plaintext header. */
export function verifyInbound(headers: Headers, rawBody: Buffer, secret: string, nowSec: number): InboundAuth {
  return verifyHookline(headers, rawBody, secret, nowSec, true);
}

/** A named trigger's request, checked with the trigger's scheme (no plaintext secrets here: they are new). */
export function verifyTrigger(scheme: TriggerScheme, headers: Headers, rawBody: Buffer, secret: string, nowSec: number): InboundAuth {
  switch (scheme) {
    case 'hookline':
      return verifyHookline(headers, rawBody, secret, nowSec, false);
    case 'github':
      return verifyGithub(headers, rawBody, secret);
    case 'standard':
      return verifyStandard(headers, rawBody, secret, nowSec);
    case 'grafana':
      return verifyGrafana(headers, rawBody, secret, nowSec);
  }
}
