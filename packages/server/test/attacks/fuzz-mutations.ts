import type { FuzzCase, Rng } from './fuzz-cases.js';
import { signatureHeader, signatureValue, signedHeaders, type Target, timestampHeader } from './trigger-targets.js';

/**
 * The fuzzer's mutations of a correctly signed trigger request, in three kinds: those after which
 * it is still correctly signed, those that break its credential (a 401), and those the server
 * answers before or apart from the signature (method, URL, content type, header size, ping).
 */

/** What the body is, as far as the server's answer goes. */
export type BodyNature = 'json' | 'not-json' | 'too-deep';

export interface Draft {
  c: FuzzCase;
  t: Target;
  nature: BodyNature;
  form: boolean;
  legacy: boolean;
  ts: number | undefined;
  deliveryId: string;
  nowSec: number;
  flags: {
    auth?: true;
    contentType?: 'unsupported' | 'missing';
    method?: true;
    badUrl?: 400 | 414;
    unknownPath?: true;
    overflow?: true;
    ping?: true;
    bodyChanged?: true;
    valueBroken?: true;
  };
}

const UNSUPPORTED_TYPES = ['text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/vnd.api+json', 'application/xml', ''];

const setHeader = (d: Draft, name: string, value: string) => {
  const i = d.c.headers.findIndex(([n]) => n.toLowerCase() === name);
  if (i >= 0) d.c.headers[i] = [d.c.headers[i]![0], value];
  else d.c.headers.push([name, value]);
};
const getHeader = (d: Draft, name: string) => d.c.headers.find(([n]) => n.toLowerCase() === name)?.[1];
const dropHeader = (d: Draft, name: string) => (d.c.headers = d.c.headers.filter(([n]) => n.toLowerCase() !== name));
/** The header that carries the credential in this draft. */
const credHeader = (d: Draft) => (d.legacy ? 'x-webhook-secret' : signatureHeader(d.t.kind));
/** The credential's current value (without the whitespace the server trims); undefined once a mutation removed it. */
const cred = (d: Draft) => getHeader(d, credHeader(d))?.trim();
const isHexScheme = (d: Draft) => !d.legacy && d.t.kind !== 'standard';
const headerBytes = (d: Draft) => d.c.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
export const broke = (d: Draft) => (d.flags.auth = true);

/**
 * Standard Webhooks takes a list of signatures (and duplicate headers join into one), so a
 * decoy or a duplicate may hold a valid entry. Before a mutation breaks "the" signature, the
 * list is brought back to the one entry a sender would send now, so that breaking it counts.
 */
export function collapseStandard(d: Draft): void {
  if (d.t.kind !== 'standard' || cred(d) === undefined) return;
  const value = signatureValue('standard', d.t.secret, d.c.body, getHeader(d, 'webhook-timestamp'), getHeader(d, 'webhook-id'));
  dropHeader(d, 'webhook-signature');
  d.c.headers.push(['webhook-signature', value]);
}
/** Mutations that change the signature value itself (the others change what it covers). */
export const VALUE_BREAKS = new Set(['truncate', 'extend', 'flipChar', 'sameLengthJunk', 'otherBody', 'wrongKey', 'wrongPrefix', 'huge']);

type Mutation = (d: Draft, r: Rng) => string | undefined;

