import WebSocket from 'ws';

export interface Frame {
  type: string;
  [k: string]: any;
}

/** A real WebSocket client of /api/v1/stream that records every frame and how the socket closed. */
export class StreamClient {
  readonly frames: Frame[] = [];
  closeInfo: { code: number; reason: string } | undefined;
  private waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.notify();
    });
    ws.on('error', () => {});
  }

  /** Opens a socket to `baseUrl` (http://…) + `path`; resolves once it is open (or has closed). */
  static async open(baseUrl: string, o: { key?: string; path?: string; autoPong?: boolean; headers?: Record<string, string> } = {}): Promise<StreamClient> {
    const headers = { ...o.headers, ...(o.key ? { authorization: `Bearer ${o.key}` } : {}) };
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + (o.path ?? '/api/v1/stream'), {
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(o.autoPong === false ? { autoPong: false } : {}),
    });
    const c = new StreamClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('close', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    return c;
  }

  /** Opens a socket authenticated with the header (and any other `headers`, e.g. Hookline-Env) and waits for `ready`. */
  static async ready(baseUrl: string, key: string, headers?: Record<string, string>): Promise<StreamClient> {
    const c = await StreamClient.open(baseUrl, { key, ...(headers ? { headers } : {}) });
    await c.next((f) => f.type === 'ready');
    return c;
  }

  send(v: unknown): void {
    this.ws.send(typeof v === 'string' ? v : JSON.stringify(v));
  }

  /** Subscribes and waits for the confirmation. */
  async subscribe(id: string, topics: string[], filter: Record<string, unknown> = {}): Promise<void> {
    this.send({ type: 'subscribe', id, topics, ...filter });
    await this.next((f) => (f.type === 'subscribed' || f.type === 'error') && f.id === id).then((f) => {
      if (f.type === 'error') throw new Error(`subscribe ${id}: ${f.code} ${f.message}`);
    });
  }

  /** The first frame (from the start) matching `pred`; waits for it up to `ms`. */
  async next(pred: (f: Frame) => boolean, ms = 10_000): Promise<Frame> {
    const found = await this.until(() => this.frames.find(pred), ms, 'a matching frame');
    return found;
  }

  /** Messages of a subscription, in arrival order. */
  messages(subscription: string): Frame[] {
    return this.frames.filter((f) => f.type === 'message' && f.subscription === subscription);
  }

  /** Resolves with how the socket closed; waits up to `ms`. */
  closed(ms = 10_000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closeInfo, ms, 'the socket to close');
  }

  async until<T>(get: () => T | undefined, ms: number, what: string): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = get();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream client: timed out waiting for ${what}; frames: ${JSON.stringify(this.frames.slice(-10))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(left, 200));
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }

  private notify(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}
