import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A 32-byte AES-256 key plus the short id that sealed values carry to name it. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

const PREFIX = 'hlbox';
const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;
const KEY_BYTES = 32;
// Ids are embedded in a dot-separated string, so no dots; short, so they are safe to log.
const KEY_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

const TAMPERED = 'secret box: ciphertext was tampered with or the key is wrong';
const KEY_FORMATS = 'master key must be 32 bytes written as 64 hex characters or as base64/base64url; ' + 'generate one with `openssl rand -hex 32`';

/** First 8 hex chars of sha256(key): identifies a key without revealing it. */
export function keyIdFor(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Accepts 64 hex chars, or base64/base64url of exactly 32 bytes. The error never echoes
 * the input, because the input is a key.
 */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(t)) {
    // Buffer's 'base64' decoder also understands the url-safe alphabet.
    const buf = Buffer.from(t, 'base64');
    if (buf.length === KEY_BYTES) return buf;
  }
  throw new Error(KEY_FORMATS);
}

/**
 * Node's base64 decoder skips invalid characters and ignores unused trailing bits, so a
 * modified string could decode to the same bytes. Only the canonical encoding is accepted.
 */
function strictBase64url(s: string): Buffer | undefined {
  const buf = Buffer.from(s, 'base64url');
  return buf.toString('base64url') === s ? buf : undefined;
}

/** Recently opened values kept in memory (see SecretBox.open). */
const OPENED_CACHE_SIZE = 1000;

/**
 * Encryption at rest for secrets (AES-256-GCM). Output is self-describing:
 * `hlbox.v1.<keyId>.<iv b64url>.<ciphertext+tag b64url>`, so after a master-key rotation
 * old values still open with the older key while new ones are sealed with the current one.
 */
export class SecretBox {
  private readonly current: MasterKey;
  private readonly byId = new Map<string, Buffer>();
  private readonly opened = new Map<string, string>();

  /** keys[0] encrypts; the rest are older keys still accepted for decryption. */
  constructor(keys: MasterKey[]) {
    const first = keys[0];
    if (!first) throw new Error('secret box: at least one master key is required');
    for (const k of keys) {
      if (!KEY_ID_RE.test(k.id)) throw new Error('secret box: key ids may only use letters, digits, _ and -');
      if (k.key.length !== KEY_BYTES) throw new Error(`secret box: key ${k.id} must be 32 bytes`);
      const existing = this.byId.get(k.id);
      if (existing && !existing.equals(k.key)) throw new Error(`secret box: two different keys share id ${k.id}`);
      this.byId.set(k.id, k.key);
    }
    this.current = first;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const header = `${PREFIX}.${VERSION}.${this.current.id}`;
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    // Authenticating the header binds the format version and key id to the ciphertext.
    cipher.setAAD(Buffer.from(header, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${header}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /**
   * Hot paths (every inbound trigger, every delivery) open the same few sealed values over and
   * over; a sealed string always opens to the same plaintext, so remember recent ones.
   */
  open(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = this.decrypt(sealed);
      if (this.opened.size >= OPENED_CACHE_SIZE) this.opened.delete(this.opened.keys().next().value!);
      this.opened.set(sealed, plain);
    }
    return plain;
  }

  /** Opens without remembering: for values read once or twice (a notification's frozen request), which would only evict the hot ones. */
  openFresh(sealed: string): string {
    return this.opened.get(sealed) ?? this.decrypt(sealed);
  }

  private decrypt(sealed: string): string {
    const parts = sealed.split('.');
    // Messages never include the input: an unsealed value passed here may be a plaintext secret.
    if (parts.length !== 5 || parts[0] !== PREFIX) throw new Error('secret box: value is not a sealed secret');
    const [, version, keyId, ivText, bodyText] = parts as [string, string, string, string, string];
    if (version !== VERSION) throw new Error('secret box: unsupported sealed-secret version');
    const key = this.byId.get(keyId);
    if (!key) throw new Error(`secret box: unknown key id ${KEY_ID_RE.test(keyId) ? keyId : '(malformed)'}`);
    const iv = strictBase64url(ivText);
    const body = strictBase64url(bodyText);
    if (!iv || iv.length !== IV_BYTES || !body || body.length < TAG_BYTES) throw new Error(TAMPERED);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${PREFIX}.${VERSION}.${keyId}`, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const pt = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
      return pt.toString('utf8');
    } catch {
      throw new Error(TAMPERED);
    }
  }

  /** True when a value was sealed with an older key, so a rotation job can re-seal it. */
  needsReseal(sealed: string): boolean {
    return sealed.split('.')[2] !== this.current.id;
  }
}
