import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SecretBox,
  SIGNING_SCHEMES,
  generateApiKey,
  generateWebhookSecret,
  hashApiKey,
  isStandardWebhookSecret,
  keyIdFor,
  loadMasterKeys,
  looksLikeApiKey,
  parseMasterKey,
  signatureHeaders,
  verifySignature,
  type MasterKey,
} from './index.js';

const mk = (): MasterKey => {
  const key = randomBytes(32);
  return { id: keyIdFor(key), key };
};

describe('SecretBox', () => {
  const a = mk();
  const plaintext = 'whsec_super-secret-value ünïcode';

  it('round-trips and uses a fresh IV each time', () => {
    const box = new SecretBox([a]);
    const s1 = box.seal(plaintext);
    const s2 = box.seal(plaintext);
    expect(s1).toMatch(/^hlbox\.v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(s1.split('.')[2]).toBe(a.id);
    expect(s1).not.toBe(s2);
    expect(box.open(s1)).toBe(plaintext);
    expect(box.open(box.seal(''))).toBe('');
  });

  it('rejects a change to any single character of the sealed string', () => {
    const box = new SecretBox([a]);
    const sealed = box.seal(plaintext);
    for (let i = 0; i < sealed.length; i++) {
      for (const repl of ['A', 'b', '-', '.']) {
        if (sealed[i] === repl) continue;
        const bad = sealed.slice(0, i) + repl + sealed.slice(i + 1);
        let message = '';
        expect(() => {
          try {
            box.open(bad);
          } catch (err) {
            message = (err as Error).message;
            throw err;
          }
        }, `index ${i} -> ${repl}`).toThrow(/^secret box: /);
        expect(message).not.toContain(plaintext);
      }
    }
    expect(() => box.open(sealed + 'A')).toThrow(/tampered/);
    expect(() => box.open(sealed.slice(0, -1))).toThrow(/tampered/);
  });

  it('rejects non-canonical base64url that would decode to the same bytes', () => {
    const box = new SecretBox([a]);
    const sealed = box.seal('x'); // 17-byte body: the last base64 char has 2 unused bits
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sealed.at(-1)!);
    const twin = sealed.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(twin.split('.')[4]!, 'base64url')).toEqual(Buffer.from(sealed.split('.')[4]!, 'base64url'));
    expect(() => box.open(twin)).toThrow(/tampered/);
    expect(() => box.open(sealed.replace(/\.([^.]+)$/, '.!$1'))).toThrow(/tampered/);
  });

  it('opens values sealed with an older key after rotation', () => {
    const b = mk();
    const old = new SecretBox([a]).seal(plaintext);
    const rotated = new SecretBox([b, a]);
    expect(rotated.open(old)).toBe(plaintext);
    const fresh = rotated.seal(plaintext);
    expect(fresh.split('.')[2]).toBe(b.id);
    expect(rotated.needsReseal(old)).toBe(true);
    expect(rotated.needsReseal(fresh)).toBe(false);
  });

  it('unknown key id error names the id but leaks no secret', () => {
    const b = mk();
    const sealed = new SecretBox([a]).seal(plaintext);
    let message = '';
    try {
      new SecretBox([b]).open(sealed);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`secret box: unknown key id ${a.id}`);
    for (const k of [a.key, b.key]) {
      expect(message).not.toContain(k.toString('hex'));
      expect(message).not.toContain(k.toString('base64url'));
    }
  });

  it('wrong key with the same id reports tampering', () => {
    const sealed = new SecretBox([a]).seal(plaintext);
    const impostor = { id: a.id, key: randomBytes(32) };
    expect(() => new SecretBox([impostor]).open(sealed)).toThrow('secret box: ciphertext was tampered with or the key is wrong');
  });

  it('validates its keys', () => {
    expect(() => new SecretBox([])).toThrow(/at least one/);
    expect(() => new SecretBox([{ id: 'k1', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => new SecretBox([{ id: 'a.b', key: randomBytes(32) }])).toThrow(/key ids/);
    expect(
      () =>
        new SecretBox([
          { id: 'k', key: randomBytes(32) },
          { id: 'k', key: randomBytes(32) },
        ]),
    ).toThrow(/share id/);
  });
});

describe('parseMasterKey / keyIdFor', () => {
  const raw = randomBytes(32);

  it('accepts hex, base64 and base64url of 32 bytes', () => {
    expect(parseMasterKey(raw.toString('hex'))).toEqual(raw);
    expect(parseMasterKey(raw.toString('hex').toUpperCase() + '\n')).toEqual(raw);
    expect(parseMasterKey(raw.toString('base64'))).toEqual(raw);
    expect(parseMasterKey(raw.toString('base64url'))).toEqual(raw);
  });

  it('rejects other input with a helpful message that does not echo it', () => {
    const bad = ['', 'abc', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), 'z'.repeat(64)];
    for (const b of bad) {
      let message = '';
      try {
        parseMasterKey(b);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/64 hex/);
      expect(message).toMatch(/base64/);
      expect(message).toContain('openssl rand -hex 32');
      if (b.length > 3) expect(message).not.toContain(b);
    }
  });

  it('keyIdFor is the first 8 hex chars of sha256', () => {
    const known = Buffer.alloc(32, 0);
    // sha256 of 32 zero bytes = 66687aad...
    expect(keyIdFor(known)).toBe('66687aad');
  });
});

describe('loadMasterKeys', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-crypto-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

  it('creates the key file with mode 0600 and reuses it', () => {
    const keyFile = path.join(dir, 'nested', 'deeper', 'master.key');
    const first = loadMasterKeys({ keyFile });
    expect(first.generated).toBe(true);
    expect(first.keys).toHaveLength(1);
    expect(modeOf(keyFile)).toBe(0o600);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);

    const second = loadMasterKeys({ keyFile });
    expect(second.generated).toBe(false);
    expect(second.keys[0]!.key).toEqual(first.keys[0]!.key);
    expect(second.keys[0]!.id).toBe(keyIdFor(first.keys[0]!.key));
  });

  it('rejects a key file readable by group or other', () => {
    const keyFile = path.join(dir, 'loose.key');
    fs.writeFileSync(keyFile, randomBytes(32).toString('hex'));
    for (const mode of [0o644, 0o640, 0o604]) {
      fs.chmodSync(keyFile, mode);
      expect(() => loadMasterKeys({ keyFile })).toThrow(`chmod 600 ${keyFile}`);
    }
    fs.chmodSync(keyFile, 0o600);
    expect(loadMasterKeys({ keyFile }).generated).toBe(false);
  });

  it('reports an unparsable key file without echoing its content', () => {
    const keyFile = path.join(dir, 'junk.key');
    fs.writeFileSync(keyFile, 'not-a-key-at-all', { mode: 0o600 });
    expect(() => loadMasterKeys({ keyFile })).toThrow(/junk\.key.*openssl rand -hex 32/);
  });

  it('prefers the env key, appends previous keys and does not touch the file', () => {
    const keyFile = path.join(dir, 'unused', 'master.key');
    const cur = randomBytes(32);
    const prev = randomBytes(32);
    const res = loadMasterKeys({
      envKey: cur.toString('base64'),
      previousKeys: [prev.toString('hex'), cur.toString('hex')],
      keyFile,
    });
    expect(res.generated).toBe(false);
    expect(res.keys.map((k) => k.key)).toEqual([cur, prev]);
    expect(res.keys.map((k) => k.id)).toEqual([keyIdFor(cur), keyIdFor(prev)]);
    expect(fs.existsSync(keyFile)).toBe(false);
    expect(() => loadMasterKeys({ envKey: 'nope', keyFile })).toThrow(/environment.*openssl/);
    expect(() => loadMasterKeys({ envKey: cur.toString('hex'), previousKeys: ['x'], keyFile })).toThrow(/previous master key #1/);
  });
});

