import { createHash, randomBytes } from 'node:crypto';

const API_KEY_PREFIX = 'hl_sk_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 62^43 > 2^256, so 43 digits hold any 32-byte value; fixed width keeps the format checkable.
const BODY_LEN = 43;
const DISPLAY_PREFIX_LEN = 12;
// Generated keys are base62; operator-chosen ones (HOOKLINE_ADMIN_KEY) may also use - and _.
const API_KEY_RE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z_-]{16,128}$`);

/** Base62 (not base64url) so the key has no punctuation and selects with one double-click. */
function base62(bytes: Buffer): string {
  let n = BigInt('0x' + bytes.toString('hex'));
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(BODY_LEN, '0');
}

export interface GeneratedApiKey {
  /** Shown to the user once, never stored. */
  key: string;
  /** First 12 chars (`hl_sk_` + 6), safe to store and display to tell keys apart. */
  prefix: string;
  /** What the database stores and looks keys up by. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const key = API_KEY_PREFIX + base62(randomBytes(32));
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_LEN), hash: hashApiKey(key) };
}

/**
 * Hex sha256. A fast hash is right here: keys carry 256 bits of randomness, so brute force
 * is infeasible without a slow KDF (those exist for low-entropy passwords), and a fast,
 * deterministic hash lets each request look its key up by an indexed column.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Cheap shape check to reject junk before touching the database. */
export function looksLikeApiKey(s: unknown): s is string {
  return typeof s === 'string' && API_KEY_RE.test(s);
}
