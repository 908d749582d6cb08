import crypto from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { REPO } from '../helpers/docs.js';
import { type Harness, startHookline } from '../helpers/hookline.js';
import { createTargets, signatureHeader, signatureValue, signedHeaders, type Target, type TargetKind } from './trigger-targets.js';

/**
 * Constant-time comparison in every trigger scheme, proved structurally rather than by timing:
 * node's `crypto.timingSafeEqual` is spied on while real requests go through the real server,
 * and the sources of src/crypto and src/triggers are checked for `===` on a secret.
 */
describe('constant-time signature checks, per scheme', () => {
  let h: Harness;
  let targets: Record<TargetKind, Target>;
  let spy: MockInstance<typeof crypto.timingSafeEqual>;
  const clock = new ManualClock();
  const nowSec = Math.floor(clock.now() / 1000);

  beforeAll(async () => {
    h = await startHookline('sqlite', { clock, overrides: { server: { role: 'api' } } });
    targets = (await createTargets(h, 'ct', 'ct-agent')).targets;
  });
  afterAll(async () => h?.close());
  afterEach(() => {
    spy?.mockRestore();
    syncBuiltinESMExports();
  });

  /** Spies on node's own timingSafeEqual; the ESM binding `import { timingSafeEqual }` sees the spy after the sync. */
  const watch = () => {
    spy = vi.spyOn(crypto, 'timingSafeEqual');
    syncBuiltinESMExports();
    return spy;
  };
  let n = 0;
  const send = async (t: Target, headers: Record<string, string>, body: Buffer) => {
    const res = await fetch(h.url + t.path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, text: await res.text() };
  };
  /** A fresh body, its correct headers and the signature value the server must compare against. */
  const signed = (t: Target) => {
    const body = Buffer.from(JSON.stringify({ n: n++, type: 'ct.test' }));
    const headers = signedHeaders(t, body, { nowSec, timestamp: true, deliveryId: `ct-${n}` });
    const name = signatureHeader(t.kind);
    const value = headers[name]!;
    // What the verifier holds: the value without the tag, for Standard Webhooks' list entries.
    const compared = t.kind === 'standard' ? value.slice(3) : value;
    return { body, headers, name, value, compared };
  };
  const calledWith = (s: MockInstance<typeof crypto.timingSafeEqual>, expected: string) =>
    s.mock.calls.some(([a, b]) => Buffer.from(a as Uint8Array).equals(Buffer.from(expected)) || Buffer.from(b as Uint8Array).equals(Buffer.from(expected)));

  /** Same length and alphabet as `v` (hex or base64), differing in its first character (in any case). */
  const wrongSameLength = (v: string) => (v[0] === '0' ? '1' : '0') + v.slice(1);
  const nonHexSameLength = (v: string) => 'z'.repeat(v.length);

  const KINDS: TargetKind[] = ['agent', 'hookline', 'github', 'standard', 'grafana'];

  it.each(KINDS)('%s: a correct and a wrong signature of the right length are both compared by timingSafeEqual', async (kind) => {
    const t = targets[kind];
    const ok = signed(t);
    const s = watch();
    expect((await send(t, ok.headers, ok.body)).status).toBe(202);
    expect(calledWith(s, ok.compared), 'the accepted signature went through timingSafeEqual').toBe(true);

    s.mockClear();
    const bad = signed(t);
    const prefix = kind === 'github' ? 'sha256=' : kind === 'standard' ? 'v1,' : '';
    const wrong = prefix + wrongSameLength(bad.value.slice(prefix.length));
    expect(wrong).not.toBe(bad.value);
    expect(wrong.length).toBe(bad.value.length);
    const r = await send(t, { ...bad.headers, [bad.name]: wrong }, bad.body);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).error.code).toBe('unauthorized');
    expect(calledWith(s, bad.compared), 'the wrong signature was compared with the expected one by timingSafeEqual').toBe(true);
    for (const [a, b] of s.mock.calls) expect((a as Uint8Array).length).toBe((b as Uint8Array).length);
  });

  it.each(KINDS)('%s: a non-hex signature of the right length still reaches timingSafeEqual (no content pre-check)', async (kind) => {
    const t = targets[kind];
    const bad = signed(t);
    const prefix = kind === 'github' ? 'sha256=' : kind === 'standard' ? 'v1,' : '';
    const s = watch();
    const r = await send(t, { ...bad.headers, [bad.name]: prefix + nonHexSameLength(bad.value.slice(prefix.length)) }, bad.body);
    expect(r.status).toBe(401);
    expect(calledWith(s, bad.compared)).toBe(true);
  });

  it.each(KINDS)('%s: wrong-length signatures are refused on their length alone, the same whatever their content', async (kind) => {
    const t = targets[kind];
    const bad = signed(t);
    const s = watch();
    // A near miss (the expected value minus its last character) and junk of the same length get
    // the very same answer: no prefix of the secret-derived value is ever compared early.
    const nearMiss = bad.value.slice(0, -1);
    const junk = bad.value.slice(0, 3) + 'q'.repeat(nearMiss.length - 3);
    const longer = bad.value + '0';
    const answers = [];
    for (const v of [nearMiss, junk, longer, bad.value + 'f'.repeat(5000), '']) answers.push(await send(t, { ...bad.headers, [bad.name]: v }, bad.body));
    for (const a of answers) expect(a.status).toBe(401);
    expect(answers[0]!.text).toBe(answers[1]!.text);
    expect(answers[0]!.text).toBe(answers[2]!.text);
    // Lengths are public (fixed by the scheme): the constant-time function is not needed to refuse them.
    expect(calledWith(s, bad.compared)).toBe(false);
  });

  it("agent URL's deprecated X-Webhook-Secret is compared by timingSafeEqual too", async () => {
    const t = targets.agent;
    const s = watch();
    const body = Buffer.from('{}');
    expect((await send(t, { 'x-webhook-secret': t.secret }, body)).status).toBe(202);
    expect(calledWith(s, t.secret)).toBe(true);
    s.mockClear();
    expect((await send(t, { 'x-webhook-secret': wrongSameLength(t.secret) }, body)).status).toBe(401);
    expect(calledWith(s, t.secret)).toBe(true);
  });

  it('a signature from one trigger does not open another (secrets are per trigger)', async () => {
    const body = Buffer.from('{"x":1}');
    for (const kind of ['hookline', 'grafana'] as const) {
      const other = kind === 'hookline' ? targets.grafana : targets.hookline;
      const sig = signatureValue(kind, other.secret, body, undefined);
      expect((await send(targets[kind], { [signatureHeader(kind)]: sig }, body)).status).toBe(401);
    }
  });
});

