import type { FastifyBaseLogger } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import { type ApiKeys, scopeOfKey } from '../keys/index.js';
import type { KeyScope, Tenant } from '../tenants/index.js';
import { UserError } from '../errors/index.js';
import { checkEventTypePatterns, checkTopicPattern, type StreamFilter, type StreamHub, type StreamMessage } from '../stream/index.js';

/** Close codes a client acts on: 4401 = fix the key (do not retry as is), 1013 = retry later. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_GOING_AWAY = 1001;

export interface StreamLimits {
  /** Most open connections in this process. */
  maxConnections: number;
  maxSubscriptions: number;
  /** Bytes that may wait to be sent to one client before its messages are dropped. */
  sendBufferBytes: number;
  pingIntervalMs: number;
  authTimeoutMs: number;
}

export interface SessionDeps {
  hub: StreamHub;
  /** Checks the credential (an API key, or a session cookie standing for one): the key's row while it is live. */
  keys: Pick<ApiKeys, 'verify'>;
  limits: StreamLimits;
  log: Pick<FastifyBaseLogger, 'error'>;
  /** The tenant a key of `scope` acts in (the connection's Hookline-Org / Hookline-Env headers decide, as for any request); throws a UserError when it may not. */
  tenantOf: (scope: KeyScope) => Promise<Tenant>;
}

const ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_TOPICS = 20;
const SUBSCRIBE_FIELDS = new Set(['type', 'id', 'topics', 'agent_id', 'run_id', 'endpoint_id', 'crew_id', 'bin', 'event_types']);

type State = 'awaiting_auth' | 'authenticating' | 'ready' | 'closed';

class BadMessage extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One client of /api/v1/stream: authentication (header, or an `auth` first message), its
 * subscriptions, and a bounded send buffer. The protocol is documented in docs/streaming.md.
 */
