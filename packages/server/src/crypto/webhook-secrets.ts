import { randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** `whsec_` + base64 of 24 random bytes: the Standard Webhooks / Svix secret format. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(24).toString('base64');
}

/**
 * The HMAC key for the `standard` scheme: the base64 part after `whsec_`. Decoding is
 * strict because receivers' libraries reject what Node's lenient decoder would accept,
 * and a signature they cannot check is worse than an error at configuration time.
 */
export function standardSecretKey(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  const key = Buffer.from(b64, 'base64');
  if (b64.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || key.toString('base64') !== b64) {
    throw new Error('the standard signing scheme needs a secret of the form whsec_<base64>');
  }
  return key;
}

/** True for secrets usable with the `standard` scheme. */
export function isStandardWebhookSecret(secret: string): boolean {
  try {
    standardSecretKey(secret);
    return true;
  } catch {
    return false;
  }
}
