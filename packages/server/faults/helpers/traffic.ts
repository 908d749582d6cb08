/**
 * Traffic for the fault scenarios: a client that publishes events the way a careful real client
 * does (its own ids, a timeout, 503s retried per Retry-After), and a receiver that feeds what
 * arrives into a Ledger.
 */
import { Receiver } from '../../test/helpers/receiver.js';
import { call } from './serve.js';
import type { Ledger } from './ledger.js';

export interface PublishOptions {
  ledger: Ledger;
  /** Requests open at once. @defaultValue 20 */
  concurrency?: number;
  /** Checked before each request: true stops the burst (the rest are `notTried`). */
  stop?: () => boolean;
  /** Retry 503 + Retry-After answers of the same id, as a client would, for up to this long in total. @defaultValue 0 (no retry) */
  retryUnavailableForMs?: number;
  /** The client's patience per request; a request still open then counts as failed. @defaultValue 10_000 */
  timeoutMs?: number;
  type?: string;
  /** Filled in as answers come, so a scenario can look at it mid-burst (e.g. in a failure message). */
  report?: PublishReport;
}

/** A refusal the service owes the client: 503 with Retry-After and a code. */
export interface Refusal {
  id: string;
  status: number;
  code: string;
  retryAfter: string;
}

export interface PublishReport {
  /** 202, or 200 `duplicate` (an earlier attempt of the id was stored): in the ledger as accepted. */
  accepted: string[];
  /** Network errors and timeouts: the id may or may not be stored; publish it again. */
  failed: { id: string; error: string }[];
  /** 503s given up on (out of retry time, or retrying was off). */
  refused: Refusal[];
  /** Every 503 answer seen, retried ones included. */
  unavailableAnswers: number;
  /** Codes of those 503s, with how often each came. */
  unavailableCodes: Record<string, number>;
  /** Answers no client should get: another status, or a 5xx without Retry-After. */
  violations: string[];
  notTried: string[];
}

function errorText(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string } };
  if (e.name === 'TimeoutError') return 'client timeout';
  return e.cause ? `${e.message}: ${e.cause.code ?? e.cause.message}` : String(e.message ?? err);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const emptyReport = (): PublishReport => ({
  accepted: [],
  failed: [],
  refused: [],
  unavailableAnswers: 0,
  unavailableCodes: {},
  violations: [],
  notTried: [],
});

/** One line about a report, for failure messages. */
export function describeReport(r: PublishReport): string {
  return `accepted ${r.accepted.length}, failed ${r.failed.length} (${r.failed
    .slice(0, 3)
    .map((f) => f.error)
    .join(
      '; ',
    )}), 503s ${r.unavailableAnswers} ${JSON.stringify(r.unavailableCodes)}, refused ${r.refused.length}, violations ${r.violations.length} (${r.violations.slice(0, 3).join('; ')})`;
}

/** Publishes one event per id (`{type, id, data: {id}}`) with `concurrency` lanes. */
export async function publishEvents(base: string, ids: string[], o: PublishOptions): Promise<PublishReport> {
  const report = o.report ?? emptyReport();
  const type = o.type ?? 'fault.tick';
  let next = 0;
  const one = async (id: string) => {
    const giveUpAt = Date.now() + (o.retryUnavailableForMs ?? 0);
    for (;;) {
      let r;
      try {
        r = await call(base, 'POST', '/api/v1/events', { type, id, data: { id } }, o.timeoutMs ?? 10_000);
      } catch (err) {
        return void report.failed.push({ id, error: errorText(err) });
      }
      if (r.status === 202 || (r.status === 200 && r.body?.duplicate === true)) {
        o.ledger.accept(id);
        return void report.accepted.push(id);
      }
      const retryAfter = r.headers.get('retry-after');
      if (r.status === 503 && retryAfter && typeof r.body?.error?.code === 'string') {
        const code = r.body.error.code as string;
        report.unavailableAnswers++;
        report.unavailableCodes[code] = (report.unavailableCodes[code] ?? 0) + 1;
        const waitMs = Number(retryAfter) * 1000;
        if (!Number.isFinite(waitMs) || waitMs < 0)
          return void report.violations.push(`${id}: 503 with an unreadable Retry-After ${JSON.stringify(retryAfter)}`);
        if (Date.now() + waitMs > giveUpAt) return void report.refused.push({ id, status: 503, code, retryAfter });
        await sleep(waitMs);
        continue;
      }
      return void report.violations.push(`${id}: HTTP ${r.status}${retryAfter ? ` (Retry-After ${retryAfter})` : ''} ${JSON.stringify(r.body)}`);
    }
  };
  const lane = async () => {
    while (!o.stop?.() && next < ids.length) await one(ids[next++]!);
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 20 }, lane));
  report.notTried = ids.slice(next);
  return report;
}

/**
 * A Receiver on 127.0.0.1 that answers 200 after a few milliseconds (so requests are in
 * flight when a sender dies) and records each event's `id` in the ledger.
 */
export class LedgerReceiver {
  private readonly rx = new Receiver();
  /** Requests so far, redeliveries included. */
  arrivals = 0;
  /** Called synchronously for each arrival, before it is answered (scenarios kill from here). */
  onArrival: ((id: string) => void) | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly answerDelayMs: () => number = () => 2 + Math.floor(Math.random() * 4),
  ) {}

  get url(): string {
    return this.rx.url;
  }

  async start(): Promise<this> {
    this.rx.respond = (req, res) => {
      let id = '';
      try {
        id = String((JSON.parse(req.body) as { id: unknown }).id);
      } catch {}
      this.arrivals++;
      this.ledger.arrive(id);
      this.onArrival?.(id);
      setTimeout(() => res.destroyed || res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), this.answerDelayMs());
    };
    await this.rx.start();
    return this;
  }

  close(): Promise<void> {
    return this.rx.close();
  }
}

/** Polls until every id the ledger accepted has arrived; fails listing a few missing ones. */
export async function waitForAllArrived(ledger: Ledger, ms: number, what = 'every accepted event at the receiver'): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const missing = ledger.missing();
    if (!missing.length) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}: ${missing.length} missing, e.g. ${missing.slice(0, 5).join(', ')}`);
    await sleep(50);
  }
}

/** A small seeded PRNG (mulberry32), so a scenario's random choices can be replayed from its printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