export class StreamSession {
  private state: State = 'awaiting_auth';
  /** Messages that arrived while the key was being checked; handled once it is. */
  private early: RawData[] = [];
  private key: string | undefined;
  /** The id of the API key this connection authenticated with (also for a session cookie). */
  private keyId: string | undefined;
  /** The tenant this connection acts in: it receives only that tenant's messages. */
  private tenant: Tenant | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private readonly subs = new Map<string, () => void>();
  /** Messages dropped since the client last caught up. */
  private dropped = 0;
  private alive = true;
  /** Ends this connection's hold on the other processes' messages (see StreamHub.hold). */
  private releasePresence: (() => void) | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly d: SessionDeps,
    headerKey: string | undefined,
  ) {
    // Listeners first, synchronously: a client may write before the key check returns.
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.dispose());
    if (headerKey !== undefined) void this.authenticate(headerKey);
    else this.authTimer = setTimeout(() => this.refuse('no API key: send "Authorization: Bearer hl_sk_…" or an auth message first'), d.limits.authTimeoutMs);
  }

  /**
   * Called every ping interval: a client that did not answer the last ping is gone; a key
   * revoked since the connection was opened ends it.
   */
  heartbeat(): void {
    if (this.state === 'closed') return;
    if (!this.alive) return void this.ws.terminate();
    this.alive = false;
    this.ws.ping();
    const key = this.key;
    if (this.state === 'ready' && key) {
      void this.d.keys.verify(key).then(
        (row) => row || this.refuse('the API key was revoked'),
        () => {},
      );
    }
  }

  /** A key was revoked in this process: if it is this connection's, the connection ends now. */
  keyRevoked(id: string): void {
    if (this.state === 'ready' && this.keyId === id) this.refuse('the API key was revoked');
  }

  /** Server shutdown: say so, and do not wait long for a client that does not answer. */
  shutdown(): void {
    this.ws.close(CLOSE_GOING_AWAY, 'server shutting down');
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private async authenticate(key: string): Promise<void> {
    this.state = 'authenticating';
    clearTimeout(this.authTimer);
    let row;
    try {
      row = await this.d.keys.verify(key);
    } catch (err) {
      this.d.log.error({ err }, 'stream: checking an API key failed');
      return void this.ws.close(1011, 'internal error');
    }
    if (this.state !== 'authenticating') return;
    if (!row) return this.refuse('invalid or revoked API key');
    let tenant: Tenant;
    try {
      tenant = await this.d.tenantOf(scopeOfKey(row));
    } catch (err) {
      if (!(err instanceof UserError)) {
        this.d.log.error({ err }, 'stream: finding the tenant of a connection failed');
        return void this.ws.close(1011, 'internal error');
      }
      return this.refuse(err.message);
    }
    if (this.state !== 'authenticating') return;
    try {
      // Other processes send their messages only while some process has a client; once this
      // resolves they do, so nothing published after `ready` is missed.
      const release = await this.d.hub.hold();
      if (this.state !== 'authenticating') return release();
      this.releasePresence = release;
    } catch (err) {
      this.d.log.error({ err }, "stream: announcing this process's subscribers failed");
      return void this.ws.close(1011, 'internal error');
    }
    this.key = key;
    this.keyId = row.id;
    this.tenant = tenant;
    this.state = 'ready';
    this.sendJson({ type: 'ready' });
    for (const data of this.early.splice(0)) this.handle(data);
  }

  private refuse(message: string): void {
    if (this.state === 'closed') return;
    this.sendJson({ type: 'error', code: 'unauthorized', message });
    this.ws.close(CLOSE_UNAUTHORIZED, message.slice(0, 120));
    this.dispose();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.alive = true;
    if (this.state === 'authenticating') return void this.early.push(data);
    if (this.state === 'awaiting_auth') {
      const m = isBinary ? undefined : parse(data);
      if (m?.type === 'auth' && typeof m.api_key === 'string') return void this.authenticate(m.api_key);
      return this.refuse('the first message must be {"type":"auth","api_key":"hl_sk_…"}');
    }
    if (this.state === 'ready') this.handle(data, isBinary);
  }

  private handle(data: RawData, isBinary = false): void {
    let m: Record<string, unknown> | undefined;
    try {
      if (isBinary) throw new BadMessage('invalid_message', 'send JSON text frames');
      m = parse(data);
      if (!m) throw new BadMessage('invalid_json', 'a message must be a JSON object');
      if (m.type === 'ping') return this.sendJson({ type: 'pong' });
      if (m.type === 'subscribe') return this.subscribe(m);
      if (m.type === 'unsubscribe') return this.unsubscribe(m);
      if (m.type === 'auth') throw new BadMessage('already_authenticated', 'this connection is already authenticated');
      throw new BadMessage('unknown_type', `unknown message type ${JSON.stringify(m.type)}: use subscribe, unsubscribe or ping`);
    } catch (err) {
      if (!(err instanceof BadMessage)) throw err;
      const id = typeof m?.id === 'string' ? { id: m.id } : {};
      this.sendJson({ type: 'error', code: err.code, message: err.message, ...id });
    }
  }

  private subscribe(m: Record<string, unknown>): void {
    const id = m.id;
    if (typeof id !== 'string' || !ID_RE.test(id)) throw new BadMessage('invalid_subscription', '`id` must be 1–64 letters, digits or ._:-');
    const unknown = Object.keys(m).filter((k) => !SUBSCRIBE_FIELDS.has(k));
    if (unknown.length) throw new BadMessage('invalid_subscription', `unknown field(s) ${unknown.join(', ')}`);
    const topics = m.topics;
    if (!Array.isArray(topics) || !topics.length || topics.length > MAX_TOPICS || !topics.every((t) => typeof t === 'string')) {
      throw new BadMessage('invalid_subscription', `\`topics\` must be a list of 1–${MAX_TOPICS} topic patterns, e.g. ["run.*"]`);
    }
    for (const t of topics) {
      const bad = checkTopicPattern(t);
      if (bad) throw new BadMessage('unknown_topic', bad);
    }
    const env = this.tenant!.envId;
    const filter: StreamFilter = { topics, env_id: env };
    for (const k of ['agent_id', 'run_id', 'endpoint_id', 'crew_id', 'bin'] as const) {
      if (m[k] === undefined) continue;
      if (typeof m[k] !== 'string' || !m[k]) throw new BadMessage('invalid_subscription', `\`${k}\` must be a non-empty string`);
      filter[k] = m[k];
    }
    if (m.event_types !== undefined) {
      const types = m.event_types;
      if (!Array.isArray(types) || !types.every((t) => typeof t === 'string'))
        throw new BadMessage('invalid_subscription', '`event_types` must be a list of event-type patterns');
      const bad = checkEventTypePatterns(types);
      if (bad) throw new BadMessage('invalid_subscription', bad);
      filter.event_types = types;
    }
    // The same id again replaces that subscription (what a reconnecting client does anyway).
    if (!this.subs.has(id) && this.subs.size >= this.d.limits.maxSubscriptions) {
      throw new BadMessage('too_many_subscriptions', `at most ${this.d.limits.maxSubscriptions} subscriptions per connection`);
    }
    this.subs.get(id)?.();
    const prefix = `{"type":"message","subscription":${JSON.stringify(id)},"topic":`;
    this.subs.set(
      id,
      this.d.hub.subscribe(filter, (msg: StreamMessage) => this.send(`${prefix}"${msg.topic}","data":${msg.json},"at":"${msg.at}"}`)),
    );
    this.sendJson({ type: 'subscribed', id });
  }

  private unsubscribe(m: Record<string, unknown>): void {
    const id = m.id;
    const off = typeof id === 'string' ? this.subs.get(id) : undefined;
    if (!off) throw new BadMessage('unknown_subscription', `no subscription ${JSON.stringify(id)} on this connection`);
    off();
    this.subs.delete(id as string);
    this.sendJson({ type: 'unsubscribed', id });
  }

  private sendJson(v: unknown): void {
    this.send(JSON.stringify(v));
  }

  /**
   * Sends unless the client is too far behind; then the message is dropped and counted. The
   * last message sent while the buffer is high carries a callback: once it is written out the
   * client has caught up and learns how many it missed.
   */
  private send(frame: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const limit = this.d.limits.sendBufferBytes;
    if (this.ws.bufferedAmount > limit) {
      this.dropped++;
      this.d.hub.recordDropped('slow_client');
      return;
    }
    if (this.dropped) this.caughtUp();
    this.ws.send(frame, this.ws.bufferedAmount + frame.length > limit / 2 ? () => this.caughtUp() : undefined);
  }

  private caughtUp(): void {
    if (!this.dropped || this.ws.readyState !== WebSocket.OPEN || this.ws.bufferedAmount > this.d.limits.sendBufferBytes / 2) return;
    const count = this.dropped;
    this.dropped = 0;
    this.ws.send(JSON.stringify({ type: 'dropped', count }));
  }

  private dispose(): void {
    this.state = 'closed';
    clearTimeout(this.authTimer);
    this.early = [];
    for (const off of this.subs.values()) off();
    this.subs.clear();
    this.releasePresence?.();
    this.releasePresence = undefined;
  }
}

function parse(data: RawData): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(data.toString());
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
