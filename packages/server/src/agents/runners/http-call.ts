/**
 * One outbound POST for the runners that call out over HTTP (http, openai): through the SSRF
 * guard at connect time, no redirects, one deadline for the whole exchange, cancellable, and a
 * capped read so an endless answer cannot fill memory.
 */
import type { Dispatcher } from 'undici';
import { classifyNetError, guardedAgent, type Resolver, type SsrfGuard } from '../../net/index.js';
import { OUTPUT_LIMIT_BYTES, type RunOptions, utf8Prefix } from '../runner.js';

/** What a runner needs to reach the network; Hookline passes its delivery guard and resolver. */
export interface OutboundNet {
  guard: SsrfGuard;
  /** DNS resolver (tests inject one). */
  resolve?: Resolver | undefined;
}

export interface PostRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Values to scrub from any error text (header values, API keys). */
  secrets: string[];
}

export type PostResult = { kind: 'response'; status: number; body: string; bodyCut: boolean } | { kind: 'failed' | 'timeout' | 'cancelled'; error: string };

/** Room for a full OUTPUT_LIMIT_BYTES answer wrapped in JSON (escaping makes it longer). */
export const RESPONSE_LIMIT_BYTES = 4 * OUTPUT_LIMIT_BYTES;
/** setTimeout fires at once past 2^31-1 ms; clamp so a huge limit stays huge. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A URL as shown in logs and errors: no query string or credentials, which may carry tokens. */
export function shownUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export function scrub(text: string, secrets: string[]): string {
  for (const s of secrets) if (s.length >= 4) text = text.split(s).join('[redacted]');
  return text;
}

/** The start of a body, on one line, for an error message. */
export function snippet(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

const timeoutText = (ms: number) => `timed out after ${+(ms / 1000).toFixed(3)}s`;

export async function guardedPost(net: OutboundNet, req: PostRequest, opts: RunOptions): Promise<PostResult> {
  if (opts.signal.aborted) return { kind: 'cancelled', error: 'cancelled before start' };
  const where = shownUrl(req.url);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { kind: 'failed', error: `invalid URL ${JSON.stringify(req.url)}` };
  }
  // Literal addresses and well-known names are refused here; DNS names are vetted at connect.
  const refused = net.guard.checkUrl(url);
  if (refused) return { kind: 'failed', error: blockedText(where, refused) };

  const controller = new AbortController();
  let reason: 'timeout' | 'cancelled' | null = null;
  const stop = (why: 'timeout' | 'cancelled') => {
    reason ??= why;
    controller.abort(new Error(why));
  };
  const onAbort = () => stop('cancelled');
  opts.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => stop('timeout'), Math.min(opts.timeoutMs, MAX_TIMER_MS));
  const agent = guardedAgent({ guard: net.guard, resolve: net.resolve, connections: 1 });
  try {
    const res = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
      // Our own timer is the one deadline; undici's defaults (5 minutes) would cut long agent runs short.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const { text, cut } = await readCapped(res.body);
    logLine(opts, `POST ${where} answered HTTP ${res.statusCode}`);
    return { kind: 'response', status: res.statusCode, body: text, bodyCut: cut };
  } catch (err) {
    if (reason === 'timeout') return { kind: 'timeout', error: timeoutText(opts.timeoutMs) };
    if (reason === 'cancelled') return { kind: 'cancelled', error: 'cancelled' };
    const code = classifyNetError(err, false);
    if (code === 'ssrf_blocked') return { kind: 'failed', error: blockedText(where, messageOf(err)) };
    return { kind: 'failed', error: scrub(`POST ${where} failed: ${code.replace('_', ' ')} (${messageOf(err)})`, req.secrets).slice(0, 1000) };
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
    // The run is over: drop the connection rather than keep it for a reuse that never comes.
    await agent.destroy().catch(() => {});
  }
}

function blockedText(where: string, reason: string): string {
  return `POST ${where} refused by the SSRF guard: ${reason}. If this target is intended, add it to delivery.allow_networks in the configuration`;
}

function messageOf(err: unknown): string {
  let text = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  if (cause && !text.includes(cause)) text = `${text}: ${cause}`;
  return text;
}

/** One informational line in the run's log. */
export function logLine(opts: RunOptions, line: string): void {
  try {
    opts.onLog('stderr', line);
  } catch {
    /* a faulty log sink must not break the run */
  }
}

/** Reads at most RESPONSE_LIMIT_BYTES, then destroys the stream so the rest is never downloaded. */
async function readCapped(body: Dispatcher.ResponseData['body']): Promise<{ text: string; cut: boolean }> {
  const chunks: Buffer[] = [];
  let held = 0;
  body.on('error', () => {}); // destroying mid-read emits an abort error; expected
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      const keep = buf.subarray(0, RESPONSE_LIMIT_BYTES - held);
      chunks.push(keep);
      held += keep.length;
      if (held >= RESPONSE_LIMIT_BYTES) break;
    }
  } finally {
    if (!body.destroyed) body.destroy();
  }
  const all = Buffer.concat(chunks, held);
  const cut = held >= RESPONSE_LIMIT_BYTES;
  return { text: (cut ? utf8Prefix(all) : all).toString('utf8'), cut };
}