describe('API keys and webhook secrets', () => {
  it('generates hl_sk_ keys with a display prefix and sha256 hash', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^hl_sk_[0-9A-Za-z]{43}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(looksLikeApiKey(key)).toBe(true);
    expect(generateApiKey().key).not.toBe(key);
  });

  it('hashApiKey is plain hex sha256', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('looksLikeApiKey accepts generated and operator-chosen keys and rejects near misses', () => {
    const { key } = generateApiKey();
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey('hl_sk_ci-admin_0123456789')).toBe(true);
    for (const s of ['hl_pk_' + key.slice(6), 'hl_sk_short', key + 'x'.repeat(100), key.replace(/.$/, '!'), ' ' + key, undefined, 42]) {
      expect(looksLikeApiKey(s)).toBe(false);
    }
  });

  it('webhook secrets use the Standard Webhooks format', () => {
    const s = generateWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(24);
    expect(isStandardWebhookSecret(s)).toBe(true);
    expect(isStandardWebhookSecret('whsec_')).toBe(false);
    expect(isStandardWebhookSecret('whsec_not base64!')).toBe(false);
  });
});

describe('signing: standard', () => {
  const body = JSON.stringify({ type: 'run.completed', data: { ok: true } });
  const msgId = 'msg_01JQ8X5K2M3N4P5R6S7T8V9W';
  const now = () => Math.floor(Date.now() / 1000);
  const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

  it('emits the spec headers and matches an independent HMAC', () => {
    const secret = generateWebhookSecret();
    const ts = 1_767_225_600;
    const h = signatureHeaders('standard', { msgId, timestampSec: ts, body, secrets: [secret] });
    const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`${msgId}.${ts}.${body}`)
      .digest('base64');
    expect(h).toEqual({ 'webhook-id': msgId, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${expected}` });
  });

  it('verifies unmodified with standardwebhooks and svix', () => {
    const secret = generateWebhookSecret();
    const h = signatureHeaders('standard', { msgId, timestampSec: now(), body, secrets: [secret] });
    expect(new StandardWebhook(secret).verify(body, h)).toEqual(JSON.parse(body));
    // svix >= 1.x maps svix-* to webhook-* and otherwise reads webhook-* headers directly.
    expect(new SvixWebhook(secret).verify(body, h)).toEqual(JSON.parse(body));
    expect(verifySignature('standard', { headers: h, body, secret, nowSec: now() })).toBe(true);
  });

  it('during rotation carries both signatures; either secret verifies', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const h = signatureHeaders('standard', { msgId, timestampSec: now(), body, secrets: [newSecret, oldSecret] });
    const parts = h['webhook-signature']!.split(' ');
    expect(parts).toHaveLength(2);
    const single = (s: string) => signatureHeaders('standard', { msgId, timestampSec: now(), body, secrets: [s] })['webhook-signature'];
    expect(parts).toEqual([single(newSecret), single(oldSecret)]);
    for (const secret of [oldSecret, newSecret]) {
      expect(() => new StandardWebhook(secret).verify(body, h)).not.toThrow();
      expect(() => new SvixWebhook(secret).verify(body, h)).not.toThrow();
      expect(verifySignature('standard', { headers: h, body, secret, nowSec: now() })).toBe(true);
    }
  });

  it('fails for a wrong secret, an altered body or a stale timestamp', () => {
    const secret = generateWebhookSecret();
    const other = generateWebhookSecret();
    const h = signatureHeaders('standard', { msgId, timestampSec: now(), body, secrets: [secret] });
    const stale = signatureHeaders('standard', { msgId, timestampSec: now() - 600, body, secrets: [secret] });
    for (const W of [StandardWebhook, SvixWebhook]) {
      expect(() => new W(other).verify(body, h)).toThrow();
      expect(() => new W(secret).verify(body + ' ', h)).toThrow();
      expect(() => new W(secret).verify(body, stale)).toThrow(/too old/);
    }
    const v = (headers: Record<string, string>, b = body, s = secret) =>
      verifySignature('standard', { headers: lower(headers), body: b, secret: s, nowSec: now() });
    expect(v(h, body, other)).toBe(false);
    expect(v(h, body + ' ')).toBe(false);
    expect(v(stale)).toBe(false);
    expect(v({ ...h, 'webhook-id': 'msg_other' })).toBe(false);
    expect(v({ ...h, 'webhook-signature': h['webhook-signature']!.replace('v1,', 'v2,') })).toBe(false);
    expect(verifySignature('standard', { headers: stale, body, secret, nowSec: now(), toleranceSec: 900 })).toBe(true);
  });

  it('rejects secrets that receivers could not decode, and bad inputs', () => {
    const bad = { msgId, timestampSec: now(), body };
    expect(() => signatureHeaders('standard', { ...bad, secrets: ['whsec_not base64!'] })).toThrow(/whsec_/);
    expect(() => signatureHeaders('standard', { ...bad, secrets: [] })).toThrow(/one or two/);
    const s = generateWebhookSecret();
    expect(() => signatureHeaders('standard', { ...bad, secrets: [s, s, s] })).toThrow(/one or two/);
    expect(() => signatureHeaders('standard', { ...bad, timestampSec: 1.5, secrets: [s] })).toThrow(/seconds/);
  });
});

describe('signing: single-signature schemes', () => {
  const body = '{"event":"tool.called","n":1}';
  const ts = 1_767_225_600;
  const secret = 'my-shared-secret';
  const hex = (key: string, data: string) => createHmac('sha256', Buffer.from(key, 'utf8')).update(data).digest('hex');
  const sign = (scheme: (typeof SIGNING_SCHEMES)[number], secrets: string[]) => signatureHeaders(scheme, { msgId: 'msg_1', timestampSec: ts, body, secrets });
  const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

  it('lists all schemes', () => {
    expect([...SIGNING_SCHEMES]).toEqual(['standard', 'x-signature', 'agentgateway', 'github', 'callback']);
  });

  it('callback: X-Timestamp and X-Signature: sha256=<hex> of "ts.body"', () => {
    expect(sign('callback', [secret])).toEqual({ 'X-Timestamp': String(ts), 'X-Signature': `sha256=${hex(secret, `${ts}.${body}`)}` });
    const headers = lower(sign('callback', [secret]));
    expect(verifySignature('callback', { headers, body, secret, nowSec: ts + 300 })).toBe(true);
    expect(verifySignature('callback', { headers, body, secret, nowSec: ts + 301 })).toBe(false);
    // Moving the timestamp breaks the signature: a replayed body cannot be re-dated.
    expect(verifySignature('callback', { headers: { ...headers, 'x-timestamp': String(ts + 5) }, body, secret, nowSec: ts })).toBe(false);
  });

  it('x-signature: hex HMAC of the body keyed by the whole secret', () => {
    expect(sign('x-signature', [secret])).toEqual({ 'X-Signature': hex(secret, body) });
    // whsec_ secrets are used verbatim (no base64 decoding) for these schemes.
    const w = generateWebhookSecret();
    expect(sign('x-signature', [w])).toEqual({ 'X-Signature': hex(w, body) });
  });

  it('agentgateway: timestamp header and HMAC of "ts.body"', () => {
    expect(sign('agentgateway', [secret])).toEqual({
      'X-AgentGateway-Timestamp': String(ts),
      'X-AgentGateway-Signature': hex(secret, `${ts}.${body}`),
    });
  });

  it('github: sha256=<hex>', () => {
    expect(sign('github', [secret])).toEqual({ 'X-Hub-Signature-256': `sha256=${hex(secret, body)}` });
  });

  it('rotation: main header uses the OLD secret, next header the NEW one', () => {
    const oldS = 'old-secret';
    const newS = 'new-secret';
    expect(sign('x-signature', [newS, oldS])).toEqual({
      'X-Signature': hex(oldS, body),
      'X-Hookline-Next-Signature': hex(newS, body),
    });
    expect(sign('agentgateway', [newS, oldS])).toEqual({
      'X-AgentGateway-Timestamp': String(ts),
      'X-AgentGateway-Signature': hex(oldS, `${ts}.${body}`),
      'X-Hookline-Next-Signature': hex(newS, `${ts}.${body}`),
    });
    expect(sign('github', [newS, oldS])).toEqual({
      'X-Hub-Signature-256': `sha256=${hex(oldS, body)}`,
      'X-Hookline-Next-Signature': `sha256=${hex(newS, body)}`,
    });
    for (const scheme of ['x-signature', 'agentgateway', 'github', 'callback'] as const) {
      const headers = lower(sign(scheme, [newS, oldS]));
      for (const s of [oldS, newS]) {
        expect(verifySignature(scheme, { headers, body, secret: s, nowSec: ts })).toBe(true);
      }
      expect(verifySignature(scheme, { headers, body, secret: 'third', nowSec: ts })).toBe(false);
    }
  });

  it('verifySignature rejects wrong secrets, altered bodies and stale agentgateway timestamps', () => {
    for (const scheme of ['x-signature', 'agentgateway', 'github', 'callback'] as const) {
      const headers = lower(sign(scheme, [secret]));
      const v = (over: Partial<Parameters<typeof verifySignature>[1]>) => verifySignature(scheme, { headers, body, secret, nowSec: ts, ...over });
      expect(v({})).toBe(true);
      expect(v({ secret: secret + 'x' })).toBe(false);
      expect(v({ body: body + ' ' })).toBe(false);
      expect(v({ headers: {} })).toBe(false);
      // Upper-case hex from a proxy that rewrites headers still verifies.
      expect(v({ headers: Object.fromEntries(Object.entries(headers).map(([k, x]) => [k, x.toUpperCase()])) })).toBe(true);
    }
    const ag = lower(sign('agentgateway', [secret]));
    expect(verifySignature('agentgateway', { headers: ag, body, secret, nowSec: ts + 301 })).toBe(false);
    expect(verifySignature('agentgateway', { headers: ag, body, secret, nowSec: ts - 301 })).toBe(false);
    expect(verifySignature('agentgateway', { headers: ag, body, secret, nowSec: ts + 300 })).toBe(true);
    const forged = { ...ag, 'x-agentgateway-timestamp': String(ts + 1) };
    expect(verifySignature('agentgateway', { headers: forged, body, secret, nowSec: ts })).toBe(false);
  });
});
