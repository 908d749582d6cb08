// Verify what Hookline sends, with node:crypto only. Copy the function for your scheme.
//
// Every function takes the secret, the request headers with lower-case names (Node's
// req.headers), and the raw body exactly as received (a Buffer or string; never a
// re-serialised object), and returns true when the request is authentic.
import { createHmac, timingSafeEqual } from 'node:crypto';

const TOLERANCE_SECONDS = 5 * 60;

/** Constant-time comparison; a length difference reveals nothing secret. */
function same(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A Unix-seconds timestamp within 5 minutes of now, so a captured request cannot be replayed later. */
function fresh(ts, nowSeconds = Math.floor(Date.now() / 1000)) {
  return /^\d{1,15}$/.test(ts ?? '') && Math.abs(nowSeconds - Number(ts)) <= TOLERANCE_SECONDS;
}

const hexHmac = (key, ...parts) => parts.reduce((h, p) => h.update(p), createHmac('sha256', key)).digest('hex');

/** During a rotation the new secret's signature is in x-hookline-next-signature; either header may match. */
const either = (headers, main, expected) =>
  [headers[main], headers['x-hookline-next-signature']].some((given) => typeof given === 'string' && same(given.toLowerCase(), expected));

/** `standard` (endpoints' default; Standard Webhooks): webhook-id, webhook-timestamp, webhook-signature: v1,<base64> … */
export function verifyStandard(secret, headers, body) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !signatures || !fresh(ts)) return false;
  // The key is the base64-decoded part after "whsec_".
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest('base64');
  // Space-separated "v1,<sig>" entries (two during a rotation); one match is enough.
  return signatures.split(' ').some((entry) => entry.startsWith('v1,') && same(entry.slice(3), expected));
}

/** `x-signature`: X-Signature = hex HMAC of the body; the key is the whole secret string. */
export function verifyXSignature(secret, headers, body) {
  return either(headers, 'x-signature', hexHmac(secret, body));
}

/** `github`: X-Hub-Signature-256 = "sha256=" + hex HMAC of the body. */
export function verifyGithub(secret, headers, body) {
  return either(headers, 'x-hub-signature-256', 'sha256=' + hexHmac(secret, body));
}

/** `agentgateway` endpoints and named notification webhooks: hex HMAC of "{X-AgentGateway-Timestamp}.{body}". */
export function verifyAgentGateway(secret, headers, body) {
  const ts = headers['x-agentgateway-timestamp'];
  return fresh(ts) && either(headers, 'x-agentgateway-signature', hexHmac(secret, `${ts}.`, body));
}

/** Agent callbacks (hlcb_… secret): X-Signature = "sha256=" + hex HMAC of "{X-Timestamp}.{body}". */
export function verifyCallback(secret, headers, body) {
  const ts = headers['x-timestamp'];
  return fresh(ts) && typeof headers['x-signature'] === 'string' && same(headers['x-signature'].toLowerCase(), 'sha256=' + hexHmac(secret, `${ts}.`, body));
}