/** Mutations after which the request is still correctly signed. */
export const KEEPS: Record<string, Mutation> = {
  headerCase: (d, r) => {
    d.c.headers = d.c.headers.map(([n, v]) => [[...n].map((ch) => (r.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())).join(''), v]);
    return 'header names in random case';
  },
  junkHeaders: (d, r) => {
    const n = r.between(1, 6);
    for (let i = 0; i < n; i++) d.c.headers.push([`x-fz-${r.int(1e6)}`, r.headerText(r.between(1, 200), true)]);
    return `${n} unrelated headers, some with Latin-1 bytes`;
  },
  upperHex: (d) => {
    const v = cred(d);
    if (!isHexScheme(d) || v === undefined) return undefined;
    const upper = (x: string) => x.replace(/[a-f]/g, (ch) => ch.toUpperCase());
    setHeader(d, credHeader(d), d.t.kind === 'github' ? v.slice(0, 7) + upper(v.slice(7)) : upper(v));
    return 'signature hex in upper case';
  },
  whitespace: (d, r) => {
    const v = cred(d);
    if (v === undefined) return undefined;
    setHeader(d, credHeader(d), r.pick([' ', '\t', '  ']) + v + r.pick([' ', '\t', '']));
    return 'whitespace around the credential';
  },
  decoys: (d, r) => {
    const v = cred(d);
    if (d.t.kind !== 'standard' || v === undefined) return undefined;
    const decoy = () => `${r.pick(['v1', 'v2', 'v1a'])},${r.bytes(32).toString('base64')}`;
    setHeader(d, 'webhook-signature', [decoy(), v, decoy()].join(' '));
    return 'decoy signatures around the valid one';
  },
  duplicateStandard: (d) => {
    const v = cred(d);
    if (d.t.kind !== 'standard' || v === undefined || headerBytes(d) + v.length > 12_000) return undefined;
    d.c.headers.push(['webhook-signature', v]);
    return 'webhook-signature sent twice (joined into a list)';
  },
  encodingLie: (d, r) => {
    setHeader(d, 'content-encoding', r.pick(['gzip', 'br', 'deflate', 'identity', 'x-nonsense']));
    return 'a Content-Encoding that the body does not have (checked over the bytes as received)';
  },
};

