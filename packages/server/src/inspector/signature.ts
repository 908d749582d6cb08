import { isUtf8 } from 'node:buffer';
import { isStandardWebhookSecret, type SigningScheme, verifySignature } from '../crypto/index.js';
import { BIN_SCHEMES, type SignatureCheckView } from '../wire/index.js';

/** How a bin checks signatures: one scheme, or `auto` (picked per request from its headers). */
export type BinScheme = 'auto' | SigningScheme;
export { BIN_SCHEMES };
/** The verdict stored with a captured request. */
export type SignatureCheck = SignatureCheckView;

/** Hookline's own window (verifySignature's default); a receiver should use the same. */
export const TIMESTAMP_TOLERANCE_SEC = 300;

const SIGNATURE_HEADER: Record<SigningScheme, string> = {
  standard: 'webhook-signature',
  'x-signature': 'x-signature',
  agentgateway: 'x-agentgateway-signature',
  github: 'x-hub-signature-256',
  callback: 'x-signature',
};

const TIMESTAMP_HEADER: Partial<Record<SigningScheme, string>> = {
  standard: 'webhook-timestamp',
  agentgateway: 'x-agentgateway-timestamp',
  callback: 'x-timestamp',
};

/** The scheme a request's headers announce, in the contract's order; null when it carries no signature header. */
export function detectScheme(h: Record<string, string>): SigningScheme | null {
  if (h['webhook-signature'] !== undefined) return 'standard';
  if (h['x-agentgateway-signature'] !== undefined) return 'agentgateway';
  if (h['x-hub-signature-256'] !== undefined) return 'github';
  if (h['x-signature'] !== undefined) return h['x-timestamp'] !== undefined ? 'callback' : 'x-signature';
  return null;
}

export interface CheckInput {
  scheme: BinScheme;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The whole body as received (not the stored cut). */
  body: Buffer;
  /** The bin's opened secret; null when it has none. */
  secret: string | null;
  nowSec: number;
}

/** Quoted sender input in a reason, short enough to read. */
const quote = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * Checks a captured request's signature the way a receiver would, and says why it fails.
 * Null when there is nothing to check: no secret and no signature header.
 */
export function checkSignature(a: CheckInput): SignatureCheck | null {
  const h = a.headers;
  const detected = detectScheme(h);
  if (!detected && a.secret === null) return null;
  const scheme = a.scheme === 'auto' ? detected : a.scheme;
  if (!scheme)
    return {
      scheme: 'auto',
      valid: false,
      reason: 'no signature header (looked for webhook-signature, x-agentgateway-signature, x-hub-signature-256 and x-signature)',
    };
  const bad = (reason: string): SignatureCheck => ({ scheme, valid: false, reason });
  if (a.secret === null) return bad('this bin has no secret to check the signature with');
  const sigHeader = SIGNATURE_HEADER[scheme];
  if (h[sigHeader] === undefined) return bad(`no signature header: the ${scheme} scheme signs in ${sigHeader}`);
  const tsHeader = TIMESTAMP_HEADER[scheme];
  if (tsHeader) {
    const ts = h[tsHeader];
    if (ts === undefined) return bad(`no ${tsHeader} header: the ${scheme} scheme signs a timestamp`);
    if (!/^\d{1,15}$/.test(ts)) return bad(`the ${tsHeader} header ${quote(ts)} is not a Unix time in seconds`);
    const age = a.nowSec - Number(ts);
    if (age > TIMESTAMP_TOLERANCE_SEC) return bad(`timestamp is ${age} s old (limit ${TIMESTAMP_TOLERANCE_SEC} s)`);
    if (-age > TIMESTAMP_TOLERANCE_SEC) return bad(`timestamp is ${-age} s in the future (limit ${TIMESTAMP_TOLERANCE_SEC} s); check the sender's clock`);
  }
  if (scheme === 'standard') {
    if (!h['webhook-id']) return bad('no webhook-id header: Standard Webhooks signs "{webhook-id}.{webhook-timestamp}.{body}"');
    if (!isStandardWebhookSecret(a.secret))
      return bad("this bin's secret is not a Standard Webhooks secret (whsec_ followed by base64); set the endpoint's secret on the bin");
  }
  const ok = verifySignature(scheme, { headers: h, body: a.body.toString('utf8'), secret: a.secret, nowSec: a.nowSec, toleranceSec: TIMESTAMP_TOLERANCE_SEC });
  if (ok) return { scheme, valid: true, reason: 'signature matches' };
  const prefixed = scheme === 'github' || scheme === 'callback';
  if (prefixed && !h[sigHeader]!.startsWith('sha256=')) return bad(`signature does not match: ${sigHeader} should be "sha256=" followed by the hex HMAC`);
  return bad(
    `signature does not match${isUtf8(a.body) ? '' : " (the body is not UTF-8 text, which Hookline's schemes sign)"}: check the secret, and that the sender signed these exact bytes`,
  );
}
