// The benchmark's own pieces that its figures rest on: the /proc CPU reader and the latency
// proxy (bytes intact and in order, every round trip through it counted).
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOCK_TICKS, CpuWindow, parseStat, processTicks } from '../lib/proc-cpu.mjs';
import { forkLatencyProxy, startLatencyProxy } from '../lib/latency-proxy.mjs';

describe('/proc CPU reader', () => {
  it('parses this process’s own /proc/self/stat', () => {
    const stat = parseStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(stat.pid).toBe(process.pid);
    expect(stat.comm.length).toBeGreaterThan(0);
    expect(Number.isInteger(stat.utime) && stat.utime >= 0).toBe(true);
    expect(Number.isInteger(stat.stime) && stat.stime >= 0).toBe(true);
  });

  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    const fields = ['S', ...Array.from({ length: 10 }, (_, i) => String(i)), '37', '5', ...Array.from({ length: 30 }, () => '0')];
    const stat = parseStat(`4242 (a) (b c) ${fields.join(' ')}`);
    expect(stat).toMatchObject({ pid: 4242, comm: 'a) (b c', utime: 37, stime: 5 });
    expect(() => parseStat('garbage')).toThrow(/not a \/proc stat line/);
  });

  it('a window over this process counts the CPU it burned', async () => {
    const window = await new CpuWindow(() => [process.pid]).start();
    const before = processTicks(process.pid);
    // Burn CPU until the kernel has booked at least two ticks to us (a condition, not a timer).
    let spin = 0;
    while (processTicks(process.pid) < before + 2) spin += Math.sqrt(spin + 1);
    const measured = await window.stop();
    expect(measured.cpuUs).toBeGreaterThanOrEqual((2 * 1e6) / CLOCK_TICKS);
    expect(measured.lostPids).toBe(0);
    expect(processTicks(999_999_999)).toBeNull();
  });
});

describe('latency proxy', () => {
  const cleanups = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()();
  });

  /** An echo server on 127.0.0.1. */
  async function echoServer() {
    const server = net.createServer((socket) => socket.pipe(socket));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    return server.address().port;
  }

  function connect(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
      cleanups.push(async () => socket.destroy());
    });
  }

  /** Writes `bytes` in `pieces` writes and resolves with everything echoed back. */
  function echoThrough(socket, bytes, pieces) {
    return new Promise((resolve) => {
      const received = [];
      let length = 0;
      socket.on('data', (chunk) => {
        received.push(chunk);
        length += chunk.length;
        if (length === bytes.length) resolve(Buffer.concat(received));
      });
      const size = Math.ceil(bytes.length / pieces);
      for (let offset = 0; offset < bytes.length; offset += size) socket.write(bytes.subarray(offset, offset + size));
    });
  }

  it('delivers every byte in order, both ways, with a delay on each', async () => {
    const port = await echoServer();
    const proxy = await startLatencyProxy({ target: { host: '127.0.0.1', port }, upMs: 1, downMs: 1 });
    cleanups.push(() => proxy.close());
    const socket = await connect(proxy.port);
    const bytes = randomBytes(512 * 1024);
    const echoed = await echoThrough(socket, bytes, 97);
    expect(echoed.equals(bytes)).toBe(true);
    expect(proxy.stats).toMatchObject({ connections: 1, bytesUp: bytes.length, bytesDown: bytes.length });
  });

  it('counts one chunk each way per ping-pong round trip (child-process proxy)', async () => {
    const port = await echoServer();
    const proxy = await forkLatencyProxy({ target: { host: '127.0.0.1', port }, upMs: 1, downMs: 0 });
    const socket = await connect(proxy.port);
    socket.setNoDelay(true);
    const roundTrips = 25;
    for (let i = 0; i < roundTrips; i++) {
      const answer = await new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write(`ping ${i}`);
      });
      expect(answer.toString()).toBe(`ping ${i}`);
    }
    socket.destroy();
    const stats = await proxy.close();
    expect(stats).toMatchObject({ connections: 1, chunksUp: roundTrips, chunksDown: roundTrips });
  });
});
