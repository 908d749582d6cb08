import { createHmac, timingSafeEqual } from 'node:crypto';
import { standardSecretKey } from './webhook-secrets.js';

// Decoding and validating a whsec_ secret costs more than the HMAC; a worker signs with the
// same few secrets all day. Bounded so rotated-away secrets do not pile up.
const decodedKeys = new Map<string, Buffer>();
function keyFor(secret: string): Buffer {
  let key = decodedKeys.get(secret);
  if (!key) {
    key = standardSecretKey(secret);
    if (decodedKeys.size >= 1000) decodedKeys.clear();
    decodedKeys.set(secret, key);
  }
  return key;
}

export type SigningScheme = 'standard' | 'x-signature' | 'agentgateway' | 'github' | 'callback';
export const SIGNING_SCHEMES: readonly SigningScheme[] = Object.freeze([
  'standard',
  'x-signature',
  'agentgateway',
  'github',
  // Agent callbacks: `X-Signature: sha256=<hex>` of "{X-Timestamp}.{body}".
  'callback',
]);

/** The header carrying the signed timestamp, for the schemes that sign one. */
const TIMESTAMP_HEADER: Partial<Record<SigningScheme, string>> = { agentgateway: 'X-AgentGateway-Timestamp', callback: 'X-Timestamp' };

/** Carries the new-secret signature for the single-signature schemes during a rotation. */
export const NEXT_SIGNATURE_HEADER = 'X-Hookline-Next-Signature';

export interface SignInput {
  msgId: string;
  timestampSec: number;
  body: string;
  /** Newest first; during a rotation grace period there are two. */
  secrets: string[];
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The Standard Webhooks signature value without the `v1,` tag. */
function standardSig(secret: string, msgId: string, ts: number | string, body: string): string {
  return hmac(keyFor(secret), `${msgId}.${ts}.${body}`).toString('base64');
}

/** Main-header value for the single-signature schemes; the key is the secret's UTF-8 bytes. */
function singleValue(scheme: Exclude<SigningScheme, 'standard'>, secret: string, ts: number | string, body: string): string {
  switch (scheme) {
    case 'x-signature':
      return hmac(secret, body).toString('hex');
    case 'agentgateway':
      return hmac(secret, `${ts}.${body}`).toString('hex');
    case 'github':
      return 'sha256=' + hmac(secret, body).toString('hex');
    case 'callback':
      return 'sha256=' + hmac(secret, `${ts}.${body}`).toString('hex');
  }
}

const MAIN_HEADER = {
  'x-signature': 'X-Signature',
  agentgateway: 'X-AgentGateway-Signature',
  github: 'X-Hub-Signature-256',
  callback: 'X-Signature',
} as const;

/**
 * Headers that sign one outbound request.
 *
 * `standard` lists every secret's signature in `webhook-signature` (space separated,
 * newest first), which the spec allows and its verifiers handle.
 *
 * The other schemes have room for one signature only. During a rotation the main header
 * is computed with the OLDER secret (secrets[1]), so receivers that still hold the old
 * secret keep working through the grace period; the same value computed with the NEW
 * secret goes in `X-Hookline-Next-Signature` so receivers can switch early.
 */
export function signatureHeaders(scheme: SigningScheme, input: SignInput): Record<string, string> {
  const { msgId, timestampSec: ts, body, secrets } = input;
  if (secrets.length < 1 || secrets.length > 2) throw new Error('signing: expected one or two secrets');
  if (!Number.isSafeInteger(ts) || ts < 0) throw new Error('signing: timestampSec must be whole seconds');
  if (scheme === 'standard') {
    return {
      'webhook-id': msgId,
      'webhook-timestamp': String(ts),
      'webhook-signature': secrets.map((s) => 'v1,' + standardSig(s, msgId, ts, body)).join(' '),
    };
  }
  if (!(scheme in MAIN_HEADER)) throw new Error(`signing: unknown scheme ${String(scheme)}`);
  const [newest, older] = secrets as [string, string | undefined];
  const headers: Record<string, string> = {
    [MAIN_HEADER[scheme]]: singleValue(scheme, older ?? newest, ts, body),
  };
  const tsHeader = TIMESTAMP_HEADER[scheme];
  if (tsHeader) headers[tsHeader] = String(ts);
  if (older !== undefined) headers[NEXT_SIGNATURE_HEADER] = singleValue(scheme, newest, ts, body);
  return headers;
}

export interface VerifyInput {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
  secret: string;
  nowSec: number;
  toleranceSec?: number;
}

/** Constant-time string comparison, for signatures and secrets. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // timingSafeEqual throws on unequal lengths; a length difference reveals nothing secret
  // (signatures and secrets here have fixed, public lengths).
  return x.length === y.length && timingSafeEqual(x, y);
}

function freshTimestamp(value: string | undefined, nowSec: number, tolerance: number): boolean {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return false;
  return Math.abs(nowSec - Number(value)) <= tolerance;
}

/**
 * Receiver-side check, used by our tests and examples. For the single-signature schemes a
 * match in either the main header or `x-hookline-next-signature` counts, as a receiver
 * that already holds the new secret during a rotation would do. Returns false for any
 * bad or missing header; throws only for a malformed `standard` secret (a config error).
 */
export function verifySignature(scheme: SigningScheme, input: VerifyInput): boolean {
  const { headers: h, body, secret, nowSec, toleranceSec = 300 } = input;
  if (scheme === 'standard') {
    const id = h['webhook-id'];
    const ts = h['webhook-timestamp'];
    const sigs = h['webhook-signature'];
    if (!id || !sigs || !freshTimestamp(ts, nowSec, toleranceSec)) return false;
    const expected = standardSig(secret, id, ts as string, body);
    return sigs.split(' ').some((entry) => entry.startsWith('v1,') && safeEqual(entry.slice(3), expected));
  }
  let ts = '';
  const tsHeader = TIMESTAMP_HEADER[scheme];
  if (tsHeader) {
    const t = h[tsHeader.toLowerCase()];
    if (!freshTimestamp(t, nowSec, toleranceSec)) return false;
    ts = t as string;
  } else if (!(scheme in MAIN_HEADER)) {
    return false;
  }
  const expected = singleValue(scheme, secret, ts, body);
  const candidates = [h[MAIN_HEADER[scheme].toLowerCase()], h[NEXT_SIGNATURE_HEADER.toLowerCase()]];
  // Hex is case-insensitive; we send lower case but tolerate upper.
  return candidates.some((c) => c !== undefined && safeEqual(c.toLowerCase(), expected));
}