/** Mutations after which the credential no longer holds: a 401 and no run. */
export const BREAKS: Record<string, Mutation> = {
  truncate: (d, r) => {
    const v = cred(d);
    if (!v) return undefined;
    setHeader(d, credHeader(d), v.slice(0, r.int(v.length)));
    return 'credential truncated';
  },
  extend: (d, r) => {
    if (cred(d) === undefined) return undefined;
    setHeader(d, credHeader(d), cred(d)! + r.pick(['0', 'a', 'ff', '==', 'x'.repeat(r.between(1, 64))]));
    return 'credential extended';
  },
  flipChar: (d, r) => {
    const v = cred(d);
    if (!v) return undefined;
    const i = r.int(v.length);
    const alphabet = '0123456789abcdefABCDEF+/=';
    let ch = r.pick([...alphabet]);
    while (ch.toLowerCase() === v[i]!.toLowerCase()) ch = r.pick([...alphabet]);
    setHeader(d, credHeader(d), v.slice(0, i) + ch + v.slice(i + 1));
    return `credential character ${i} changed`;
  },
  sameLengthJunk: (d, r) => {
    const v = cred(d);
    if (!v) return undefined;
    setHeader(d, credHeader(d), r.headerText(v.length, r.chance(0.5)).replace(/^\s+|\s+$/g, 'z'));
    return 'credential replaced by non-hex junk of the same length';
  },
  drop: (d) => {
    if (cred(d) === undefined) return undefined;
    dropHeader(d, credHeader(d));
    return 'credential header removed';
  },
  otherBody: (d, r) => {
    if (d.legacy) return undefined;
    // Two bytes more: no single later change to the body (one byte appended) can make it match.
    setHeader(d, credHeader(d), signatureValue(d.t.kind, d.t.secret, Buffer.concat([d.c.body, Buffer.from(r.pick(['~~', '\n\n', '{}']))]), d.ts, d.deliveryId));
    return 'signature of another body';
  },
  wrongKey: (d, r) => {
    if (d.legacy) {
      setHeader(d, 'x-webhook-secret', 'hltr_' + r.bytes(32).toString('base64url'));
      return 'a wrong secret';
    }
    const key = d.t.kind === 'standard' ? 'whsec_' + r.bytes(32).toString('base64') : 'hltr_' + r.bytes(32).toString('base64url');
    setHeader(d, credHeader(d), signatureValue(d.t.kind, key, d.c.body, d.ts, d.deliveryId));
    return 'signed with another secret';
  },
  wrongPrefix: (d, r) => {
    const v = cred(d);
    if (d.legacy || !v) return undefined;
    const bare = v.replace(/^(sha256=|v1,)/, '');
    const next =
      d.t.kind === 'github'
        ? r.pick(['sha1=', 'sha512=', 'sha256 =', '', 'SHA256:']) + bare
        : d.t.kind === 'standard'
          ? r.pick(['v2,', 'v1:', '', 'v1 ']) + bare
          : r.pick(['sha256=', 'v1,', '0x']) + bare;
    setHeader(d, credHeader(d), next);
    return 'signature with a wrong prefix';
  },
  mutateBody: (d, r) => {
    // Once only: a second change could undo the first (append a byte, then cut it off).
    if (d.legacy || d.flags.bodyChanged) return undefined;
    d.flags.bodyChanged = true;
    const b = Buffer.from(d.c.body);
    const how = r.int(3);
    if (how === 0 && b.length) {
      const i = r.int(b.length);
      b[i] = b[i]! ^ (1 << r.int(8));
      d.c.body = b;
      return `body bit flipped at byte ${i} after signing`;
    }
    if (how === 1 || !b.length) {
      d.c.body = Buffer.concat([b, Buffer.from(r.pick([' ', '\n', '0', '\u0000']))]);
      return 'a byte appended to the body after signing';
    }
    d.c.body = b.subarray(0, r.int(b.length));
    return `body cut to ${d.c.body.length} bytes after signing`;
  },
  duplicate: (d) => {
    const v = cred(d);
    if (d.t.kind === 'standard' || v === undefined || headerBytes(d) + v.length > 12_000) return undefined;
    d.c.headers.push([credHeader(d), v]);
    return 'credential header sent twice (joined into "a, a")';
  },
  huge: (d, r) => {
    // Stays under Node's 16 KB header limit, so this is the scheme's refusal, not the parser's.
    if (cred(d) === undefined || headerBytes(d) > 4000) return undefined;
    setHeader(d, credHeader(d), cred(d)! + '0'.repeat(r.between(4000, 10_000)));
    return 'credential made huge';
  },
  stale: (d, r) => {
    const name = timestampHeader(d.t.kind);
    if (d.legacy || !name) return undefined;
    const ts = d.ts ?? d.nowSec;
    const off = r.between(301, 10_000_000) * (r.chance(0.7) ? -1 : 1);
    Object.assign(d, { ts: ts + off });
    for (const [n, v] of Object.entries(signedHeaders(d.t, d.c.body, { nowSec: 0, timestamp: true, ts: ts + off, deliveryId: d.deliveryId })))
      setHeader(d, n, v);
    return `signed correctly but ${off} s outside the window`;
  },
  tamperTimestamp: (d, r) => {
    const name = timestampHeader(d.t.kind);
    if (d.legacy || !name || getHeader(d, name) === undefined) return undefined;
    const now = getHeader(d, name)!;
    // Never back to the value that was signed: a second tamper (+1 after -1) would make the request valid again.
    const options = [String(Number(now) + r.pick([-1, 1, 60])), 'abc', '-5', '1e9', '', '9'.repeat(r.between(13, 40)), ' ' + now + 'x'].filter(
      (v) => v !== String(d.ts),
    );
    setHeader(d, name, r.pick(options));
    return 'timestamp changed after signing';
  },
  addTimestamp: (d) => {
    const name = timestampHeader(d.t.kind);
    if (d.legacy || !name || getHeader(d, name) !== undefined) return undefined;
    setHeader(d, name, String(d.nowSec + 1));
    return 'a timestamp the signature does not cover';
  },
  dropTimestamp: (d) => {
    const name = timestampHeader(d.t.kind);
    // Only a timestamp the signature covers: dropping one added unsigned would make the request valid again.
    if (d.legacy || !name || getHeader(d, name) === undefined || d.ts === undefined) return undefined;
    dropHeader(d, name);
    return 'signed timestamp removed';
  },
  otherId: (d, r) => {
    if (d.t.kind !== 'standard') return undefined;
    setHeader(d, 'webhook-id', `msg_other_${r.int(1e9)}`);
    return 'webhook-id changed after signing';
  },
  otherScheme: (d, r) => {
    const other = r.pick((['hookline', 'github', 'standard', 'grafana'] as const).filter((k) => k !== d.t.kind && !(k === 'hookline' && d.t.kind === 'agent')));
    for (const name of [credHeader(d), 'x-timestamp', 'webhook-timestamp', 'x-grafana-alerting-timestamp']) dropHeader(d, name);
    const key = other === 'standard' ? 'whsec_' + Buffer.from(d.t.secret).toString('base64') : d.t.secret;
    for (const [n, v] of Object.entries(signedHeaders({ ...d.t, kind: other, secret: key }, d.c.body, { nowSec: d.nowSec, deliveryId: d.deliveryId })))
      setHeader(d, n, v);
    return `signed the ${other} way instead`;
  },
  plaintextOnNamed: (d) => {
    if (d.t.kind === 'agent') return undefined;
    dropHeader(d, credHeader(d));
    setHeader(d, 'x-webhook-secret', d.t.secret);
    return "the trigger's secret in plaintext X-Webhook-Secret (refused on named triggers)";
  },
};

