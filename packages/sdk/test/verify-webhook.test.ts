import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, startHookline } from '../../server/test/helpers/hookline.js';
import { type Received, Receiver } from '../../server/test/helpers/receiver.js';
import { until } from '../../server/test/helpers/wait.js';
import {
  type CallbackPayload,
  detectWebhookScheme,
  Hookline,
  HooklineError,
  type HooklineEvent,
  isRunEvent,
  type NamedWebhookPayload,
  verifyWebhook,
  verifyWebhookSignature,
  type VerifyWebhookOptions,
  WebhookVerificationError,
  type WebhookScheme,
} from '../src/index.js';

const ENDPOINT_SCHEMES: WebhookScheme[] = ['standard', 'x-signature', 'agentgateway', 'github', 'callback'];
const NAMED_SECRET = 'named-webhook-secret-0123456789';
const ECHO = { command: process.execPath, args: ['-e', "process.stdin.resume();process.stdin.on('end',()=>process.stdout.write('all good'))"] };

type Headers_ = Record<string, string>;
const headersOf = (r: Received): Headers_ => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
const otherWhsec = () => 'whsec_' + btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))));

/** The reason a verification failed; fails the test if it passed. */
async function reason(o: VerifyWebhookOptions): Promise<string> {
  const err = await verifyWebhook(o).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'verification should have failed').toBeInstanceOf(WebhookVerificationError);
  expect(err).toBeInstanceOf(HooklineError);
  return (err as WebhookVerificationError).reason;
}

