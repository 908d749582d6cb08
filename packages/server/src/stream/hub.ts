import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { type Clock, systemClock } from '../util/index.js';
import { fitJson } from './fit.js';
import { compileFilter, type StreamFilter, type StreamScope, type StreamTopic } from './topics.js';

/** Largest JSON of one message's data; leaves room for the envelope within NOTIFY's limit. */
export const MAX_DATA_BYTES = 7000;
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_NOTIFY_BYTES = 7900;
/** Messages waiting for NOTIFY; past this, new ones are dropped (and counted). */
const MAX_OUTBOX = 10_000;
/** Room for a payload's own fields around its messages. */
const PAYLOAD_HEAD_BYTES = 64;
/** Messages sent to the database in one round trip. */
const NOTIFY_BATCH = 2000;
/**
 * How long a publisher trusts its answer to "has another process subscribers?". A process
 * that gains its first subscriber announces itself and then waits this long before its
 * connection is ready, so every publisher has asked again by then: no message sent after
 * `ready` is skipped for want of a listener.
 */
export const LISTENERS_TTL_MS = 500;

/**
 * How hubs of processes sharing one database reach each other (PostgreSQL LISTEN/NOTIFY on
 * a channel of the schema). The Store provides it; SQLite has one process and no bridge.
 */
export interface StreamBridge {
  notifyStream(payloads: string[]): Promise<void>;
  listenStream(onPayload: (payload: string) => void): Promise<StreamListening>;
  /** Whether another process has announced subscribers; while none has, nothing is sent. */
  streamHasListeners(): Promise<boolean>;
}

/** This process's hold on the bridge (see Store.listenStream). */
export interface StreamListening {
  announce(present: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface StreamMessage {
  topic: StreamTopic;
  scope: StreamScope;
  /** When it was emitted (ISO 8601). */
  at: string;
  /** The data as JSON, already cut to MAX_DATA_BYTES (see fitJson). */
  json: string;
}

export type DropReason = 'slow_client' | 'backlog' | 'notify_failed' | 'too_large';

export interface StreamHubOptions {
  log: Logger;
  clock?: Clock;
  registry?: Registry;
  bridge?: StreamBridge;
}

/** What emitters need: runs/, and app.ts on behalf of delivery/ and events/. */
export type StreamEmitter = Pick<StreamHub, 'emit'>;

interface Subscription {
  matches: (topic: string, scope: StreamScope) => boolean;
  fn: (m: StreamMessage) => void;
}

/**
 * The live stream inside one process: emitters call `emit`, WebSocket sessions `subscribe`.
 * With a bridge, every message also goes to the other processes on the same database, and
 * theirs come in here; a message carries its hub's id so a hub ignores its own echo.
 * Nothing here is durable: a message no one is listening for is gone, and one that cannot be
 * passed on in time is dropped and counted. The database is the record.
 */
export class StreamHub {
  private readonly origin = randomBytes(6).toString('hex');
  private readonly clock: Clock;
  private readonly subs = new Set<Subscription>();
  private outbox: string[] = [];
  private notifySeq = 0;
  private flushing: Promise<void> | undefined;
  private listening: StreamListening | undefined;
  /** Connections that hold this process's presence (see hold). */
  private holders = 0;
  /** This process's announcement in progress or done, while it has holders. */
  private presence: Promise<void> | undefined;
  /** Whether another process had subscribers, and when (monotonic ms) the question was asked. */
  private others: { listening: boolean; askedAt: number } | undefined;
  readonly dropped: Counter<'reason'>;
  readonly connections: Gauge;

  constructor(private readonly options: StreamHubOptions) {
    this.clock = options.clock ?? systemClock;
    const registers = options.registry ? [options.registry] : [];
    this.dropped = new Counter({
      name: 'hookline_stream_dropped_total',
      help: "Live-stream messages not delivered: slow_client (a socket's send buffer was full), backlog/notify_failed (not passed to other processes), too_large.",
      labelNames: ['reason'],
      registers,
    });
    this.connections = new Gauge({ name: 'hookline_stream_connections', help: 'Open live-stream WebSocket connections in this process.', registers });
  }

  /** Starts receiving the other processes' messages (only processes serving sockets need them). */
  async listen(): Promise<void> {
    if (this.options.bridge && !this.listening) this.listening = await this.options.bridge.listenStream((p) => this.receive(p));
  }

  /** Stops receiving, and sends what is still waiting for the other processes. */
  async stop(): Promise<void> {
    await this.listening?.stop();
    this.listening = undefined;
    while (this.flushing) await this.flushing;
  }

  /**
   * Holds this process's presence for a client about to subscribe: the other processes send
   * their messages while any process holds one. Resolves once they all know (the first
   * holder waits LISTENERS_TTL_MS); returns the release. Immediate without a bridge.
   */
  async hold(): Promise<() => void> {
    const listening = this.listening;
    if (!listening) return () => {};
    this.holders++;
    this.presence ??= listening.announce(true).then(() => new Promise<void>((r) => setTimeout(r, LISTENERS_TTL_MS)));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (--this.holders > 0) return;
      this.presence = undefined;
      listening.announce(false).catch((err) => this.options.log.warn({ err }, "stream: withdrawing this process's presence failed; its connection ends it"));
    };
    try {
      await this.presence;
    } catch (err) {
      release();
      throw err;
    }
    return release;
  }

  /** Delivers a message to local subscribers now and queues it for the other processes. */
  emit(topic: StreamTopic, data: unknown, scope: StreamScope = {}): void {
    // Nobody here and, as of moments ago, nobody elsewhere: not even worth building.
    if (!this.subs.size && (!this.options.bridge || this.othersKnownAbsent())) return;
    const m: StreamMessage = { topic, scope, at: new Date(this.clock.now()).toISOString(), json: fitJson(data, MAX_DATA_BYTES).json };
    this.deliver(m);
    if (this.options.bridge) this.enqueue(m);
  }

  /** Calls `fn` for every message `filter` selects; returns the unsubscribe function. */
  subscribe(filter: StreamFilter, fn: (m: StreamMessage) => void): () => void {
    const s = { matches: compileFilter(filter), fn };
    this.subs.add(s);
    return () => void this.subs.delete(s);
  }

  recordDropped(reason: DropReason, n = 1): void {
    this.dropped.inc({ reason }, n);
  }

  private deliver(m: StreamMessage): void {
    for (const s of this.subs) {
      if (!s.matches(m.topic, m.scope)) continue;
      try {
        s.fn(m);
      } catch (err) {
        this.options.log.error({ err }, 'stream: a subscriber failed');
      }
    }
  }

  private enqueue(m: StreamMessage): void {
    if (this.outbox.length >= MAX_OUTBOX) return this.recordDropped('backlog');
    this.outbox.push(`{"t":${JSON.stringify(m.topic)},"a":"${m.at}","s":${JSON.stringify(m.scope)},"d":${m.json}}`);
    // One turn's worth of messages goes out together.
    this.flushing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flushLoop());
  }

