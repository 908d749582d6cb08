import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, startHookline } from '../../server/test/helpers/hookline.js';
import { type Received, Receiver } from '../../server/test/helpers/receiver.js';
import { until } from '../../server/test/helpers/wait.js';
import { Hookline } from '../src/index.js';

const sdkRoot = fileURLToPath(new URL('..', import.meta.url));
/** Where scripts/test-setup.mjs (run by `npm test`) installs bun and deno, outside the root `npm ci`. */
const RUNTIMES_DIR = join(sdkRoot, 'test/runtimes');
const modules = join(RUNTIMES_DIR, 'node_modules');
const PINNED = (JSON.parse(readFileSync(join(RUNTIMES_DIR, 'package.json'), 'utf8')) as { dependencies: Record<'bun' | 'deno', string> }).dependencies;
const FIXTURE = join(sdkRoot, 'test/fixtures/runtime-check.mjs');
const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

type Runtime = 'node' | 'bun' | 'deno';
const RUNTIMES: Runtime[] = ['node', 'bun', 'deno'];

/** What runtime-check.mjs prints. */
interface Output {
  runtime: { name: string; version: string };
  listed: { total: number; ids: string[] };
  published: { id: string; type: string; data: unknown; deliveries: number; duplicate: boolean };
  notFound: Record<string, unknown>;
  verified: { id: string; type: string; data: unknown };
  verifiedBytes: { id: string };
  tampered: Record<string, unknown>;
  iterated: { ids: string[]; pages: { limit: string | null; offset: string | null }[] };
}

/**
 * The bun or deno binary at the version test/runtimes/package.json pins. Their postinstall
 * moves the platform binary into the main package; without it (npm's ignore-scripts) the
 * binary is still in the platform package (@oven/bun-<platform>, @deno/<platform>).
 */
function installed(name: 'bun' | 'deno'): { bin: string; version: string } {
  const version = PINNED[name];
  const scope = join(modules, name === 'bun' ? '@oven' : '@deno');
  const platform = existsSync(scope) ? readdirSync(scope).map((p) => (name === 'bun' ? join(scope, p, 'bin', exe('bun')) : join(scope, p, exe('deno')))) : [];
  const candidates = [name === 'bun' ? join(modules, 'bun/bin/bun.exe') : join(modules, 'deno', exe('deno')), ...platform];
  for (const bin of candidates.filter((c) => existsSync(c))) {
    try {
      const said = execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
      if (said.includes(version)) return { bin, version };
    } catch {}
  }
  throw new Error(
    `${name} ${version} is not installed (looked in ${candidates.join(', ')}): run \`npm test\` or \`node scripts/test-setup.mjs\` at the repository root, which install bun and deno into packages/sdk/test/runtimes`,
  );
}

