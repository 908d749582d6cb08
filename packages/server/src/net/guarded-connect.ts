/**
 * Outbound connections that honour the SSRF guard. The guard is enforced inside undici's
 * connect step, not before the request, because only there do we know the exact address being
 * dialled: checking a URL and then letting undici resolve the name again would let a DNS server
 * answer "public" to us and "127.0.0.1" to the socket (DNS rebinding).
 *
 * Webhook deliveries (http-sender.ts) and the agent runners that call out over HTTP share this.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { SsrfGuard } from './ssrf-guard.js';

export type Resolver = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export type NetErrorCode = 'ssrf_blocked' | 'timeout' | 'connection_refused' | 'connection_reset' | 'dns_failed' | 'tls_error' | 'network_error';

/** Bounds TCP/TLS setup and DNS, so a stuck connect cannot wedge an origin's pool forever. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How many resolved addresses to try, in resolver order, before reporting the connect error. */
const MAX_DIAL_ATTEMPTS = 3;

class SsrfBlockedError extends Error {
  readonly code = 'HOOKLINE_SSRF_BLOCKED';
}

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export function errorWithCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function resolveWithin(resolve: Resolver, hostname: string, ms: number): ReturnType<Resolver> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(errorWithCode(`DNS lookup of ${hostname} timed out`, 'EAI_AGAIN')), ms);
    resolve(hostname)
      .then(ok, fail)
      .finally(() => clearTimeout(timer));
  });
}

/**
 * Wraps undici's stock connector: resolve the name ourselves, vet every answer, then dial the
 * vetted IPs (pinned) while keeping the name for SNI and certificate validation.
 */
export function guardedConnector(guard: SsrfGuard, resolve: Resolver = systemResolver): buildConnector.connector {
  const dial = buildConnector({ timeout: CONNECT_TIMEOUT_MS });

  async function vettedAddresses(hostname: string): Promise<{ ips: string[]; vetPeer: boolean }> {
    if (isIP(hostname)) {
      const reason = guard.checkAddress(hostname);
      if (reason) throw new SsrfBlockedError(reason);
      return { ips: [hostname], vetPeer: true };
    }
    const nameAllowed = guard.hostAllowed(hostname);
    const answers = await resolveWithin(resolve, hostname, CONNECT_TIMEOUT_MS);
    if (answers.length === 0) throw errorWithCode(`no addresses for ${hostname}`, 'ENOTFOUND');
    if (!nameAllowed) {
      // Refuse if ANY answer is blocked: a mixed answer is the rebinding shape, and picking
      // the public one would only help an attacker who controls later lookups.
      for (const { address } of answers) {
        const reason = guard.checkAddress(address);
        if (reason) throw new SsrfBlockedError(`${hostname} resolved to a blocked address: ${reason}`);
      }
    }
    // A few fallbacks help dual-stack hosts where one family is down; all were vetted above.
    return { ips: answers.slice(0, MAX_DIAL_ATTEMPTS).map((a) => a.address), vetPeer: !nameAllowed };
  }

  return (opts, callback) => {
    const servername = opts.servername || (isIP(opts.hostname) ? undefined : opts.hostname.replace(/\.$/, ''));
    const attempt = (ips: string[], index: number, vetPeer: boolean): void => {
      dial({ ...opts, hostname: ips[index]!, servername }, (err, socket) => {
        if (err) return index + 1 < ips.length ? attempt(ips, index + 1, vetPeer) : callback(err, null);
        // Belt and braces: the socket must really be talking to an address we accept.
        const reason = vetPeer ? guard.checkAddress(socket.remoteAddress ?? '') : null;
        if (reason) {
          socket.destroy();
          return callback(new SsrfBlockedError(`connected peer ${reason}`), null);
        }
        callback(null, socket);
      });
    };
    vettedAddresses(opts.hostname)
      .then(({ ips, vetPeer }) => attempt(ips, 0, vetPeer))
      // Any failure must reach undici, or the origin's client would wait on this connect forever.
      .catch((err: Error) => callback(err, null));
  };
}

/** An undici Agent whose every connection goes through the guard; redirects are never followed. */
export function guardedAgent(o: { guard: SsrfGuard; resolve?: Resolver | undefined; connections?: number }): Agent {
  return new Agent({
    ...(o.connections !== undefined ? { connections: o.connections } : {}),
    connect: guardedConnector(o.guard, o.resolve ?? systemResolver),
  });
}

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** Names what went wrong with an outbound request, from the error codes along its cause chain. */
export function classifyNetError(err: unknown, timedOut: boolean): NetErrorCode {
  const codes = codesOf(err);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  if (has('HOOKLINE_SSRF_BLOCKED')) return 'ssrf_blocked';
  if (timedOut || has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return 'timeout';
  }
  if (has('ECONNREFUSED')) return 'connection_refused';
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')) return 'connection_reset';
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA')) return 'dns_failed';
  const tls = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;
  if (codes.some((c) => tls.test(c))) return 'tls_error';
  return 'network_error';
}
