import WebSocket from 'ws';
import { CliError, EXIT } from './errors.js';

/** A `message` frame of /api/v1/stream (docs/streaming.md). */
export interface StreamMessage {
  subscription: string;
  topic: string;
  data: Record<string, any>;
  at: string;
}

export interface LiveStreamOptions {
  baseUrl: string;
  apiKey: string;
  /** The one subscription this client holds: `{id, topics, ...filters}`. */
  subscription: { id: string; topics: string[] } & Record<string, unknown>;
  /** Subscribed (again, after a reconnect): catch up on what was missed through the API here. */
  onSubscribed(again: boolean): void;
  onMessage(m: StreamMessage): void;
  /** The server dropped `count` messages because this client fell behind. */
  onDropped?(count: number): void;
  /** The connection went away; it is retried in `retryInMs`. */
  onDisconnect?(why: string, retryInMs: number): void;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * The live stream with reconnects: exponential backoff (0.5 s doubling to 30 s, with jitter),
 * reset once a connection is subscribed. A refused key (4401) or a refused subscription ends
 * it with an error; so does a first connection that fails (no server there at all), because
 * retrying forever would hide a wrong URL.
 */
export class LiveStream {
  private ws: WebSocket | undefined;
  private stopped = false;
  private attempt = 0;
  private everSubscribed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private settle: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly options: LiveStreamOptions) {}

  /** Runs until stop() (resolves) or a fatal error (rejects). */
  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.connect();
    });
  }

  stop(): void {
    this.end(undefined);
  }

  private fail(err: Error): void {
    this.end(err);
  }

  /** Closes the socket for good and settles run(): resolved after stop(), rejected with a fatal error. */
  private end(err: Error | undefined): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.ws?.removeAllListeners();
    this.ws?.on('error', () => {});
    this.ws?.terminate();
    if (err) this.settle?.reject(err);
    else this.settle?.resolve();
  }

  private connect(): void {
    const url = this.options.baseUrl.replace(/^http/, 'ws') + '/api/v1/stream';
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.options.apiKey}` }, handshakeTimeout: 15_000 });
    this.ws = ws;
    let lastError = '';
    let subscribed = false;
    ws.on('error', (err: Error & { code?: string }) => {
      lastError = err.code ?? err.message;
    });
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      if (status === 401 || status === 403)
        return this.fail(
          new CliError(
            `the server refused the API key for the live stream (HTTP ${status})`,
            EXIT.auth,
            'unauthorized',
            'check --api-key, HOOKLINE_API_KEY or your profile (hookline login)',
          ),
        );
      if (status === 404)
        return this.fail(
          new CliError(`${this.options.baseUrl} has no live stream (/api/v1/stream answered 404)`, EXIT.failure, 'no_stream', 'is the URL a Hookline server?'),
        );
      lastError = `HTTP ${status}`;
      ws.terminate();
    });
    ws.on('message', (raw) => {
      let m: Record<string, any>;
      try {
        m = JSON.parse(raw.toString()) as Record<string, any>;
      } catch {
        return;
      }
      if (m.type === 'ready') {
        ws.send(JSON.stringify({ type: 'subscribe', ...this.options.subscription }));
      } else if (m.type === 'subscribed' && m.id === this.options.subscription.id) {
        subscribed = true;
        const again = this.everSubscribed;
        this.everSubscribed = true;
        this.attempt = 0;
        this.options.onSubscribed(again);
      } else if (m.type === 'message' && m.subscription === this.options.subscription.id) {
        this.options.onMessage(m as unknown as StreamMessage);
      } else if (m.type === 'dropped') {
        this.options.onDropped?.(Number(m.count) || 0);
      } else if (m.type === 'error' && (m.id === this.options.subscription.id || !subscribed)) {
        this.fail(new CliError(`the server refused the subscription: ${m.message} (${m.code})`, EXIT.usage, String(m.code), 'check the --events patterns'));
      }
    });
    ws.on('close', (code, reason) => {
      if (this.stopped || ws !== this.ws) return;
      if (code === 4401)
        return this.fail(
          new CliError(
            `the server refused the API key for the live stream: ${reason.toString() || 'unauthorized'}`,
            EXIT.auth,
            'unauthorized',
            'check --api-key, HOOKLINE_API_KEY or your profile (hookline login)',
          ),
        );
      if (!this.everSubscribed && this.attempt === 0 && !subscribed && lastError) {
        return this.fail(
          new CliError(
            `cannot reach ${this.options.baseUrl}: ${lastError}`,
            EXIT.connection,
            'connection_failed',
            'is `hookline serve` running there? check --url, HOOKLINE_URL or your profile',
          ),
        );
      }
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt++;
      const why = code === 1001 ? 'the server is shutting down' : code === 1013 ? 'the server is at its connection limit' : lastError || `closed (${code})`;
      this.options.onDisconnect?.(why, Math.round(delay));
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }
}
