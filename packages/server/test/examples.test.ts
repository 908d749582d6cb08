// The receivers in examples/receivers/ are what the docs tell newcomers to run. This test
// runs each one as its own process against a real Hookline and checks that it verifies
// what Hookline sends and refuses what Hookline did not sign.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHookline } from './helpers/hookline.js';
import { freePort } from './helpers/ports.js';

const RECEIVERS = fileURLToPath(new URL('../../../examples/receivers/', import.meta.url));

const CASES = [
  { command: process.execPath, script: 'node-receiver.mjs' },
  { command: 'python3', script: 'python-receiver.py' },
];

/** A receiver process whose output the test can wait on. */
class Child {
  stdout = '';
  stderr = '';
  private readonly exited: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(readonly proc: ChildProcess) {
    proc.stdout!.setEncoding('utf8').on('data', (s: string) => this.update(() => (this.stdout += s)));
    proc.stderr!.setEncoding('utf8').on('data', (s: string) => this.update(() => (this.stderr += s)));
    this.exited = new Promise((resolve) => proc.once('exit', () => this.update(resolve)));
  }

  private update(change: () => void): void {
    change();
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once stdout (or stderr) contains `text`; fails early if the process exits. */
  async waitForOutput(text: string, stream: 'stdout' | 'stderr' = 'stdout', ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this[stream].includes(text)) {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null)
        throw new Error(`receiver exited (${this.proc.exitCode ?? this.proc.signalCode}) before printing ${JSON.stringify(text)}; stderr:\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`receiver did not print ${JSON.stringify(text)} within ${ms} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    await this.exited;
  }
}

/** Signs like a Standard Webhooks sender, for requests the test forges itself. */
function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

describe.each(CASES.map((c) => [c.script, c] as const))('examples/receivers/%s', (script, { command }) => {
  let h: Harness;
  let rx: Child | undefined;
  let url: string;
  let endpointId: string;
  let secret: string;

  async function waitForDelivered(eventId: string): Promise<any> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const list = await h.call('GET', `/api/v1/deliveries?endpoint_id=${endpointId}`);
      const d = list.body.items.find((x: { event_id: string }) => x.event_id === eventId);
      if (d && d.status !== 'pending') return d;
      if (Date.now() > deadline) throw new Error(`delivery of ${eventId} still ${d?.status ?? 'missing'} after 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    h = await startHookline('sqlite'); // allows 127.0.0.1/32, as the quick start tells users to
    const port = await freePort();
    url = `http://127.0.0.1:${port}/webhooks`;
    // The secret exists only once the endpoint does, so the endpoint comes first.
    const ep = await h.call('POST', '/api/v1/webhooks/endpoints', { url, events: ['example.*'] });
    expect(ep.status).toBe(201);
    endpointId = ep.body.id;
    secret = ep.body.secret;
    rx = new Child(
      spawn(command, [RECEIVERS + script], {
        env: { ...process.env, PORT: String(port), HOOKLINE_WEBHOOK_SECRET: secret, PYTHONUNBUFFERED: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    await rx.waitForOutput(`listening on http://127.0.0.1:${port}/webhooks`);
  });

  afterAll(async () => {
    await rx?.stop();
    await h?.close();
  });

  it('verifies and prints a published event; Hookline records it delivered', async () => {
    const pub = await h.call('POST', '/api/v1/events', { type: 'example.greeting', data: { hello: 'world' } });
    expect(pub.status).toBe(202);
    const eventId: string = pub.body.event.id;

    await rx!.waitForOutput(`verified example.greeting ${eventId}`);
    await rx!.waitForOutput('"hello": "world"'); // the event itself, printed after that line

    const d = await waitForDelivered(eventId);
    expect(d).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });
    const detail = await h.call('GET', `/api/v1/deliveries/${d.id}`);
    expect(detail.body.history).toHaveLength(1);
    expect(detail.body.history[0]).toMatchObject({ status_code: 200, error: null, request: { method: 'POST', url } });
  });

  it('answers 401 to a wrong signature, a stale timestamp or missing headers, and 200 to a good one', async () => {
    const body = JSON.stringify({ id: 'evt_forged', type: 'example.forged', timestamp: new Date().toISOString(), org_id: 'o', env_id: 'e', data: {} });
    const now = Math.floor(Date.now() / 1000);
    const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const otherSecret = 'whsec_' + randomBytes(24).toString('base64');

    const wrong = await post({
      'webhook-id': 'evt_forged',
      'webhook-timestamp': String(now),
      'webhook-signature': standardSignature(otherSecret, 'evt_forged', now, body),
    });
    expect(wrong.status).toBe(401);

    const stale = now - 6 * 60;
    const old = await post({
      'webhook-id': 'evt_forged',
      'webhook-timestamp': String(stale),
      'webhook-signature': standardSignature(secret, 'evt_forged', stale, body),
    });
    expect(old.status).toBe(401);

    const missing = await post({});
    expect(missing.status).toBe(401);

    // Control: the same request correctly signed passes, so the 401s above were about the signature.
    const good = await post({
      'webhook-id': 'evt_forged',
      'webhook-timestamp': String(now),
      'webhook-signature': standardSignature(secret, 'evt_forged', now, body),
    });
    expect(good.status).toBe(200);
    await rx!.waitForOutput('rejected POST /webhooks: no matching signature', 'stderr');
  });

  it('keeps verifying with the old secret while a rotation is in its grace period', async () => {
    const rot = await h.call('POST', `/api/v1/webhooks/endpoints/${endpointId}/rotate-secret`, { grace_period_seconds: 3600 });
    expect(rot.status).toBe(200);
    expect(rot.body.secret).not.toBe(secret);

    const test = await h.call('POST', `/api/v1/webhooks/endpoints/${endpointId}/test`);
    expect(test.status).toBe(202);
    // The receiver still holds the old secret; Hookline signs with both during the grace period.
    await rx!.waitForOutput(`verified webhook.test ${test.body.event_id}`);
    expect(await waitForDelivered(test.body.event_id)).toMatchObject({ status: 'delivered', last_status_code: 200 });
  });
});
