import { HooklineError } from '../errors.js';
import { concat, fromBase64, timingSafeEqual, toBase64, toHex, utf8 } from './bytes.js';
import type { CallbackPayload, HooklineEvent } from './events.js';

/** How Hookline signs: endpoints (`standard` default, `x-signature`, `agentgateway`, `github`), callbacks (`callback`), named webhooks (`agentgateway`). */
export type WebhookScheme = 'standard' | 'x-signature' | 'agentgateway' | 'github' | 'callback';
export const WEBHOOK_SCHEMES: readonly WebhookScheme[] = Object.freeze(['standard', 'x-signature', 'agentgateway', 'github', 'callback']);

export type WebhookVerificationReason =
  'missing_header' | 'invalid_signature' | 'timestamp_too_old' | 'timestamp_in_future' | 'malformed_header' | 'invalid_secret' | 'unknown_scheme';

/** The request is not one Hookline signed with this secret (or not recently). Answer it with 401 and do not act on it. */
export class WebhookVerificationError extends HooklineError {
  override name = 'WebhookVerificationError';
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
    /** The scheme checked, when one was known. */
    readonly scheme?: WebhookScheme,
  ) {
    super(message);
  }
}

/** Plain objects (Node's `req.headers`, Express) or a `Headers` instance (fetch, Next.js, Workers). Names are matched case-insensitively. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The signing secret: `whsec_…` of an endpoint, `hlcb_…` of a callback, a named webhook's secret. Several are tried in turn (e.g. old and new while rotating). */
  secret: string | readonly string[];
  headers: WebhookHeaders;
  /** The raw body exactly as received, before any JSON parsing. */
  body: string | Uint8Array | ArrayBuffer;
  /** Default `auto`: picked from the headers, as Hookline's Inspector does. */
  scheme?: WebhookScheme | 'auto';
  /** How far the signed timestamp may be from `now` (`standard`, `agentgateway`, `callback`). Default 300. */
  toleranceSeconds?: number;
  /** The time to check timestamps against. Default: the current time. */
  now?: Date | number;
}

const SIGNATURE_HEADER: Record<WebhookScheme, string> = {
  standard: 'webhook-signature',
  'x-signature': 'x-signature',
  agentgateway: 'x-agentgateway-signature',
  github: 'x-hub-signature-256',
  callback: 'x-signature',
};
const TIMESTAMP_HEADER: Partial<Record<WebhookScheme, string>> = {
  standard: 'webhook-timestamp',
  agentgateway: 'x-agentgateway-timestamp',
  callback: 'x-timestamp',
};
/** During an endpoint's rotation grace period, the single-signature schemes carry the new secret's signature here. */
export const NEXT_SIGNATURE_HEADER = 'x-hookline-next-signature';

function headerGetter(h: WebhookHeaders): (name: string) => string | undefined {
  if (typeof (h as Headers).get === 'function' && typeof (h as Headers).has === 'function') {
    return (name) => (h as Headers).get(name) ?? undefined;
  }
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(h as Record<string, string | string[] | undefined>)) {
    if (v === undefined) continue;
    lower.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v));
  }
  return (name) => lower.get(name);
}

/** The scheme a request's headers announce; undefined when it carries no signature header. */
export function detectWebhookScheme(headers: WebhookHeaders): WebhookScheme | undefined {
  const get = headerGetter(headers);
  if (get('webhook-signature') !== undefined) return 'standard';
  if (get('x-agentgateway-signature') !== undefined) return 'agentgateway';
  if (get('x-hub-signature-256') !== undefined) return 'github';
  if (get('x-signature') !== undefined) return get('x-timestamp') !== undefined ? 'callback' : 'x-signature';
  return undefined;
}

function bodyBytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === 'string') return utf8(body);
  // By shape, not instanceof: bodies can come from another realm (a vm context, a worker).
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (Object.prototype.toString.call(body) === '[object ArrayBuffer]') return new Uint8Array(body as ArrayBuffer);
  throw new TypeError('verifyWebhook: body must be the raw body as a string, Uint8Array or ArrayBuffer (not a parsed object)');
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new HooklineError('verifyWebhook needs WebCrypto (globalThis.crypto.subtle), which this runtime lacks');
  return s;
}

async function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, message as BufferSource));
}

/** The HMAC key of a `standard` secret: the base64 after `whsec_` (a bare base64 secret works too). */
function standardKey(secret: string): Uint8Array | undefined {
  return fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
}

const HEX64 = /^[0-9a-f]{64}$/;
const PREFIXED = new Set<WebhookScheme>(['github', 'callback']);

/** A single-signature header value in the form its scheme sends, lower-cased (hex is case-insensitive); undefined when malformed. */
function normalizeHex(scheme: WebhookScheme, value: string): string | undefined {
  const v = value.trim().toLowerCase();
  const hex = PREFIXED.has(scheme) ? (v.startsWith('sha256=') ? v.slice('sha256='.length) : undefined) : v;
  return hex !== undefined && HEX64.test(hex) ? v : undefined;
}

/** `v1,<base64 of 32 bytes>` entries of a `webhook-signature` header; other versions are skipped, as the spec says. */
function standardSignatures(value: string): { v1: string[]; wellFormed: boolean } {
  const v1: string[] = [];
  let wellFormed = false;
  for (const entry of value.split(' ')) {
    const m = /^(v[0-9]+[a-z]*),([A-Za-z0-9+/]+={0,2})$/.exec(entry);
    if (!m) continue;
    wellFormed = true;
    if (m[1] === 'v1') v1.push(m[2]!);
  }
  return { v1, wellFormed };
}