/** The command that runs the fixture under `runtime`: plain `node`, `bun <file>`, `deno run` with only the permissions the SDK needs. */
function launcher(runtime: Runtime): { command: string; args: string[]; version: string } {
  if (runtime === 'node') return { command: process.execPath, args: [FIXTURE], version: process.versions.node };
  const { bin, version } = installed(runtime);
  if (runtime === 'bun') return { command: bin, args: [FIXTURE], version };
  return { command: bin, args: ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', '--no-prompt', FIXTURE], version };
}

/** Runs the fixture; the input (with the API key and the signing secret) goes in the environment, not on the command line. */
function runFixture({ command, args }: { command: string; args: string[] }, runtime: Runtime, input: unknown): Promise<Output> {
  const env = { ...process.env, HOOKLINE_RUNTIME_CHECK: JSON.stringify(input), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
  return new Promise((resolve, reject) =>
    execFile(command, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${runtime} exited with ${err.code ?? err.signal}:\n${stderr}`));
      const lines = stdout.trim().split('\n');
      if (lines.length !== 1) return reject(new Error(`${runtime} should print one JSON line, printed:\n${stdout}\n${stderr}`));
      resolve(JSON.parse(lines[0]!) as Output);
    }),
  );
}

describe('the built SDK on Node, Bun and Deno, against a real Hookline', () => {
  let h: Harness;
  let client: Hookline;
  const recv = new Receiver();
  let input: { url: string; apiKey: string; secret: string; delivery: { headers: Received['headers']; body: string } };
  let capturedId: string;
  /** Every endpoint, as the server lists them (newest first). */
  let endpointIds: string[];
  const outputs: Partial<Record<Runtime, Output>> = {};

  beforeAll(async () => {
    expect(existsSync(join(sdkRoot, 'dist/index.js')), 'build the SDK first: npx tsc -b packages/sdk').toBe(true);
    await recv.start();
    h = await startHookline('sqlite');
    client = new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url });
    const ep = await client.webhookEndpoints.create({ url: `${recv.url}/ep`, events: ['sdk.*'], signing_scheme: 'standard' });
    // Two more, so iterate() two to a page needs two pages.
    for (const n of [1, 2]) await client.webhookEndpoints.create({ url: `${recv.url}/other/${n}`, events: ['other.*'] });
    endpointIds = (await client.webhookEndpoints.list({ limit: 100 })).items.map((e) => e.id);
    expect(endpointIds).toHaveLength(3);

    const { event } = await client.events.publish({ type: 'sdk.captured', data: { n: 1 } });
    capturedId = event.id;
    const r = await until('the signed delivery', async () => recv.received.find((x) => x.path === '/ep' && x.body.includes(event.id)));
    expect(r.headers['webhook-signature']).toMatch(/^v1,/);
    input = { url: h.url, apiKey: ADMIN_KEY, secret: ep.secret, delivery: { headers: r.headers, body: r.body } };
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  it.each(RUNTIMES)('%s: lists, publishes, verifies a real delivery, refuses a tampered one, iterates two pages', { timeout: 90_000 }, async (runtime) => {
    const how = launcher(runtime);
    const out = await runFixture(how, runtime, input);
    outputs[runtime] = out;
    expect(out.runtime).toEqual({ name: runtime, version: how.version });

    // (a) the client
    expect(out.listed).toEqual({ total: 3, ids: endpointIds });
    expect(out.published).toMatchObject({ type: 'sdk.runtime', data: { runtime }, deliveries: 1, duplicate: false });
    expect(out.published.id).toMatch(/^evt_/);
    expect(await client.events.get(out.published.id)).toMatchObject({ id: out.published.id, type: 'sdk.runtime', data: { runtime } });
    await until(`delivery of the event ${runtime} published`, async () => recv.received.find((x) => x.path === '/ep' && x.body.includes(out.published.id)));
    expect(out.notFound).toEqual({
      name: 'HooklineApiError',
      status: 404,
      code: 'not_found',
      isHooklineError: true,
      isVerificationError: false,
      isApiError: true,
    });

    // (b) verifyWebhook on what Hookline really sent
    expect(out.verified).toEqual({ id: capturedId, type: 'sdk.captured', data: { n: 1 } });
    expect(out.verifiedBytes).toEqual({ id: capturedId });
    expect(out.tampered).toEqual({
      changed: true,
      name: 'WebhookVerificationError',
      reason: 'invalid_signature',
      isHooklineError: true,
      isVerificationError: true,
      isApiError: false,
    });

    // (c) iterate() walked two pages
    expect(out.iterated.ids).toEqual(endpointIds);
    expect(out.iterated.pages).toEqual([
      { limit: '2', offset: '0' },
      { limit: '2', offset: '2' },
    ]);
  });

  it('the three runtimes gave the same answers', () => {
    const same = (o: Output | undefined) => {
      expect(o, 'every runtime above must have run').toBeDefined();
      const { runtime: _r, published, ...rest } = o!;
      return { ...rest, published: { ...published, id: 'evt', data: 'runtime' } };
    };
    const node = same(outputs.node);
    expect(same(outputs.bun)).toEqual(node);
    expect(same(outputs.deno)).toEqual(node);
  });
});