describe('verifyWebhook against the requests Hookline really sends', () => {
  let h: Harness;
  let client: Hookline;
  const recv = new Receiver();
  const endpoints = {} as Record<WebhookScheme, { id: string; secret: string }>;
  /** One real delivery per scheme, for the attack cases. */
  const sample = {} as Record<WebhookScheme, Received>;
  let n = 0;

  /** Publishes `sdk.hello` and returns the request the endpoint of `scheme` got for it. */
  async function delivered(scheme: WebhookScheme): Promise<Received> {
    const { event } = await client.events.publish({ type: 'sdk.hello', data: { scheme, n: ++n } });
    return until(`${scheme} delivery of ${event.id}`, async () => recv.received.find((r) => r.path === `/ep/${scheme}` && r.body.includes(event.id)));
  }

  beforeAll(async () => {
    await recv.start();
    h = await startHookline('sqlite', {
      overrides: { notifications: { webhooks: [{ name: 'agw', url: `${recv.url}/agw`, secret: NAMED_SECRET, events: ['on_complete'] }] } },
    });
    client = new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url });
    for (const scheme of ENDPOINT_SCHEMES) {
      const ep = await client.webhookEndpoints.create({ url: `${recv.url}/ep/${scheme}`, events: ['sdk.*'], signing_scheme: scheme });
      endpoints[scheme] = { id: ep.id, secret: ep.secret };
    }
    for (const scheme of ENDPOINT_SCHEMES) sample[scheme] = await delivered(scheme);
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  it.each(ENDPOINT_SCHEMES)('%s: verifies and returns the envelope, whatever form headers and body come in', async (scheme) => {
    const r = sample[scheme];
    const { secret } = endpoints[scheme];
    const envelope = JSON.parse(r.body);
    expect(detectWebhookScheme(r.headers)).toBe(scheme);
    const event = await verifyWebhook({ secret, headers: r.headers, body: r.body });
    expect(event).toEqual(envelope);
    expect(event).toMatchObject({ type: 'sdk.hello', data: { scheme }, org_id: 'org_default' });
    expect(await verifyWebhookSignature({ secret, headers: r.headers, body: r.body, scheme })).toBe(scheme);
    const bytes = new TextEncoder().encode(r.body);
    expect(await verifyWebhook({ secret, headers: new Headers(headersOf(r)), body: bytes })).toEqual(envelope);
    // express.raw() hands over a Buffer: a Uint8Array view into a larger pool.
    expect(await verifyWebhook({ secret, headers: r.headers, body: Buffer.from(r.body) })).toEqual(envelope);
    expect(await verifyWebhook({ secret, headers: headersOf(r), body: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })).toEqual(
      envelope,
    );
    // Header names as a framework might spell them.
    const titled = Object.fromEntries(
      Object.entries(headersOf(r)).map(([k, v]) => [k.replace(/(^|-)(\w)/g, (_m, d: string, c: string) => d + c.toUpperCase()), v]),
    );
    expect(await verifyWebhook({ secret, headers: titled, body: r.body, scheme })).toEqual(envelope);
  });

  it('run.* events, the agent callback (callback scheme) and a named webhook (agentgateway) from one real run', async () => {
    const runs = await client.webhookEndpoints.create({ url: `${recv.url}/runs`, events: ['run.*'] });
    await client.crews.create({ id: 'vw', name: 'Verify crew' });
    await client.agents.create({ id: 'vw-echo', crew_id: 'vw', name: 'Verify echo', runner: 'command', runner_config: ECHO, model: 'gpt-4' });
    const cb = await client.callbacks.set('vw-echo', { url: `${recv.url}/cb` });
    const run = await client.runs.create('vw-echo', { prompt: 'go', wait: true });
    expect(run.status).toBe('completed');

    const completed = await until('run.completed', async () =>
      recv.received.find((r) => r.path === '/runs' && r.body.includes('"run.completed"') && r.body.includes(run.id)),
    );
    const event = await verifyWebhook<HooklineEvent>({ secret: runs.secret, headers: completed.headers, body: completed.body });
    expect(isRunEvent(event)).toBe(true);
    if (!isRunEvent(event)) return;
    expect(event.data).toMatchObject({
      execution_id: run.id,
      agent_loop_id: 'vw-echo',
      status: 'completed',
      result: { output: 'all good' },
      crew_id: 'vw',
      crew_name: 'Verify crew',
      trigger_type: 'manual',
    });
    expect(event.data.metadata.model).toBe('gpt-4');

    const callback = await until('the callback', async () => recv.received.find((r) => r.path === '/cb' && r.body.includes(run.id)));
    expect(detectWebhookScheme(callback.headers)).toBe('callback');
    const payload: CallbackPayload = await verifyWebhook({ secret: cb.secret!, headers: callback.headers, body: callback.body, scheme: 'callback' });
    expect(payload).toMatchObject({ agent_loop_id: 'vw-echo', execution_id: run.id, status: 'completed', result: { output: 'all good' }, error: null });
    expect(await verifyWebhook({ secret: cb.secret!, headers: callback.headers, body: callback.body })).toEqual(payload);
    expect(await reason({ secret: runs.secret, headers: callback.headers, body: callback.body })).toBe('invalid_signature');
    const noTs = { ...headersOf(callback) };
    delete noTs['x-timestamp'];
    expect(await reason({ secret: cb.secret!, headers: noTs, body: callback.body, scheme: 'callback' })).toBe('missing_header');
    // Without X-Timestamp the headers look like x-signature, which signs the body alone.
    expect(await reason({ secret: cb.secret!, headers: noTs, body: callback.body })).toBe('malformed_header');

    const named = await until('the named webhook', async () => recv.received.find((r) => r.path === '/agw' && r.body.includes(run.id)));
    expect(detectWebhookScheme(named.headers)).toBe('agentgateway');
    const note = await verifyWebhook<NamedWebhookPayload>({ secret: NAMED_SECRET, headers: named.headers, body: named.body });
    expect(note).toMatchObject({ event: 'on_complete', agent_name: 'Verify echo', execution_id: run.id, output: 'all good', error: null });
    expect(await reason({ secret: 'named-webhook-secret-wrong', headers: named.headers, body: named.body })).toBe('invalid_signature');
  });

  it.each(ENDPOINT_SCHEMES)('%s: during a rotation both the old and the new secret verify; the rotation header is what carries the new one', async (scheme) => {
    const old = endpoints[scheme].secret;
    const { secret: next } = await client.webhookEndpoints.rotateSecret(endpoints[scheme].id, { grace_period_seconds: 3600 });
    const r = await delivered(scheme);
    const headers = headersOf(r);
    if (scheme === 'standard') expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    else expect(headers['x-hookline-next-signature']).toBeDefined();
    expect(await verifyWebhook({ secret: old, headers, body: r.body })).toMatchObject({ type: 'sdk.hello' });
    expect(await verifyWebhook({ secret: next, headers, body: r.body })).toMatchObject({ type: 'sdk.hello' });
    expect(await verifyWebhook({ secret: [scheme === 'standard' ? otherWhsec() : 'not-the-secret', next], headers, body: r.body })).toMatchObject({
      type: 'sdk.hello',
    });
    expect(await reason({ secret: scheme === 'standard' ? otherWhsec() : 'not-the-secret', headers, body: r.body })).toBe('invalid_signature');
    if (scheme === 'standard') {
      const onlyOld = { ...headers, 'webhook-signature': headers['webhook-signature']!.split(' ')[1]! };
      expect(await reason({ secret: next, headers: onlyOld, body: r.body })).toBe('invalid_signature');
    } else {
      const { 'x-hookline-next-signature': _dropped, ...withoutNext } = headers;
      expect(await reason({ secret: next, headers: withoutNext, body: r.body })).toBe('invalid_signature');
      expect(await verifyWebhook({ secret: old, headers: withoutNext, body: r.body })).toMatchObject({ type: 'sdk.hello' });
    }
    endpoints[scheme].secret = next;
    // Later samples must be signed by the new secret alone.
    await client.webhookEndpoints.rotateSecret(endpoints[scheme].id, { grace_period_seconds: 0 }).then((e) => (endpoints[scheme].secret = e.secret));
    sample[scheme] = await delivered(scheme);
  });

  describe('attacks on a real standard delivery', () => {
    const base = () => ({ secret: endpoints.standard.secret, headers: headersOf(sample.standard), body: sample.standard.body });
    const sig = () => headersOf(sample.standard)['webhook-signature']!.slice('v1,'.length);
    const withSig = (value: string) => ({ ...base(), headers: { ...base().headers, 'webhook-signature': value } });

    it('a tampered body, a wrong secret, a signature made for another body', async () => {
      await expect(verifyWebhook(base())).resolves.toMatchObject({ type: 'sdk.hello' });
      expect(await reason({ ...base(), body: base().body.replace('"sdk.hello"', '"sdk.hellp"') })).toBe('invalid_signature');
      expect(await reason({ ...base(), body: base().body + ' ' })).toBe('invalid_signature');
      expect(await reason({ ...base(), secret: otherWhsec() })).toBe('invalid_signature');
      const other = await delivered('standard');
      expect(await reason({ ...base(), body: other.body })).toBe('invalid_signature');
      expect(await reason({ ...base(), headers: { ...base().headers, 'webhook-id': JSON.parse(other.body).id } })).toBe('invalid_signature');
    });

    it('replayed later, sent from the future, or with a rewritten timestamp', async () => {
      const ts = Number(base().headers['webhook-timestamp']);
      expect(await reason({ ...base(), now: (ts + 301) * 1000 })).toBe('timestamp_too_old');
      expect(await reason({ ...base(), now: new Date((ts - 301) * 1000) })).toBe('timestamp_in_future');
      await expect(verifyWebhook({ ...base(), now: (ts + 300) * 1000 })).resolves.toMatchObject({ type: 'sdk.hello' });
      expect(await reason({ ...base(), now: (ts + 11) * 1000, toleranceSeconds: 10 })).toBe('timestamp_too_old');
      // Moving the timestamp into the window breaks the signature, which covers it.
      expect(await reason({ ...base(), headers: { ...base().headers, 'webhook-timestamp': String(ts + 1000) }, now: (ts + 1000) * 1000 })).toBe(
        'invalid_signature',
      );
    });

    it('missing and malformed headers', async () => {
      for (const name of ['webhook-signature', 'webhook-id', 'webhook-timestamp']) {
        const { [name]: _gone, ...rest } = base().headers;
        expect(await reason({ ...base(), headers: rest, scheme: 'standard' }), name).toBe('missing_header');
      }
      const { 'webhook-signature': _s, ...unsigned } = base().headers;
      expect(await reason({ ...base(), headers: unsigned })).toBe('missing_header');
      expect(await reason({ ...base(), headers: {} })).toBe('missing_header');
      for (const ts of ['abc', '-5', '1e9', '', ' 1'])
        expect(await reason({ ...base(), headers: { ...base().headers, 'webhook-timestamp': ts } }), ts).toMatch(/^(malformed_header|missing_header)$/);
      expect(await reason({ ...base(), headers: { ...base().headers, 'webhook-timestamp': 'abc' } })).toBe('malformed_header');
      expect(await reason(withSig('garbage'))).toBe('malformed_header');
    });

    it('"v1," prefix games', async () => {
      const s = sig();
      expect(await reason(withSig('v1,'))).toBe('malformed_header');
      expect(await reason(withSig(s))).toBe('malformed_header');
      expect(await reason(withSig(`V1,${s}`))).toBe('malformed_header');
      expect(await reason(withSig(`v1,v1,${s}`))).toBe('malformed_header');
      expect(await reason(withSig(`v1, ${s}`))).toBe('malformed_header');
      expect(await reason(withSig(`v2,${s}`))).toBe('invalid_signature');
      expect(await reason(withSig(`v1a,${s}`))).toBe('invalid_signature');
      expect(await reason(withSig(`v1,${s.slice(0, -2)}`))).toBe('invalid_signature');
      expect(await reason(withSig(`v1,AAAA${s}`))).toBe('invalid_signature');
      // Padding in the middle is not base64.
      expect(await reason(withSig(`v1,${s}AA`))).toBe('malformed_header');
      expect(await reason(withSig(`v1,${s.replace(/=+$/, '')}`))).toBe('invalid_signature');
      expect(await reason(withSig(`v1,${s.toLowerCase()}`))).toBe('invalid_signature');
      // A valid entry among others is enough, as the spec says.
      await expect(verifyWebhook(withSig(`v1,AAAA v2,${s}  v1,${s}`))).resolves.toMatchObject({ type: 'sdk.hello' });
    });

    it('secrets that cannot be right, unknown schemes, a parsed body', async () => {
      expect(await reason({ ...base(), secret: '' })).toBe('invalid_secret');
      expect(await reason({ ...base(), secret: [] })).toBe('invalid_secret');
      expect(await reason({ ...base(), secret: 'whsec_' })).toBe('invalid_secret');
      expect(await reason({ ...base(), secret: 'whsec_not base64!' })).toBe('invalid_secret');
      expect(await reason({ ...base(), scheme: 'md5' as never })).toBe('unknown_scheme');
      await expect(verifyWebhook({ ...base(), body: JSON.parse(base().body) })).rejects.toThrow(TypeError);
      // The bare base64 form of the same secret is the same key (Standard Webhooks libraries accept both).
      await expect(verifyWebhook({ ...base(), secret: base().secret.slice('whsec_'.length) })).resolves.toMatchObject({ type: 'sdk.hello' });
    });
  });

  describe.each(['x-signature', 'agentgateway', 'github', 'callback'] as const)('attacks on a real %s delivery', (scheme) => {
    const header = { 'x-signature': 'x-signature', agentgateway: 'x-agentgateway-signature', github: 'x-hub-signature-256', callback: 'x-signature' }[scheme];
    const base = () => ({ secret: endpoints[scheme].secret, headers: headersOf(sample[scheme]), body: sample[scheme].body, scheme });
    const withSig = (value: string) => ({ ...base(), headers: { ...base().headers, [header]: value } });
    const prefixed = scheme === 'github' || scheme === 'callback';
    const hex = () => base().headers[header]!.replace(/^sha256=/, '');

    it('tampered body, wrong secret, another body, empty secret', async () => {
      await expect(verifyWebhook(base())).resolves.toMatchObject({ type: 'sdk.hello' });
      expect(await reason({ ...base(), body: base().body.replace('"sdk.hello"', '"sdk.hellp"') })).toBe('invalid_signature');
      expect(await reason({ ...base(), secret: base().secret + 'x' })).toBe('invalid_signature');
      const other = await delivered(scheme);
      expect(await reason({ ...base(), body: other.body })).toBe('invalid_signature');
      expect(await reason({ ...base(), secret: '' })).toBe('invalid_secret');
    });

    it('upper-case hex is the same signature; upper-casing does not make a wrong one right', async () => {
      const upper = (prefixed ? 'SHA256=' : '') + hex().toUpperCase();
      await expect(verifyWebhook(withSig(upper))).resolves.toMatchObject({ type: 'sdk.hello' });
      const flipped = hex().replace(/^./, (c) => (c === '0' ? '1' : '0'));
      expect(await reason(withSig((prefixed ? 'sha256=' : '') + flipped.toUpperCase()))).toBe('invalid_signature');
    });

    it('malformed and missing signature headers', async () => {
      expect(await reason(withSig('zz'))).toBe('malformed_header');
      expect(await reason(withSig((prefixed ? 'sha256=' : '') + hex().slice(1)))).toBe('malformed_header');
      expect(await reason(withSig(prefixed ? hex() : `sha256=${hex()}`))).toBe('malformed_header');
      expect(await reason(withSig(''))).toBe('missing_header');
      const { [header]: _gone, ...rest } = base().headers;
      expect(await reason({ ...base(), headers: rest })).toBe('missing_header');
    });

    if (scheme === 'agentgateway' || scheme === 'callback') {
      const tsHeader = scheme === 'agentgateway' ? 'x-agentgateway-timestamp' : 'x-timestamp';
      it('timestamps: too old, in the future, rewritten, missing, malformed', async () => {
        const ts = Number(base().headers[tsHeader]);
        expect(await reason({ ...base(), now: (ts + 301) * 1000 })).toBe('timestamp_too_old');
        expect(await reason({ ...base(), now: (ts - 301) * 1000 })).toBe('timestamp_in_future');
        expect(await reason({ ...base(), headers: { ...base().headers, [tsHeader]: String(ts + 1) } })).toBe('invalid_signature');
        expect(await reason({ ...base(), headers: { ...base().headers, [tsHeader]: 'yesterday' } })).toBe('malformed_header');
        const { [tsHeader]: _gone, ...rest } = base().headers;
        expect(await reason({ ...base(), headers: rest })).toBe('missing_header');
      });
    }
  });
});
