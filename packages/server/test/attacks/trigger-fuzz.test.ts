import { connect } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { type Harness, startHookline } from '../helpers/hookline.js';
import { buildCase, type FuzzCase, Rng } from './fuzz-cases.js';
import { countRuns, createTargets, hmac } from './trigger-targets.js';

/**
 * Inbound trigger fuzzing (SECURITY.md): 10,000 requests to the agent's trigger URL and to named
 * triggers of every scheme, each a correctly signed request with 0–3 random mutations of its
 * headers, body, encoding, length, method or URL. Every answer must be the one the case calls
 * for (so: never a 5xx, and a 202 only for a request that is still correctly signed), every
 * refusal must carry `{error: {code}}`, and the runs in the store must be exactly the runs of
 * the accepted requests.
 *
 * Reproduce a failure with the printed seed: HOOKLINE_FUZZ_SEED=<seed> (and
 * HOOKLINE_FUZZ_CASE=<index> to send that one case only).
 */
const CASES = 10_000;
const CONCURRENCY = 16;
const BODY_LIMIT = 1_048_576;
const SEED = process.env.HOOKLINE_FUZZ_SEED ? Number(process.env.HOOKLINE_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const ONLY = process.env.HOOKLINE_FUZZ_CASE ? Number(process.env.HOOKLINE_FUZZ_CASE) : undefined;

interface Outcome {
  c: FuzzCase;
  status: number;
  contentType: string | undefined;
  body: string;
}

/** Enough of a case to rebuild it by reading, without megabytes of body. */
function describeCase(o: Outcome, why: string): string {
  const { c } = o;
  const headers = c.headers.map(([n, v]) => `    ${n}: ${v.length > 120 ? `${v.slice(0, 120)}… (${v.length} chars)` : v}`).join('\n');
  const body = c.body.length > 160 ? `${c.body.subarray(0, 160).toString('base64')}… (${c.body.length} bytes)` : c.body.toString('base64');
  return [
    `case ${c.index} (HOOKLINE_FUZZ_SEED=${SEED} HOOKLINE_FUZZ_CASE=${c.index}): ${why}`,
    `  steps: ${c.steps.join(' | ')}`,
    `  expected ${c.expected}, got ${o.status} ${o.contentType ?? ''} ${o.body.slice(0, 300)}`,
    `  ${c.method} ${c.path}`,
    headers,
    `  body (base64): ${body}`,
  ].join('\n');
}

/** What is wrong with an answer, or undefined when it is the right one. */
function judge(o: Outcome): string | undefined {
  if (o.status >= 500) return 'a 5xx';
  if (o.status !== o.c.expected) return 'unexpected status';
  if (o.c.method === 'HEAD') return undefined;
  if (!o.contentType?.startsWith('application/json')) return 'answer is not JSON';
  let json: any;
  try {
    json = JSON.parse(o.body);
  } catch {
    return 'answer is not valid JSON';
  }
  if (o.status === 202) return typeof json.run_id === 'string' && json.duplicate === undefined ? undefined : 'a 202 without a new run_id';
  if (o.status === 200) return json.status === 'ignored' ? undefined : 'a 200 that is not the ping answer';
  return typeof json.error?.code === 'string' && /^[a-z_]+$/.test(json.error.code) ? undefined : 'a refusal without error.code';
}

describe('inbound trigger fuzzing', () => {
  let h: Harness;
  let pool: Pool;
  const clock = new ManualClock();

  beforeAll(async () => {
    // role `api`: runs are queued and counted, never executed (10,000 cases must not spawn agents).
    h = await startHookline('sqlite', { clock, overrides: { server: { role: 'api', body_limit_bytes: BODY_LIMIT } } });
    pool = new Pool(h.url, { connections: CONCURRENCY, pipelining: 1 });
  });
  afterAll(async () => {
    await pool?.close();
    await h?.close();
  });

  it(`answers ${CASES.toLocaleString('en')} mutated trigger requests as each calls for, and starts runs only for correctly signed ones`, async () => {
    console.log(`[fuzz] seed ${SEED}${ONLY !== undefined ? `, case ${ONLY} only` : ''}`);
    const { targets, disabled } = await createTargets(h, 'fz', 'fz-agent');
    // An agent of another crew: its id under this crew's URL must be a 404.
    expect((await h.call('POST', '/api/v1/crews', { id: 'fz2', name: 'fz2' })).status).toBe(201);
    expect(
      (await h.call('POST', '/api/v1/agents', { id: 'fz-agent2', crew_id: 'fz2', name: 'x', runner: 'command', runner_config: { command: 'true' } })).status,
    ).toBe(201);

    const runsBefore = await countRuns(h);
    const rng = new Rng(SEED);
    const nowSec = Math.floor(clock.now() / 1000);
    let next = 0;
    const failures: string[] = [];
    const accepted = new Set<string>();
    const tally = new Map<number, number>();
    let controls = 0;

    // Cases are built in index order from one generator, whichever worker sends them, so a seed rebuilds them all.
    const take = (): FuzzCase | undefined => {
      while (next < CASES) {
        const c = buildCase(rng, next++, targets, disabled, BODY_LIMIT, nowSec);
        if (ONLY === undefined || c.index === ONLY) return c;
      }
      return undefined;
    };
    const worker = async () => {
      for (let c = take(); c; c = take()) {
        const res = await pool.request({
          method: c.method as 'POST',
          path: c.path,
          headers: c.headers.flat(),
          ...(c.body.length || c.method === 'POST' ? { body: c.body } : {}),
        });
        const body = await res.body.text();
        const ct = res.headers['content-type'];
        const o: Outcome = { c, status: res.statusCode, contentType: Array.isArray(ct) ? ct[0] : ct, body };
        tally.set(o.status, (tally.get(o.status) ?? 0) + 1);
        if (c.createsRun) controls++;
        const why = judge(o);
        if (why) failures.push(describeCase(o, why));
        else if (o.status === 202) accepted.add(JSON.parse(body).run_id);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const statuses = [...tally]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(
      `[attack figure] trigger fuzz: seed ${SEED}, ${next} cases, ${controls} correctly signed controls, answers ${statuses}, failures ${failures.length}`,
    );
    expect(failures.slice(0, 10).join('\n\n'), `${failures.length} of ${next} cases answered wrongly`).toBe('');

    // The store holds exactly the accepted runs: none from a request that was not correctly signed.
    expect(await countRuns(h)).toBe(runsBefore + accepted.size);
    const stored = await h.hl.store.agents.listRuns(h.hl.tenants.fallback.envId, { limit: CASES, offset: 0 });
    expect(new Set(stored.rows.map((r) => r.id))).toEqual(accepted);
    expect(accepted.size).toBe(controls);
    if (ONLY === undefined) {
      // The mix is what the generator promises: many controls, and many refusals of each kind.
      expect(controls).toBeGreaterThan(2000);
      for (const s of [400, 401, 403, 404, 413, 415, 431]) expect(tally.get(s) ?? 0, `answers ${s}`).toBeGreaterThan(5);
    }
  }, 120_000);

  /** Sends raw bytes, half-closes, and returns every response the server wrote before closing. */
  const rawExchange = (bytes: string) =>
    new Promise<{ status: number; contentType: string; body: string }[]>((resolve) => {
      const socket = connect(Number(new URL(h.url).port), '127.0.0.1');
      let data = '';
      socket.on('data', (d) => (data += d.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => {
        const responses = [];
        for (let rest = data; rest.startsWith('HTTP/1.1 ');) {
          const headEnd = rest.indexOf('\r\n\r\n');
          const head = rest.slice(0, headEnd);
          const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
          responses.push({
            status: Number(head.slice(9, 12)),
            contentType: /content-type: ([^\r]+)/i.exec(head)?.[1] ?? '',
            body: rest.slice(headEnd + 4, headEnd + 4 + length),
          });
          rest = rest.slice(headEnd + 4 + length);
        }
        resolve(responses);
      });
      socket.end(bytes, 'latin1');
    });

  it('framing lies (Content-Length, Transfer-Encoding, header syntax) are refused with a JSON code and start no run', async () => {
    const { targets } = await createTargets(h, 'fr', 'fr-agent');
    const t = targets.agent;
    const body = '{"event":"framing"}';
    const sig = hmac(t.secret, body).toString('hex');
    const head = (extra: string, version = '1.1') =>
      `POST ${t.path} HTTP/${version}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Signature: ${sig}\r\n${extra}\r\n`;
    const chunk = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    // [request, the answers allowed]: well-formed framings are accepted (the signature covers the bytes received).
    const cases: Record<string, [string, number[]]> = {
      'chunked body': [head('Transfer-Encoding: chunked\r\n') + chunk, [202]],
      'HTTP/1.0 with Content-Length': [head(`Content-Length: ${body.length}\r\n`, '1.0') + body, [202]],
      'Transfer-Encoding: gzip, chunked (not gzipped: checked over the bytes received)': [head('Transfer-Encoding: gzip, chunked\r\n') + chunk, [202]],
      'Content-Length shorter than the body': [head(`Content-Length: ${body.length - 3}\r\n`) + body, [400, 401]],
      'Content-Length longer than the body, then EOF': [head(`Content-Length: ${body.length + 5}\r\n`) + body, [400]],
      'Content-Length and Transfer-Encoding together': [head(`Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`) + chunk, [400]],
      'Content-Length: abc': [head('Content-Length: abc\r\n') + body, [400]],
      'Content-Length: -1': [head('Content-Length: -1\r\n') + body, [400]],
      'two different Content-Lengths': [head(`Content-Length: ${body.length}\r\nContent-Length: ${body.length + 1}\r\n`) + body, [400]],
      'bad chunk size': [head('Transfer-Encoding: chunked\r\n') + `zz\r\n${body}\r\n0\r\n\r\n`, [400]],
      'Transfer-Encoding: identity': [head(`Transfer-Encoding: identity\r\nContent-Length: ${body.length}\r\n`) + body, [400]],
      'signature folded over two lines (obs-fold)': [
        head(`Content-Length: ${body.length}\r\n`).replace(`X-Signature: ${sig}`, `X-Signature: ${sig.slice(0, 9)}\r\n ${sig.slice(9)}`) + body,
        [400],
      ],
      'NUL in a header value': [head(`X-Junk: a\u0000b\r\nContent-Length: ${body.length}\r\n`) + body, [400]],
      'bare LF line endings': [head(`Content-Length: ${body.length}\r\n`).replaceAll('\r\n', '\n') + body, [400]],
      'space before the colon': [head(`Content-Length : ${body.length}\r\n`) + body, [400]],
    };
    const before = await countRuns(h);
    let accepted = 0;
    for (const [name, [bytes, allowed]] of Object.entries(cases)) {
      const responses = await rawExchange(bytes);
      expect(responses.length, name).toBeGreaterThan(0);
      for (const r of responses) {
        expect(allowed, `${name}: ${r.status} ${r.body}`).toContain(r.status);
        expect(r.contentType, name).toMatch(/^application\/json/);
        const json = JSON.parse(r.body);
        if (r.status === 202) accepted++;
        else expect(json.error.code, name).toMatch(/^[a-z_]+$/);
      }
    }
    expect(accepted).toBe(3);
    expect(await countRuns(h)).toBe(before + 3);
  });
});
