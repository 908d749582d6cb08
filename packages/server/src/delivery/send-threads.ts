/**
 * Webhook requests sent from worker threads, so the HTTP client's work (undici's parser,
 * socket reads and writes, timers) runs on another core than the dispatcher and its database
 * writes. The main thread keeps every decision: it prepares, signs and records; a thread only
 * turns a SendRequest into a SendResult, exactly as HttpSender does in-process.
 *
 * Requests and results cross in batches (one message per turn of either event loop), since a
 * message costs far more than the few hundred bytes it carries. A thread that dies reports its
 * open requests as failed attempts (network_error): they are retried, as after a lost connection.
 */
import { Worker } from 'node:worker_threads';
import { noAnswer, type SendRequest, type SendResult } from './http-sender.js';

export interface SendThreadSettings {
  allowNetworks: string[];
  /** Sockets per origin, per thread. */
  connections: number;
}

interface SendThreadOptions extends SendThreadSettings {
  /** The thread's entry module: send-thread.js, unless a test gives one that misbehaves. */
  script?: URL;
}

export type ToThread = { kind: 'send'; requests: [number, SendRequest][] } | { kind: 'close' | 'destroy' };

export type FromThread = { kind: 'results'; results: [number, SendResult][] } | { kind: 'closed' };

/**
 * The thread runs compiled code. Under the test runner this module is loaded from its
 * TypeScript source, and the thread then runs the built copy (`npm test` builds first).
 */
function threadScript(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../../dist/delivery/send-thread.js', here) : new URL('./send-thread.js', here);
}

class SendThread {
  private readonly worker: Worker;
  private outbox: [number, SendRequest][] = [];
  private readonly open = new Map<number, (result: SendResult) => void>();
  private closing: (() => void) | undefined;
  private exited = false;

  constructor(
    { script, ...settings }: SendThreadOptions,
    private readonly onExit: (thread: SendThread, err: Error | undefined) => void,
  ) {
    this.worker = new Worker(script ?? threadScript(), { workerData: settings satisfies SendThreadSettings, name: 'hookline-send' });
    this.worker.on('message', (message: FromThread) => this.receive(message));
    let failure: Error | undefined;
    this.worker.on('error', (err) => (failure = err));
    this.worker.on('exit', (code) => this.exit(failure ?? (code === 0 ? undefined : new Error(`send thread exited with code ${code}`))));
    // Idle threads do not keep the process up; open requests do (as in-process sends would).
    this.worker.unref();
  }

  /** Requests sent or queued here and not yet answered. */
  get load(): number {
    return this.open.size;
  }

  send(id: number, request: SendRequest, resolve: (result: SendResult) => void): void {
    if (this.open.size === 0) this.worker.ref();
    this.open.set(id, resolve);
    this.outbox.push([id, request]);
    // Everything queued in this turn (a claim launches its whole batch synchronously) goes together.
    if (this.outbox.length === 1) queueMicrotask(() => this.post());
  }

  private post(): void {
    const requests = this.outbox;
    this.outbox = [];
    if (requests.length && !this.exited) this.worker.postMessage({ kind: 'send', requests } satisfies ToThread);
  }

  private receive(message: FromThread): void {
    if (message.kind === 'closed') {
      this.closing?.();
      return;
    }
    for (const [id, result] of message.results) {
      const resolve = this.open.get(id);
      this.open.delete(id);
      resolve?.(result);
    }
    if (this.open.size === 0) this.worker.unref();
  }

  private exit(err: Error | undefined): void {
    this.exited = true;
    this.closing?.();
    const message = `the send thread stopped before the answer arrived${err ? ` (${err.message})` : ''}; whether the receiver got the request is unknown`;
    for (const resolve of this.open.values()) resolve(noAnswer({ code: 'network_error', message }));
    this.open.clear();
    this.onExit(this, err);
  }

  /** `close` waits for open requests; `destroy` aborts them. Either way the thread then ends. */
  async end(kind: 'close' | 'destroy'): Promise<void> {
    if (this.exited) return;
    // The answer to this message is all the process may be waiting for.
    this.worker.ref();
    this.post();
    await new Promise<void>((resolve) => {
      this.closing = resolve;
      this.worker.postMessage({ kind } satisfies ToThread);
    });
    await this.worker.terminate();
  }
}

export interface ThreadedSenderOptions extends SendThreadOptions {
  threads: number;
  /** Told when a thread dies unexpectedly (a replacement starts with the next request). */
  onThreadError?: (err: Error) => void;
}

/** Same surface as HttpSender; threads start with start() or the first request, so processes that never deliver spawn none. */
export class ThreadedSender {
  private readonly threads: SendThread[] = [];
  private nextId = 0;
  private ended = false;

  constructor(private readonly options: ThreadedSenderOptions) {
    if (!(options.threads >= 1)) throw new Error('ThreadedSender needs at least one thread');
  }

  send(request: SendRequest): Promise<SendResult> {
    if (this.ended) return Promise.resolve(noAnswer({ code: 'network_error', message: 'the sender is closed' }));
    return new Promise((resolve) => this.leastLoaded().send(++this.nextId, request, resolve));
  }

  /** Starts the threads now rather than with the first request (which would then wait for them to boot). */
  start(): void {
    if (!this.ended) this.spawn();
  }

  private leastLoaded(): SendThread {
    this.spawn();
    let best = this.threads[0]!;
    for (const thread of this.threads) if (thread.load < best.load) best = thread;
    return best;
  }

  private spawn(): void {
    while (this.threads.length < this.options.threads) {
      const { threads: _, onThreadError: __, ...thread } = this.options;
      this.threads.push(new SendThread(thread, (dead, err) => this.lost(dead, err)));
    }
  }

  private lost(thread: SendThread, err: Error | undefined): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
    if (err && !this.ended) this.options.onThreadError?.(err);
  }

  /** Waits for in-flight requests, then ends the threads. */
  async close(): Promise<void> {
    this.ended = true;
    await Promise.all(this.threads.map((thread) => thread.end('close')));
  }

  /** Aborts whatever is still open (shutdown after the grace period; leases bring it back). */
  async destroy(): Promise<void> {
    this.ended = true;
    await Promise.all(this.threads.map((thread) => thread.end('destroy')));
  }
}