  private othersKnownAbsent(): boolean {
    return this.others !== undefined && !this.others.listening && performance.now() - this.others.askedAt < LISTENERS_TTL_MS;
  }

  /** Asks the bridge again once the last answer is LISTENERS_TTL_MS old; counts from before asking. */
  private async othersListening(): Promise<boolean> {
    if (this.others && performance.now() - this.others.askedAt < LISTENERS_TTL_MS) return this.others.listening;
    const askedAt = performance.now();
    try {
      this.others = { listening: await this.options.bridge!.streamHasListeners(), askedAt };
    } catch {
      return true; // unknown: send, and let a failed NOTIFY be counted as such
    }
    // An answer that took longer than it may be trusted says nothing about what was queued meanwhile.
    return this.others.listening || performance.now() - askedAt >= LISTENERS_TTL_MS;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.outbox.length) {
        if (!(await this.othersListening())) {
          // Queued before now, while no other process had a subscriber (or none was ready yet).
          this.outbox = [];
          continue;
        }
        const batch = this.outbox.splice(0, NOTIFY_BATCH);
        try {
          await this.options.bridge!.notifyStream(this.pack(batch));
        } catch (err) {
          this.recordDropped('notify_failed', batch.length);
          this.options.log.warn(
            { err, count: batch.length },
            'stream: passing messages to other processes failed; they are dropped (the live view is not the durable path)',
          );
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Packs messages into as few NOTIFY payloads as fit; each payload is numbered (PostgreSQL folds identical payloads). */
  private pack(messages: string[]): string[] {
    const out: string[] = [];
    let current: string[] = [];
    let size = 0;
    const head = () => `{"o":"${this.origin}","n":${++this.notifySeq},"m":[`;
    const close = () => {
      if (current.length) out.push(head() + current.join(',') + ']}');
      current = [];
      size = 0;
    };
    for (const m of messages) {
      const n = Buffer.byteLength(m) + 1;
      if (n + PAYLOAD_HEAD_BYTES > MAX_NOTIFY_BYTES) {
        this.recordDropped('too_large');
        continue;
      }
      if (size + n + PAYLOAD_HEAD_BYTES > MAX_NOTIFY_BYTES) close();
      current.push(m);
      size += n;
    }
    close();
    return out;
  }

  private receive(payload: string): void {
    if (!this.subs.size) return;
    let p: { o: string; m: { t: StreamTopic; a: string; s: StreamScope; d: unknown }[] };
    try {
      p = JSON.parse(payload);
    } catch {
      return;
    }
    if (p.o === this.origin) return;
    for (const m of p.m) this.deliver({ topic: m.t, at: m.a, scope: m.s, json: JSON.stringify(m.d) });
  }
}
