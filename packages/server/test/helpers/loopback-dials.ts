import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, vi } from 'vitest';

const LOOPBACK = new Set(['127.0.0.1', '127.0.0.2', '::1']);

/**
 * A safety net for a test file whose code dials out (undici goes through node:net/node:tls):
 * any attempt to reach a non-loopback address, e.g. a guard bug in an SSRF test, fails here
 * instead of leaving the machine. Returns the hosts dialled (so tests can assert none was), and
 * `misroute`, which lets a test make a dial land on another loopback address than aimed at.
 */
export function onlyLoopbackDials(): { dialled: string[]; misroute: Map<string, string> } {
  const dialled: string[] = [];
  const misroute = new Map<string, string>();
  beforeAll(() => {
    for (const mod of [net, tls] as { connect: (...a: unknown[]) => unknown }[]) {
      const real = mod.connect.bind(mod);
      vi.spyOn(mod, 'connect').mockImplementation((...args: unknown[]) => {
        const host = String((args[0] as { host?: string }).host);
        dialled.push(host);
        if (!LOOPBACK.has(host)) throw new Error(`test tried to dial non-loopback ${host}`);
        const to = misroute.get(host);
        return real(...(to ? [{ ...(args[0] as object), host: to }, ...args.slice(1)] : args));
      });
    }
  });
  afterAll(() => vi.restoreAllMocks());
  return { dialled, misroute };
}
