import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { Harness } from '../helpers/hookline.js';

/**
 * The inbound trigger URLs the attack tests aim at, and how a legitimate sender signs for each.
 * The signing here is written from the documentation (docs/webhook-triggers.md), not taken
 * from src, so that it checks the server rather than agreeing with it.
 */
export type TargetKind = 'agent' | 'hookline' | 'github' | 'standard' | 'grafana';

export interface Target {
  kind: TargetKind;
  /** The URL path. */
  path: string;
  secret: string;
  /** The named trigger's id (null for the agent's own URL). */
  triggerId: string | null;
}

export interface SignOptions {
  nowSec: number;
  /** Sign a timestamp too (hookline, grafana: optional; standard: always). */
  timestamp?: boolean;
  /** Override the signed timestamp (to make a stale one). */
  ts?: number;
  /** The sender's delivery id (github `X-GitHub-Delivery`, standard `webhook-id`). */
  deliveryId: string;
  /** Agent URL only: the deprecated plaintext `X-Webhook-Secret` instead of a signature. */
  legacy?: boolean;
}

export const hmac = (key: string | Buffer, ...parts: (string | Buffer)[]) => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The key Standard Webhooks signs with: the base64 after `whsec_`. */
export const standardKey = (secret: string) => Buffer.from(secret.slice('whsec_'.length), 'base64');

/** The scheme's signature header name (lower case). */
export function signatureHeader(kind: TargetKind): string {
  return {
    agent: 'x-signature',
    hookline: 'x-signature',
    github: 'x-hub-signature-256',
    standard: 'webhook-signature',
    grafana: 'x-grafana-alerting-signature',
  }[kind];
}

/** The timestamp header the scheme signs, if any. */
export function timestampHeader(kind: TargetKind): string | undefined {
  return { agent: 'x-timestamp', hookline: 'x-timestamp', github: undefined, standard: 'webhook-timestamp', grafana: 'x-grafana-alerting-timestamp' }[kind];
}

/** The signature value alone, as the scheme's header carries it. */
export function signatureValue(kind: TargetKind, secret: string, body: Buffer, ts: number | string | undefined, id = ''): string {
  switch (kind) {
    case 'agent':
    case 'hookline':
      return (ts === undefined ? hmac(secret, body) : hmac(secret, `${ts}.`, body)).toString('hex');
    case 'github':
      return 'sha256=' + hmac(secret, body).toString('hex');
    case 'standard':
      return 'v1,' + hmac(standardKey(secret), `${id}.${ts}.`, body).toString('base64');
    case 'grafana':
      return (ts === undefined ? hmac(secret, body) : hmac(secret, `${ts}:`, body)).toString('hex');
  }
}

/** The headers a legitimate sender of `kind` puts on `body`. */
export function signedHeaders(t: Target, body: Buffer, o: SignOptions): Record<string, string> {
  if (o.legacy) {
    if (t.kind !== 'agent') throw new Error('only the agent URL takes X-Webhook-Secret');
    return { 'x-webhook-secret': t.secret };
  }
  const withTs = t.kind === 'standard' || (o.timestamp && t.kind !== 'github');
  const ts = withTs ? (o.ts ?? o.nowSec) : undefined;
  const h: Record<string, string> = { [signatureHeader(t.kind)]: signatureValue(t.kind, t.secret, body, ts, o.deliveryId) };
  const tsName = timestampHeader(t.kind);
  if (ts !== undefined && tsName) h[tsName] = String(ts);
  if (t.kind === 'github') Object.assign(h, { 'x-github-event': 'pull_request', 'x-github-delivery': o.deliveryId });
  if (t.kind === 'standard') h['webhook-id'] = o.deliveryId;
  return h;
}

export const STANDARD_SECRET = 'whsec_' + Buffer.alloc(32, 0x5a).toString('base64');

/**
 * A crew, an agent and one named trigger per scheme (plus a disabled one), through the API.
 * `agent` extra fields (e.g. rate_limit_per_minute) go into the agent's creation.
 */
export async function createTargets(h: Harness, crew: string, agent: string, extra: Record<string, unknown> = {}) {
  expect((await h.call('POST', '/api/v1/crews', { id: crew, name: crew })).status).toBe(201);
  const a = await h.call('POST', '/api/v1/agents', {
    id: agent,
    crew_id: crew,
    name: agent,
    runner: 'command',
    runner_config: { command: process.execPath, args: ['-e', ''] },
    ...extra,
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  const named = async (name: string, scheme: string, enabled = true) => {
    const r = await h.call('POST', `/api/v1/agents/${agent}/webhook-triggers`, {
      name,
      scheme,
      enabled,
      ...(scheme === 'standard' ? { secret: STANDARD_SECRET } : {}),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { path: `/api/v1/webhooks/${crew}/${agent}/${name}`, secret: r.body.secret as string, triggerId: r.body.id as string };
  };
  const targets: Record<TargetKind, Target> = {
    agent: { kind: 'agent', path: `/api/v1/webhooks/${crew}/${agent}/trigger`, secret: a.body.webhook_secret, triggerId: null },
    hookline: { kind: 'hookline', ...(await named('hl', 'hookline')) },
    github: { kind: 'github', ...(await named('gh', 'github')) },
    standard: { kind: 'standard', ...(await named('std', 'standard')) },
    grafana: { kind: 'grafana', ...(await named('gf', 'grafana')) },
  };
  /** Correctly signed requests to it answer 403 trigger_disabled, and start nothing. */
  const disabled: Target = { kind: 'hookline', ...(await named('off', 'hookline', false)) };
  return { targets, disabled };
}

/** Runs in the store, all agents (counted through the API, as a client would). */
export async function countRuns(h: Harness): Promise<number> {
  const r = await h.call('GET', '/api/v1/runs?limit=1');
  expect(r.status).toBe(200);
  return r.body.total as number;
}