// ---------------------------------------------------------------------------------------------

const SECRETISH = /sig|secret|mac|digest|expected|hmac|token|password|plain|key/i;
/** Operands that are public by nature: absence checks, literals, lengths, types. */
const isPublic = (e: ts.Expression): boolean =>
  ts.isLiteralExpression(e) ||
  e.kind === ts.SyntaxKind.NullKeyword ||
  e.kind === ts.SyntaxKind.TrueKeyword ||
  e.kind === ts.SyntaxKind.FalseKeyword ||
  (ts.isIdentifier(e) && e.text === 'undefined') ||
  ts.isTypeOfExpression(e) ||
  ts.isNoSubstitutionTemplateLiteral(e) ||
  (ts.isPropertyAccessExpression(e) && (e.name.text === 'length' || e.name.text === 'code' || e.name.text === 'id'));
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** `===`/`!==` between a secret-looking value and anything not public, and Buffer `.equals`/`compare`: variable-time comparisons. */
function variableTimeComparisons(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      const [l, r] = [node.left, node.right];
      if (!isPublic(l) && !isPublic(r) && (SECRETISH.test(l.getText(sf)) || SECRETISH.test(r.getText(sf)))) found.push(node.getText(sf));
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ['equals', 'compare', 'localeCompare'].includes(node.expression.name.text)
    )
      found.push(node.getText(sf));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Reviewed comparisons that involve no value from a request: the operator's own keys and secrets, checked when they are configured. */
const REVIEWED: Record<string, string> = {
  "key.toString('base64') !== b64": 'webhook-secrets.ts: a whsec_ secret must be canonical base64 (its own re-encoding), checked when it is set',
  'k.key.equals(key)': 'master-key.ts: drops a master key listed twice in the configuration, at start',
  'existing.equals(k.key)': 'secret-box.ts: refuses two different master keys under one id, at start',
};

describe('no variable-time comparison of secrets in src/crypto and src/triggers', () => {
  it('the checker finds the comparisons it is meant to find', () => {
    expect(
      variableTimeComparisons('x.ts', 'if (signature === expected) ok(); if (a.equals(macB)) ok(); if (sig !== undefined && sig.length === 3) ok();'),
    ).toEqual(['signature === expected', 'a.equals(macB)']);
  });

  it('every signature and secret comparison goes through safeEqual, and only safeEqual calls timingSafeEqual', () => {
    const src = join(REPO, 'packages/server/src');
    const offenders: string[] = [];
    const callers: string[] = [];
    for (const dir of ['crypto', 'triggers']) {
      for (const name of readdirSync(join(src, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
        const text = readFileSync(join(src, dir, name), 'utf8');
        for (const hit of variableTimeComparisons(name, text)) if (!(hit in REVIEWED)) offenders.push(`${dir}/${name}: ${hit}`);
      }
    }
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
      );
    for (const file of walk(src)) if (/timingSafeEqual\(/.test(readFileSync(file, 'utf8'))) callers.push(file.slice(src.length + 1));
    expect(offenders).toEqual([]);
    expect(callers).toEqual(['crypto/signing.ts']);
    // safeEqual is the one function, and it is the only use there.
    const signing = readFileSync(join(src, 'crypto/signing.ts'), 'utf8');
    expect(signing.match(/timingSafeEqual\(/g)).toHaveLength(1);
    expect(signing).toMatch(/export function safeEqual\(a: string, b: string\): boolean \{[^}]*timingSafeEqual\(x, y\)/);
    // Every scheme's verifier in triggers/inbound.ts compares through it.
    const inbound = readFileSync(join(src, 'triggers/inbound.ts'), 'utf8');
    for (const fn of ['verifyHookline', 'verifyGithub', 'verifyStandard', 'verifyGrafana']) {
      const body = inbound.slice(inbound.indexOf(`function ${fn}(`), inbound.indexOf('\n}\n', inbound.indexOf(`function ${fn}(`)));
      expect(body, fn).toMatch(/safeEqual\(/);
    }
  });
});
