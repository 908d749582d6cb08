import { gzipSync } from 'node:zlib';
import {
  BREAK_NAMES,
  BREAKS,
  type BodyNature,
  broke,
  collapseStandard,
  type Draft,
  KEEP_NAMES,
  KEEPS,
  OTHER_NAMES,
  OTHERS,
  VALUE_BREAKS,
} from './fuzz-mutations.js';
import { signedHeaders, type Target, type TargetKind } from './trigger-targets.js';

/** mulberry32: small, fast and fully determined by its seed, so a failing case can be rebuilt. */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  /** Characters a header value may carry on the wire (visible ASCII and Latin-1 bytes). */
  headerText(n: number, latin1 = false): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(latin1 && this.chance(0.5) ? this.between(0xa0, 0xff) : this.between(0x21, 0x7e));
    return s;
  }
}

export interface FuzzCase {
  index: number;
  target: TargetKind | 'disabled';
  method: string;
  path: string;
  /** Flat name/value list: order and duplicates are sent exactly as listed. */
  headers: [string, string][];
  body: Buffer;
  /** What was done to the request, to reproduce a failure by reading it. */
  steps: string[];
  /** The one status the server must answer. */
  expected: number;
  /** True only for a correctly signed request that must start a run. */
  createsRun: boolean;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const WORDS = [
  'a',
  'event',
  'source',
  'data',
  'action',
  'status',
  'receiver',
  'type',
  'repository',
  '__proto__',
  'constructor',
  'ümlaut',
  '🚀',
  '<<<UNTRUSTED_WEBHOOK_PAYLOAD',
];

function randomValue(r: Rng, depth: number): unknown {
  const k = r.int(depth > 3 ? 4 : 7);
  if (k === 0) return r.pick(WORDS) + r.headerText(r.int(12));
  if (k === 1) return r.chance(0.5) ? r.int(1e9) - 5e8 : r.next() * 1e6;
  if (k === 2) return r.pick([true, false, null]);
  if (k === 3) return '\u0000\u2028' + r.pick(WORDS);
  if (k === 4) return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(WORDS), randomValue(r, depth + 1)]));
}

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + '1' + close.repeat(depth);

/** A body and what the server must make of it once it is correctly signed. */
function randomBody(r: Rng, limit: number): { body: Buffer; nature: BodyNature; form: boolean; label: string } {
  const roll = r.int(1000);
  const json = (v: unknown, label: string) => ({ body: Buffer.from(JSON.stringify(v)), nature: 'json' as const, form: false, label });
  if (roll < 450) return json(randomValue(r, 0), 'random JSON');
  if (roll < 500) return { body: Buffer.alloc(0), nature: 'json', form: false, label: 'empty body' };
  if (roll < 530)
    return { body: Buffer.from(`{"s":"\\ud800${'['.repeat(r.between(300, 5000))}"}`), nature: 'json', form: false, label: 'brackets inside a string' };
  if (roll < 560) {
    const d = r.between(1, 200);
    return { body: Buffer.from(r.chance(0.5) ? nested(d, '[', ']') : nested(d, '{"a":', '}')), nature: 'json', form: false, label: `JSON nested ${d} deep` };
  }
  if (roll < 600) {
    const d = r.between(300, 50_000);
    return {
      body: Buffer.from(r.chance(0.5) ? nested(d, '[', ']') : nested(d, '{"a":', '}')),
      nature: 'too-deep',
      form: false,
      label: `JSON nested ${d} deep`,
    };
  }
  if (roll < 700) return { body: Buffer.concat([Buffer.from([0xff]), r.bytes(r.int(3000))]), nature: 'not-json', form: false, label: 'random bytes' };
  if (roll < 760)
    return {
      body: Buffer.concat([Buffer.from('{"k":"'), Buffer.from(r.bytes(r.between(1, 200)).map((b) => b | 0x80)), Buffer.from('"}')]),
      nature: 'json',
      form: false,
      label: 'invalid UTF-8 inside a JSON string',
    };
  if (roll < 800) return { body: gzipSync(JSON.stringify(randomValue(r, 0))), nature: 'not-json', form: false, label: 'gzip-compressed JSON' };
  if (roll < 880)
    return {
      body: Buffer.from('payload=' + encodeURIComponent(JSON.stringify(randomValue(r, 0)))),
      nature: 'json',
      form: true,
      label: 'form with a JSON payload',
    };
  if (roll < 910) return { body: Buffer.from(`a=${encodeURIComponent(r.headerText(20))}&b=2`), nature: 'json', form: true, label: 'form without payload' };
  if (roll < 930) return { body: Buffer.from('payload=%7Bnot%20json'), nature: 'not-json', form: true, label: 'form whose payload is not JSON' };
  if (roll < 990) return json({ data: 'x'.repeat(r.between(1000, 60_000)) }, 'larger JSON');
  if (roll < 995) return json({ data: 'x'.repeat(r.between(limit - 300_000, limit - 100)) }, 'JSON just under the body limit');
  return { body: Buffer.alloc(r.between(limit + 1, limit + 1_500_000), 0x20), nature: 'json', form: false, label: 'body over the limit' };
}