/**
 * Checks that Hookline signed this request with `secret`, within the timestamp window, and
 * throws a `WebhookVerificationError` saying why when it did not. Resolves to the scheme checked.
 */
export async function verifyWebhookSignature(o: VerifyWebhookOptions): Promise<WebhookScheme> {
  const get = headerGetter(o.headers);
  const requested = o.scheme ?? 'auto';
  if (requested !== 'auto' && !WEBHOOK_SCHEMES.includes(requested)) {
    throw new WebhookVerificationError('unknown_scheme', `unknown scheme ${JSON.stringify(requested)}; use one of ${WEBHOOK_SCHEMES.join(', ')} or auto`);
  }
  const scheme = requested === 'auto' ? detectWebhookScheme(o.headers) : requested;
  if (!scheme)
    throw new WebhookVerificationError(
      'missing_header',
      'no signature header (looked for webhook-signature, x-agentgateway-signature, x-hub-signature-256 and x-signature)',
    );
  const fail = (reason: WebhookVerificationReason, message: string) => new WebhookVerificationError(reason, message, scheme);

  const secrets = typeof o.secret === 'string' ? [o.secret] : [...o.secret];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) throw fail('invalid_secret', 'the secret is empty');
  const keys = secrets.map((s) => (scheme === 'standard' ? standardKey(s) : utf8(s)));
  if (keys.some((k) => k === undefined || k.length === 0))
    throw fail('invalid_secret', 'the standard scheme needs the endpoint secret as given: whsec_ followed by base64');

  const sigHeader = SIGNATURE_HEADER[scheme];
  const sigValue = get(sigHeader);
  if (sigValue === undefined || sigValue.trim() === '') throw fail('missing_header', `no ${sigHeader} header`);
  const id = scheme === 'standard' ? get('webhook-id') : undefined;
  if (scheme === 'standard' && !id) throw fail('missing_header', 'no webhook-id header: Standard Webhooks signs "{webhook-id}.{webhook-timestamp}.{body}"');

  let ts = '';
  const tsHeader = TIMESTAMP_HEADER[scheme];
  if (tsHeader) {
    const t = get(tsHeader);
    if (t === undefined || t === '') throw fail('missing_header', `no ${tsHeader} header: the ${scheme} scheme signs a timestamp`);
    if (!/^\d{1,15}$/.test(t)) throw fail('malformed_header', `${tsHeader} is not a Unix time in seconds`);
    const nowSec = Math.floor((o.now === undefined ? Date.now() : typeof o.now === 'number' ? o.now : o.now.getTime()) / 1000);
    const tolerance = o.toleranceSeconds ?? 300;
    const age = nowSec - Number(t);
    if (age > tolerance)
      throw fail('timestamp_too_old', `the signed timestamp is ${age} s old (limit ${tolerance} s): a replayed request, or a clock that is off`);
    if (-age > tolerance) throw fail('timestamp_in_future', `the signed timestamp is ${-age} s in the future (limit ${tolerance} s): check the clocks`);
    ts = t;
  }

  const body = bodyBytes(o.body);
  if (scheme === 'standard') {
    const { v1, wellFormed } = standardSignatures(sigValue);
    if (!wellFormed) throw fail('malformed_header', 'webhook-signature holds no "v1,<base64>" entry');
    const message = concat(utf8(`${id}.${ts}.`), body);
    for (const key of keys) {
      const expected = toBase64(await hmacSha256(key!, message));
      // Every entry is compared, so the time taken does not say which one matched.
      let ok = false;
      for (const given of v1) ok = timingSafeEqual(given, expected) || ok;
      if (ok) return scheme;
    }
    throw fail('invalid_signature', 'no webhook-signature entry matches: check the secret, and that you verify the raw body bytes');
  }

  const main = normalizeHex(scheme, sigValue);
  const nextRaw = get(NEXT_SIGNATURE_HEADER);
  const next = nextRaw === undefined ? undefined : normalizeHex(scheme, nextRaw);
  const candidates = [main, next].filter((c): c is string => c !== undefined);
  const message = tsHeader ? concat(utf8(`${ts}.`), body) : body;
  for (const key of keys) {
    const hex = toHex(await hmacSha256(key!, message));
    const expected = PREFIXED.has(scheme) ? `sha256=${hex}` : hex;
    let ok = false;
    for (const given of candidates) ok = timingSafeEqual(given, expected) || ok;
    if (ok) return scheme;
  }
  if (main === undefined)
    throw fail(
      'malformed_header',
      PREFIXED.has(scheme) ? `${sigHeader} should be "sha256=" followed by 64 hex digits` : `${sigHeader} should be 64 hex digits`,
    );
  throw fail('invalid_signature', `${sigHeader} does not match: check the secret, and that you verify the raw body bytes`);
}

/**
 * Verifies a request Hookline sent and returns its parsed body: the event envelope for an
 * endpoint, the callback payload (`scheme: 'callback'`), a named webhook's body.
 * Throws `WebhookVerificationError` (with `reason`) when the signature or timestamp is wrong.
 */
export function verifyWebhook(o: VerifyWebhookOptions & { scheme: 'callback' }): Promise<CallbackPayload>;
export function verifyWebhook<T = HooklineEvent>(o: VerifyWebhookOptions): Promise<T>;
export async function verifyWebhook(o: VerifyWebhookOptions): Promise<unknown> {
  await verifyWebhookSignature(o);
  const text = typeof o.body === 'string' ? o.body : new TextDecoder().decode(o.body);
  try {
    return JSON.parse(text);
  } catch {
    throw new HooklineError('the signature is valid but the body is not JSON; use verifyWebhookSignature() to check it without parsing');
  }
}
