// docs/signing.md shows examples/signing/ (the page's blocks must equal the files, see
// docs-blocks.test.ts). Here the Node and Python files meet a real Hookline: the verify
// functions accept what Hookline really sent on every scheme and refuse tampered copies, and
// the sign functions produce requests every trigger scheme accepts. The Go files are compiled
// (with `go vet`) into a small driver program and meet the same cases.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, REPO, runToEnd } from './helpers/docs.js';
import { type Harness, startHookline } from './helpers/hookline.js';
import { type Received, Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';

const DIR = join(REPO, 'examples/signing');
const NAMED_SECRET = 'named-webhook-secret-0123456789';

interface Case {
  name: string;
  node: string;
  python: string;
  go: string;
  secret: string;
  headers: Record<string, string>;
  body: string;
}

const PY_VERIFY = `
import json, sys
sys.path.insert(0, ${JSON.stringify(DIR)})
import verify
cases = json.load(sys.stdin)
print(json.dumps([getattr(verify, c["python"])(c["secret"], c["headers"], c["body"].encode()) for c in cases]))
`;

const PY_SIGN = `
import json, sys
sys.path.insert(0, ${JSON.stringify(DIR)})
import sign
out = []
for c in json.load(sys.stdin):
    body = c["body"].encode()
    if c["scheme"] == "hookline": out.append(sign.sign_hookline(c["secret"], body))
    elif c["scheme"] == "hookline-plain": out.append(sign.sign_hookline(c["secret"], body, with_timestamp=False))
    elif c["scheme"] == "github": out.append(sign.sign_github(c["secret"], body, "pull_request"))
    elif c["scheme"] == "standard": out.append(sign.sign_standard(c["secret"], body))
    elif c["scheme"] == "grafana": out.append(sign.sign_grafana(c["secret"], body))
print(json.dumps(out))
`;

// The Go files are package hooklinesig; this driver (package main, its own module) imports them
// and answers the same JSON the Python snippets answer. Headers go through http.Header.Add, as
// net/http fills r.Header, so lookups are canonicalised the way a real server's would be.
const GO_DRIVER = `package main

import (
	"encoding/json"
	"net/http"
	"os"

	"check/hooklinesig"
)

type verifyCase struct {
	Go      string            \`json:"go"\`
	Secret  string            \`json:"secret"\`
	Headers map[string]string \`json:"headers"\`
	Body    string            \`json:"body"\`
}

type signCase struct {
	Scheme string \`json:"scheme"\`
	Secret string \`json:"secret"\`
	Body   string \`json:"body"\`
}

var verifiers = map[string]func(string, http.Header, []byte) bool{
	"VerifyStandard": hooklinesig.VerifyStandard, "VerifyXSignature": hooklinesig.VerifyXSignature,
	"VerifyGithub": hooklinesig.VerifyGithub, "VerifyAgentGateway": hooklinesig.VerifyAgentGateway,
	"VerifyCallback": hooklinesig.VerifyCallback,
}

func flat(h http.Header) map[string]string {
	out := map[string]string{}
	for k := range h {
		out[k] = h.Get(k)
	}
	return out
}

func main() {
	dec, enc := json.NewDecoder(os.Stdin), json.NewEncoder(os.Stdout)
	if os.Args[1] == "verify" {
		var cases []verifyCase
		if err := dec.Decode(&cases); err != nil {
			panic(err)
		}
		out := []bool{}
		for _, c := range cases {
			h := http.Header{}
			for k, v := range c.Headers {
				h.Add(k, v)
			}
			out = append(out, verifiers[c.Go](c.Secret, h, []byte(c.Body)))
		}
		_ = enc.Encode(out)
		return
	}
	var cases []signCase
	if err := dec.Decode(&cases); err != nil {
		panic(err)
	}
	out := []map[string]string{}
	for _, c := range cases {
		body := []byte(c.Body)
		switch c.Scheme {
		case "hookline":
			out = append(out, flat(hooklinesig.SignHookline(c.Secret, body)))
		case "github":
			out = append(out, flat(hooklinesig.SignGithub(c.Secret, body, "pull_request", "go-delivery-1")))
		case "grafana":
			out = append(out, flat(hooklinesig.SignGrafana(c.Secret, body)))
		case "standard":
			h, err := hooklinesig.SignStandard(c.Secret, body)
			if err != nil {
				panic(err)
			}
			out = append(out, flat(h))
		}
	}
	_ = enc.Encode(out)
}
`;

/** Builds the Go driver; returns its path. Offline: the snippets use the standard library only. */
async function buildGoDriver(dir: string): Promise<string> {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('These tests compile examples/signing/*.go and need Go 1.19+ on PATH: apt-get install golang-go');
  }
  mkdirSync(join(dir, 'hooklinesig'));
  for (const f of ['verify.go', 'sign.go']) copyFileSync(join(DIR, f), join(dir, 'hooklinesig', f));
  writeFileSync(join(dir, 'go.mod'), 'module check\n\ngo 1.19\n');
  writeFileSync(join(dir, 'main.go'), GO_DRIVER);
  const env = cleanEnv({ GOCACHE: join(dir, '.cache'), GOPATH: join(dir, '.gopath'), GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' });
  for (const args of [
    ['vet', './...'],
    ['build', '-o', 'driver', '.'],
  ]) {
    const r = await runToEnd('go', args, { env, cwd: dir, ms: 120_000 });
    if (r.code !== 0) throw new Error(`go ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  }
  return join(dir, 'driver');
}

function headersOf(r: Received): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

describe('examples/signing against a real Hookline', () => {
  let h: Harness;
  let rx: Receiver;
  const goDir = mkdtempSync(join(tmpdir(), 'hookline-go-'));
  let goDriver: Promise<string>;
  const cases: Case[] = [];
  const triggers: Record<string, { url: string; secret: string }> = {};

  beforeAll(async () => {
    goDriver = buildGoDriver(goDir);
    goDriver.catch(() => undefined); // awaited (and reported) by the Go tests
    rx = await new Receiver().start();
    h = await startHookline('sqlite', { overrides: { notifications: { webhooks: [{ name: 'ops', url: `${rx.url}/named`, secret: NAMED_SECRET }] } } });
    const secrets: Record<string, string> = {};
    for (const scheme of ['standard', 'x-signature', 'agentgateway', 'github']) {
      const ep = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/ep/${scheme}`, events: ['docs.*'], signing_scheme: scheme });
      expect(ep.status).toBe(201);
      secrets[scheme] = ep.body.secret;
      expect((await h.call('POST', `/api/v1/webhooks/endpoints/${ep.body.id}/test`)).status).toBe(202);
      await until(`a ${scheme} delivery`, async () => rx.received.find((r) => r.path === `/ep/${scheme}`));
      if (scheme === 'x-signature') {
        // During a rotation the old secret signs the main header and the new one X-Hookline-Next-Signature.
        const rot = await h.call('POST', `/api/v1/webhooks/endpoints/${ep.body.id}/rotate-secret`, { grace_period_seconds: 3600 });
        secrets['x-signature-new'] = rot.body.secret;
        expect((await h.call('POST', `/api/v1/webhooks/endpoints/${ep.body.id}/test`)).status).toBe(202);
        await until('the rotated delivery', async () => (rx.received.filter((r) => r.path === '/ep/x-signature').length === 2 ? true : undefined));
      }
    }
    await h.call('POST', '/api/v1/crews', { id: 'sig', name: 'Signing' });
    const agent = await h.call('POST', '/api/v1/agents', {
      id: 'signer',
      crew_id: 'sig',
      name: 'signer',
      runner: 'command',
      runner_config: { command: process.execPath, args: ['-e', 'console.log("done")'] },
    });
    expect(agent.status).toBe(201);
    triggers.agent = { url: `${h.url}/api/v1/webhooks/sig/signer/trigger`, secret: agent.body.webhook_secret };
    const cb = await h.call('PUT', '/api/v1/agents/signer/callback', { url: `${rx.url}/callback` });
    secrets.callback = cb.body.secret;
    expect((await h.call('POST', '/api/v1/agents/signer/runs', {})).status).toBe(202);
    await until('the callback and the named webhook', async () =>
      rx.received.some((r) => r.path === '/callback') && rx.received.some((r) => r.path === '/named') ? true : undefined,
    );

    const got = (path: string, nth = 0) => rx.received.filter((r) => r.path === path)[nth]!;
    // The function's name in each language comes from the Node one: verifyXSignature,
    // verify_x_signature, VerifyXSignature.
    const add = (name: string, node: string, secret: string, r: Received) => {
      const python = node.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace('agent_gateway', 'agentgateway');
      const go = node[0]!.toUpperCase() + node.slice(1);
      cases.push({ name, node, python, go, secret, headers: headersOf(r), body: r.body });
    };
    add('standard', 'verifyStandard', secrets.standard!, got('/ep/standard'));
    add('x-signature', 'verifyXSignature', secrets['x-signature']!, got('/ep/x-signature'));
    add('x-signature, old secret during rotation', 'verifyXSignature', secrets['x-signature']!, got('/ep/x-signature', 1));
    add('x-signature, new secret during rotation', 'verifyXSignature', secrets['x-signature-new']!, got('/ep/x-signature', 1));
    add('github', 'verifyGithub', secrets.github!, got('/ep/github'));
    add('agentgateway', 'verifyAgentGateway', secrets.agentgateway!, got('/ep/agentgateway'));
    add('named notification webhook', 'verifyAgentGateway', NAMED_SECRET, got('/named'));
    add('callback', 'verifyCallback', secrets.callback!, got('/callback'));

    for (const scheme of ['hookline', 'github', 'standard', 'grafana']) {
      const secret = scheme === 'standard' ? `whsec_${randomBytes(24).toString('base64')}` : `hltr_${randomBytes(24).toString('base64url')}`;
      const t = await h.call('POST', '/api/v1/agents/signer/webhook-triggers', { name: scheme, scheme, secret });
      expect(t.status).toBe(201);
      triggers[scheme] = { url: `${h.url}/api/v1/webhooks/sig/signer/${scheme}`, secret };
    }
  });

  afterAll(async () => {
    await goDriver?.catch(() => undefined);
    rmSync(goDir, { recursive: true, force: true });
    await h?.close();
    await rx?.close();
  });

  /** Every case as sent, then with one byte of the body changed, then with another secret. */
  const variants = () =>
    cases.flatMap((c) => [
      { ...c, label: c.name, want: true },
      { ...c, label: `${c.name}, body changed`, body: c.body.replace('"', "'"), want: false },
      {
        ...c,
        label: `${c.name}, other secret`,
        secret: c.secret.startsWith('whsec_') ? `whsec_${randomBytes(24).toString('base64')}` : `${c.secret}x`,
        want: false,
      },
    ]);

  it('verify.mjs accepts what Hookline sent on every scheme and refuses altered requests', async () => {
    const verify = await import(pathToFileURL(join(DIR, 'verify.mjs')).href);
    const results = variants().map((v) => [v.label, verify[v.node](v.secret, v.headers, Buffer.from(v.body)), v.want]);
    expect(results.length).toBe(24);
    expect(results.filter(([, got, want]) => got !== want)).toEqual([]);
  });

  it('verify.py accepts what Hookline sent on every scheme and refuses altered requests', async () => {
    const all = variants();
    const r = await runToEnd('python3', ['-c', PY_VERIFY], { env: cleanEnv({}), input: JSON.stringify(all) });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as boolean[];
    expect(all.map((v, i) => [v.label, got[i], v.want]).filter(([, g, w]) => g !== w)).toEqual([]);
    expect(got).toHaveLength(24);
  });

  it('verify.go accepts what Hookline sent on every scheme and refuses altered requests', async () => {
    const all = variants();
    const r = await runToEnd(await goDriver, ['verify'], { env: cleanEnv({}), input: JSON.stringify(all) });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as boolean[];
    expect(got).toHaveLength(24);
    expect(all.map((v, i) => [v.label, got[i], v.want]).filter(([, g, w]) => g !== w)).toEqual([]);
  });

  async function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
    return (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;
  }

  it('sign.mjs signs requests that every trigger scheme accepts, and only with the right secret', async () => {
    const sign = await import(pathToFileURL(join(DIR, 'sign.mjs')).href);
    const body = JSON.stringify({ event: 'docs.check', source: 'sign.mjs', action: 'opened', data: { n: 1 } });
    const signers: [string, (secret: string) => Record<string, string>][] = [
      ['agent', (s) => sign.signHookline(s, body)],
      ['agent', (s) => sign.signHookline(s, body, { timestamp: null })],
      ['hookline', (s) => sign.signHookline(s, body)],
      ['github', (s) => sign.signGithub(s, body, { event: 'pull_request' })],
      ['standard', (s) => sign.signStandard(s, body)],
      ['grafana', (s) => sign.signGrafana(s, body)],
    ];
    for (const [name, signer] of signers) {
      const t = triggers[name]!;
      expect([name, await post(t.url, signer(t.secret), body)]).toEqual([name, 202]);
      const wrong = name === 'standard' ? `whsec_${randomBytes(24).toString('base64')}` : `${t.secret}x`;
      expect([name, await post(t.url, signer(wrong), body)]).toEqual([name, 401]);
    }
  });

  it('sign.py signs requests that every trigger scheme accepts', async () => {
    const body = JSON.stringify({ event: 'docs.check', source: 'sign.py', action: 'opened', data: { n: 2 } });
    const wanted = [
      { scheme: 'hookline', trigger: 'agent' },
      { scheme: 'hookline-plain', trigger: 'agent' },
      { scheme: 'hookline', trigger: 'hookline' },
      { scheme: 'github', trigger: 'github' },
      { scheme: 'standard', trigger: 'standard' },
      { scheme: 'grafana', trigger: 'grafana' },
    ];
    const r = await runToEnd('python3', ['-c', PY_SIGN], {
      env: cleanEnv({}),
      input: JSON.stringify(wanted.map((w) => ({ scheme: w.scheme, secret: triggers[w.trigger]!.secret, body }))),
    });
    expect(r.stderr).toBe('');
    const headers = JSON.parse(r.stdout) as Record<string, string>[];
    expect(headers).toHaveLength(wanted.length);
    for (const [i, w] of wanted.entries()) expect([w.scheme, await post(triggers[w.trigger]!.url, headers[i]!, body)]).toEqual([w.scheme, 202]);
  });

  it('sign.go signs requests that every trigger scheme accepts, and only with the right secret', async () => {
    const body = JSON.stringify({ event: 'docs.check', source: 'sign.go', action: 'opened', data: { n: 3 } });
    const wanted = [
      { scheme: 'hookline', trigger: 'agent' },
      { scheme: 'hookline', trigger: 'hookline' },
      { scheme: 'github', trigger: 'github' },
      { scheme: 'standard', trigger: 'standard' },
      { scheme: 'grafana', trigger: 'grafana' },
    ];
    const wrong = (s: string) => (s.startsWith('whsec_') ? `whsec_${randomBytes(24).toString('base64')}` : `${s}x`);
    const input = wanted.flatMap((w) =>
      [triggers[w.trigger]!.secret, wrong(triggers[w.trigger]!.secret)].map((secret) => ({ scheme: w.scheme, secret, body })),
    );
    const r = await runToEnd(await goDriver, ['sign'], { env: cleanEnv({}), input: JSON.stringify(input) });
    expect(r.stderr).toBe('');
    const headers = JSON.parse(r.stdout) as Record<string, string>[];
    expect(headers).toHaveLength(wanted.length * 2);
    for (const [i, w] of wanted.entries()) {
      const url = triggers[w.trigger]!.url;
      expect([w.scheme, await post(url, headers[2 * i]!, body), await post(url, headers[2 * i + 1]!, body)]).toEqual([w.scheme, 202, 401]);
    }
  });
});