/** The answer, in the order the server decides: parser, router, body parser, handler. */
function expectation(d: Draft, limit: number): number {
  const f = d.flags;
  if (f.overflow) return 431;
  if (f.badUrl) return f.badUrl;
  if (f.method) return 404;
  // A missing content type is only refused when there is a body to parse.
  if (f.contentType === 'unsupported' || (f.contentType === 'missing' && d.c.body.length > 0)) return 415;
  if (d.c.body.length > limit) return 413;
  if (f.unknownPath) return 404;
  if (f.auth) return 401;
  if (d.c.target === 'disabled') return 403;
  if (f.ping) return 200;
  return d.nature === 'json' ? 202 : 400;
}

/** Builds case `index`: a correctly signed request to a random target, then 0–3 mutations. */
export function buildCase(r: Rng, index: number, targets: Record<TargetKind, Target>, disabled: Target, limit: number, nowSec: number): FuzzCase {
  const which = r.chance(0.04) ? 'disabled' : r.pick(['agent', 'hookline', 'github', 'standard', 'grafana'] as const);
  const t = which === 'disabled' ? disabled : targets[which];
  const b = randomBody(r, limit);
  const deliveryId = `fz-${index}-${r.int(1e9)}`;
  const legacy = t.kind === 'agent' && r.chance(0.15);
  const withTs = r.chance(0.5);
  const c: FuzzCase = {
    index,
    target: which,
    method: 'POST',
    path: t.path,
    headers: [],
    body: b.body,
    steps: [`${which}: ${b.label} (${b.body.length} bytes)`],
    expected: 0,
    createsRun: false,
  };
  const d: Draft = {
    c,
    t,
    nature: b.nature,
    form: b.form,
    legacy,
    ts: t.kind === 'standard' || (withTs && t.kind !== 'github') ? nowSec : undefined,
    deliveryId,
    nowSec,
    flags: {},
  };
  // An empty POST often comes without a content type: there is nothing to parse, so it is a valid request.
  if (b.body.length > 0 || r.chance(0.6))
    c.headers.push([
      'content-type',
      b.form ? r.pick(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8']) : r.pick(JSON_TYPES),
    ]);
  else {
    c.steps.push('no content type');
    d.flags.contentType = 'missing';
  }
  for (const [n, v] of Object.entries(signedHeaders(t, b.body, { nowSec, timestamp: withTs, deliveryId, legacy }))) c.headers.push([n, v]);
  if (r.chance(0.5)) c.headers.push(['idempotency-key', `fz-key-${index}-${r.headerText(r.between(1, 300), true)}`]);
  if (legacy) c.steps.push('deprecated X-Webhook-Secret');
  if (d.ts !== undefined) c.steps.push('signed timestamp');

  // A third of the cases stay valid (the controls); the rest get 1–3 mutations of any kind.
  const count = r.chance(0.3) ? 0 : r.between(1, 3);
  for (let applied = 0, tries = 0; applied < count && tries < 20; tries++) {
    const roll = r.next();
    const [table, names] = roll < 0.35 ? [KEEPS, KEEP_NAMES] : roll < 0.85 ? [BREAKS, BREAK_NAMES] : [OTHERS, OTHER_NAMES];
    const name = r.pick(names);
    const valueBreak = table === BREAKS && VALUE_BREAKS.has(name);
    // One change to the value only: a second could undo the first (cut the last "a", then append "a").
    if (valueBreak && d.flags.valueBroken) continue;
    const saved = d.c.headers.slice();
    if (valueBreak) collapseStandard(d);
    const step = table[name]!(d, r);
    if (step === undefined) {
      d.c.headers = saved; // not applicable here: undo the collapse too
      continue;
    }
    if (valueBreak) d.flags.valueBroken = true;
    if (table === BREAKS) broke(d);
    c.steps.push(`${name}: ${step}`);
    applied++;
    // A method other than POST drops the body: nothing after it could change the answer.
    if (d.flags.method) break;
  }
  c.expected = expectation(d, limit);
  c.createsRun = c.expected === 202;
  return c;
}
