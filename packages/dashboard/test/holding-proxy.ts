/**
 * A pass-through proxy on 127.0.0.1 in front of a Hookline that cuts one answer in half: the
 * first request `hold` picks gets its status, headers and the first half of its body, and the
 * rest never comes. The browser's fetch has resolved by then (it resolves on the headers), so
 * whatever the page does next happens while it is reading that body. WebSocket upgrades are
 * passed on only once that half answer is out, so a page's live stream cannot become ready
 * before it.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export class HoldingProxy {
  url = '';
  /** Resolves when the held answer's headers and half its body have been sent. */
  readonly halfSent: Promise<void>;
  /** Resolves when the browser gave up the held answer (closed it before its end). */
  readonly abandoned: Promise<void>;
  private sentHalf!: () => void;
  private gaveUp!: () => void;
  private holding = false;
  private readonly server: Server;
  private readonly tunnels = new Set<Socket>();

  constructor(
    private readonly target: string,
    private readonly hold: (req: IncomingMessage) => boolean,
  ) {
    this.halfSent = new Promise((resolve) => (this.sentHalf = resolve));
    this.abandoned = new Promise((resolve) => (this.gaveUp = resolve));
    this.server = createServer((req, res) => {
      const held = !this.holding && this.hold(req);
      if (held) this.holding = true;
      const upstream = request(new URL(req.url ?? '/', this.target), { method: req.method, headers: req.headers }, (answer) => {
        if (!held) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          res.on('close', () => this.gaveUp());
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => this.sentHalf());
        });
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    this.server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
      this.tunnels.add(client);
      void this.halfSent.then(() => {
        const { port, hostname } = new URL(this.target);
        const upstream = connect(Number(port), hostname, () => {
          const lines = [`${req.method} ${req.url} HTTP/1.1`];
          for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
          upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
          upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        this.tunnels.add(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.tunnels) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
