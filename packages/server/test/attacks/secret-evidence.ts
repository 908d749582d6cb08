/**
 * Bookkeeping for the secret-sentinel test: the secrets (ours, with a SENTINEL marker, and the
 * ones Hookline generates), where each may legitimately appear (its one creation or rotation
 * response), the places Hookline writes to (logs, API answers, stream frames, metrics, the
 * database), and a scan of those places for each secret in its common encodings.
 */
import { randomBytes } from 'node:crypto';

export const MARK = 'SENTINEL';

/** One secret and the evidence ids allowed to hold it (e.g. the response that created it). */
interface Secret {
  name: string;
  value: string;
  allowedIn: Set<string>;
}

/** A place Hookline wrote to: `id` names it in failure messages and in allow lists. */
export interface Evidence {
  id: string;
  text: string;
  bytes?: Buffer;
}

/**
 * The forms a secret can take on the way out: as is, lower-cased, URL-encoded, hex, and
 * base64/base64url at every byte alignment (a secret inside `user:password` or another value
 * is encoded from an offset), trimmed to the characters that depend on the secret alone.
 */
export function encodings(value: string): string[] {
  const forms = new Set([
    value,
    value.toLowerCase(),
    encodeURIComponent(value),
    Buffer.from(value).toString('hex'),
    Buffer.from(value).toString('hex').toUpperCase(),
  ]);
  for (let pad = 0; pad < 3; pad++) {
    const bytes = Buffer.concat([Buffer.alloc(pad, 0x41), Buffer.from(value)]);
    for (const enc of ['base64', 'base64url'] as const) {
      const text = bytes.toString(enc).replace(/=+$/, '');
      const core = text.slice(Math.ceil(pad / 3) * 4, -4);
      if (core.length >= 12) forms.add(core);
    }
  }
  return [...forms];
}

export class Secrets {
  private readonly all: Secret[] = [];

  /** A secret of ours: `SENTINEL<name><random>` with an optional prefix a field needs (`hl_sk_`, `xoxb-`). */
  make(name: string, prefix = ''): string {
    const value = `${prefix}${MARK}${name.replace(/[^A-Za-z0-9]/g, '')}${randomBytes(10).toString('hex')}`;
    this.all.push({ name, value, allowedIn: new Set() });
    return value;
  }

  /** A secret Hookline made (or one without the marker, like the hex master key). */
  track(name: string, value: string, ...allowedIn: string[]): string {
    if (!value) throw new Error(`secret ${name} is empty: the response did not carry it`);
    this.all.push({ name, value, allowedIn: new Set(allowedIn) });
    return value;
  }

  /** `evidenceId` (one API answer) may show `value`: it is the answer that created or rotated it. */
  allow(value: string, evidenceId: string): void {
    const s = this.all.find((x) => x.value === value);
    if (!s) throw new Error('allow: unknown secret');
    s.allowedIn.add(evidenceId);
  }

  get list(): readonly Secret[] {
    return this.all;
  }

  /** Every place a secret (or the SENTINEL marker itself) turns up where it is not allowed. */
  leaks(evidence: Evidence[], extraBytes: { name: string; bytes: Buffer }[] = []): string[] {
    const found: string[] = [];
    const markAllowed = new Set(this.all.filter((s) => s.value.includes(MARK)).flatMap((s) => [...s.allowedIn]));
    for (const e of evidence) {
      for (const s of this.all) {
        if (s.allowedIn.has(e.id)) continue;
        const form = encodings(s.value).find((f) => e.text.includes(f) || e.bytes?.includes(f));
        if (form) found.push(`${s.name} in ${e.id}${form === s.value ? '' : ` (encoded as ${form.slice(0, 12)}…)`}: …${around(e.text, form)}…`);
      }
      // A piece of a secret (an echo cut short) still carries the marker.
      if (!markAllowed.has(e.id) && (e.text.includes(MARK) || e.bytes?.includes(MARK)) && !found.some((f) => f.includes(` in ${e.id}`))) {
        found.push(`the marker ${MARK} in ${e.id}: …${around(e.text, MARK)}…`);
      }
      for (const x of extraBytes) if (e.bytes?.includes(x.bytes)) found.push(`${x.name} (raw bytes) in ${e.id}`);
    }
    return found;
  }
}

function around(text: string, needle: string): string {
  const i = text.indexOf(needle);
  return i < 0 ? '(binary)' : JSON.stringify(text.slice(Math.max(0, i - 60), i + needle.length + 20));
}
