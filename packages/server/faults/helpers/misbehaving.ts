/**
 * Receivers that misbehave on purpose, all on 127.0.0.1: raw `net` servers (so the bytes on
 * the wire are exactly what a broken or hostile receiver would send) and one real HTTP server
 * that answers with an enormous body. Each counts the requests it saw per `webhook-id`, so a
 * test can compare what reached the receiver with the attempts Hookline recorded.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** What a raw receiver parsed from one request (head and body, read by Content-Length). */
export interface RawRequest {
  path: string;
  webhookId: string;
}

type RawHandler = (socket: Socket, req: RawRequest) => void;

/** Reads one HTTP/1.1 request off each connection, then hands the socket to `handle`. */
export class RawReceiver {
  /** Requests seen per webhook-id (= per event). */
  readonly seen = new Map<string, number>();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(private readonly handle: RawHandler) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get requests(): number {
    let n = 0;
    for (const c of this.seen.values()) n += c;
    return n;
  }

  /** A timer that dies with the receiver (trickling writers use it). */
  every(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setInterval(fn, ms);
    this.timers.add(t);
    return t;
  }

  stop(t: NodeJS.Timeout): void {
    clearInterval(t);
    this.timers.delete(t);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      socket.off('data', onData);
      const req: RawRequest = { path: head.split(' ')[1] ?? '', webhookId: /\r\nwebhook-id:\s*(\S+)/i.exec(head)?.[1] ?? '' };
      this.seen.set(req.webhookId, (this.seen.get(req.webhookId) ?? 0) + 1);
      this.handle(socket, req);
    };
    socket.on('data', onData);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Accepts, reads the request, and never answers. */
export const blackHole = () => new RawReceiver(() => {});

/** Destroys the connection with a TCP RST once the request has arrived, before any answer. */
export const resetter = () => new RawReceiver((socket) => socket.resetAndDestroy());

/**
 * Answers one byte per second. `head`: the status line itself trickles. `body`: the status line
 * and headers arrive at once, then a 100-byte body trickles, so no idle timeout ever fires and
 * only an overall deadline can end the exchange.
 */
export function trickle(mode: 'head' | 'body'): RawReceiver {
  const rx: RawReceiver = new RawReceiver((socket) => {
    const body = 'x'.repeat(100);
    const head = `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    let rest = mode === 'head' ? head + body : body;
    if (mode === 'body') socket.write(head);
    const t = rx.every(1000, () => {
      if (!rest.length || socket.destroyed) return rx.stop(t);
      socket.write(rest[0]!);
      rest = rest.slice(1);
    });
    socket.on('close', () => rx.stop(t));
  });
  return rx;
}

/**
 * A real HTTP server that answers 200 with a `bytes`-long body, written with backpressure
 * (so this side never holds it in memory), and notes how much of it the client took.
 */
export class HugeAnswer {
  readonly seen = new Map<string, number>();
  /** Per answer: bytes handed to the socket, and whether the whole body went out. */
  readonly answers: { written: number; finished: boolean }[] = [];
  private readonly server: HttpServer;
  url = '';

  constructor(readonly bytes: number) {
    const chunk = Buffer.alloc(64 * 1024, 'z');
    this.server = createHttpServer((req, res) => {
      const id = String(req.headers['webhook-id'] ?? '');
      this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
      req.resume();
      const answer = { written: 0, finished: false };
      this.answers.push(answer);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(bytes) });
      res.on('finish', () => (answer.finished = true));
      const pump = () => {
        while (answer.written < bytes && !res.destroyed) {
          const n = Math.min(chunk.length, bytes - answer.written);
          answer.written += n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        if (answer.written >= bytes) res.end();
      };
      pump();
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** The q-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))]!;
}