/** Mutations whose answer is decided before (or apart from) the signature. */
export const OTHERS: Record<string, Mutation> = {
  method: (d, r) => {
    if (d.flags.badUrl) return undefined;
    d.c.method = r.pick(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
    d.c.body = Buffer.alloc(0);
    dropHeader(d, 'content-type');
    d.flags.method = true;
    return `method ${d.c.method}`;
  },
  contentType: (d, r) => {
    const ct = r.pick(UNSUPPORTED_TYPES);
    if (r.chance(0.2)) {
      dropHeader(d, 'content-type');
      d.flags.contentType = 'missing';
      return 'no content type';
    }
    setHeader(d, 'content-type', ct);
    d.flags.contentType = 'unsupported';
    return `content type ${JSON.stringify(ct)}`;
  },
  badUrl: (d, r) => {
    if (d.flags.method || d.flags.badUrl) return undefined;
    const parts = d.c.path.split('/');
    const tooLong = r.chance(0.5);
    parts[r.pick([4, 5])] = tooLong ? 'y'.repeat(r.between(101, 400)) : r.pick(['%ff', '%zz', '%c3%28', 'a%']);
    d.c.path = parts.join('/');
    d.flags.badUrl = tooLong ? 414 : 400;
    return `path ${d.c.path.slice(0, 80)}`;
  },
  path: (d, r) => {
    if (d.flags.badUrl) return undefined;
    const parts = d.c.path.split('/');
    const i = r.pick([4, 5, ...(d.t.kind === 'agent' ? [] : [6])]);
    parts[i] = r.pick(['nobody', 'x'.repeat(r.between(1, 99)), encodeURIComponent(r.headerText(8)), 'fz-agent2']);
    d.c.path = parts.join('/');
    d.flags.unknownPath = true;
    return `path ${d.c.path}`;
  },
  overflow: (d, r) => {
    // Small bodies only: the parser gives up at the headers, and a large body still in flight could reset the socket.
    if (d.c.body.length > 16_384) return undefined;
    d.c.headers.push([`x-fz-big`, 'h'.repeat(r.between(17_000, 40_000))]);
    d.flags.overflow = true;
    return 'headers over 16 KB';
  },
  ping: (d) => {
    if (d.t.kind !== 'github') return undefined;
    setHeader(d, 'x-github-event', 'ping');
    d.flags.ping = true;
    return 'GitHub ping event';
  },
};

export const KEEP_NAMES = Object.keys(KEEPS);
export const BREAK_NAMES = Object.keys(BREAKS);
export const OTHER_NAMES = Object.keys(OTHERS);
