/**
 * The disk under SQLite fills up, with the real CLI. The data dir is a small tmpfs (a real
 * ENOSPC, as root: `mount -t tmpfs -o size=8m`); a ballast file takes every free byte while
 * events are being published. Then:
 *
 * - publishing fails loudly: 503 with Retry-After and the code `storage_full`, never a 500,
 *   never a hang, and the process stays up;
 * - nothing accepted before or during the full disk is lost;
 * - once the ballast is deleted the service accepts again (the refused events too, sent again
 *   as a client would) and delivers everything it accepted.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, killAllProcesses } from '../test/helpers/process.js';
import { Ledger, recordFigure } from './helpers/ledger.js';
import { call, serve, waitForSettled, writeServeConfig } from './helpers/serve.js';
import { describeReport, emptyReport, LedgerReceiver, type PublishReport, publishEvents, waitForAllArrived } from './helpers/traffic.js';

const DISK = '8m';
/** Refusals in a row that show the disk is really full (not one unlucky write). */
const REFUSALS = 20;
/** How long the disk stays full once it refused: more than the 2 s lease. */
const FULL_FOR_MS = 3_000;

/** Writes zeros to `file` until the file system refuses; returns the bytes written. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // The last partial chunk: fill the remaining bytes one small write at a time.
        if (chunk.length > 512) return written + fillRest(fd);
        return written;
      }
    }
  } finally {
    closeSync(fd);
  }
}

function fillRest(fd: number): number {
  const small = Buffer.alloc(512);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, small);
  } catch {
    return written;
  }
}

describe('faults: the disk under SQLite fills up', () => {
  let root: string | undefined;
  let mounted = false;
  let rx: LedgerReceiver | undefined;

  afterAll(async () => {
    // The process holds files on the mount: it goes first, then the mount, even after a failure.
    await killAllProcesses();
    await rx?.close();
    if (mounted) {
      try {
        execFileSync('umount', [join(root!, 'data')]);
      } catch {
        execFileSync('umount', ['-l', join(root!, 'data')]);
      }
    }
    if (root) rmSync(root, { recursive: true, force: true });
  }, 30_000);

  it('refuses with 503 storage_full while full, loses nothing accepted, and drains once space is freed', async () => {
    assertCliBuilt();
    const started = Date.now();
    root = mkdtempSync(join(tmpdir(), 'hookline-fault-disk-'));
    const data = join(root, 'data');
    mkdirSync(data);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK},mode=0700`, 'tmpfs', data], { stdio: 'pipe' });
    } catch (err) {
      throw new Error(
        `this scenario needs a small file system of its own and mounts a tmpfs for it, which needs root (CAP_SYS_ADMIN): ${(err as Error & { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}`,
      );
    }
    mounted = true;
    writeServeConfig(root, { lease: '2s', poll_interval: '200ms' });
    const ledger = new Ledger();
    rx = await new LedgerReceiver(ledger, () => 20).start();
    const { proc, url } = await serve('hookline', root, { dataDir: data });
    const ep = await call(url, 'POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['fault.*'] });
    expect(ep.status, JSON.stringify(ep.body)).toBe(201);
    let n = 0;
    const nextIds = (count: number) => Array.from({ length: count }, () => `disk-${n++}`);

    // Before: normal traffic. The receiver answers slowly, so these are still being delivered
    // (claimed, in flight, results not yet written) when the disk fills up.
    const before = await publishEvents(url, nextIds(200), { ledger });
    expect(before.accepted, describeReport(before)).toHaveLength(200);

    // The disk fills up; keep publishing until the service has refused REFUSALS in a row.
    const ballast = join(data, 'ballast');
    const ballastBytes = fillDisk(ballast);
    const arrivedWhenFull = ledger.received;
    const full = emptyReport();
    let refusedInARow = 0;
    for (let round = 0; round < 200 && refusedInARow < REFUSALS; round++) {
      const r: PublishReport = await publishEvents(url, nextIds(10), { ledger, concurrency: 5 });
      full.accepted.push(...r.accepted);
      full.refused.push(...r.refused);
      full.failed.push(...r.failed);
      full.violations.push(...r.violations);
      full.unavailableAnswers += r.unavailableAnswers;
      for (const [code, count] of Object.entries(r.unavailableCodes)) full.unavailableCodes[code] = (full.unavailableCodes[code] ?? 0) + count;
      refusedInARow = r.accepted.length ? r.refused.length : refusedInARow + r.refused.length;
      if (r.failed.length || r.violations.length) break;
    }
    const refusals = full.refused;
    const stats = () => `${describeReport(full)}\n${proc.describe()}`;
    expect(full.violations, stats()).toEqual([]);
    expect(full.failed, stats()).toEqual([]);
    expect(refusedInARow, stats()).toBeGreaterThanOrEqual(REFUSALS);
    expect(new Set(refusals.map((r) => `${r.status} ${r.code}`)), stats()).toEqual(new Set(['503 storage_full']));
    expect(refusals.every((r) => Number(r.retryAfter) > 0)).toBe(true);
    // Full for longer than a lease: the delivery loop's claims and result writes keep failing.
    // Reads still work, and the process stays up.
    await new Promise((r) => setTimeout(r, FULL_FOR_MS));
    expect((await call(url, 'GET', '/api/v1/webhooks/endpoints')).status).toBe(200);
    expect(proc.exitStatus, proc.describe()).toBeUndefined();

    // Space comes back: the refused events are sent again (a client retrying), then new ones.
    rmSync(ballast);
    const freedAt = Date.now();
    const again = await publishEvents(url, [...refusals.map((r) => r.id), ...nextIds(100)], { ledger });
    expect(again.accepted.length, describeReport(again)).toBe(refusals.length + 100);
    await waitForAllArrived(ledger, 60_000);
    const drainMs = Date.now() - freedAt;
    const totals = await waitForSettled(url, ledger.published, 30_000);

    const figure = ledger.figure(`Disk full under SQLite (tmpfs of ${DISK} filled by a ballast file)`, {
      ballast_bytes: ballastBytes,
      accepted_before_full: before.accepted.length,
      delivered_before_full: arrivedWhenFull,
      accepted_while_filling: full.accepted.length,
      refused_503: refusals.length,
      full_for_ms: FULL_FOR_MS,
      refusal_codes: full.unavailableCodes,
      accepted_after_space_freed: again.accepted.length,
      drain_after_space_freed_ms: drainMs,
      store_totals: totals,
      runtime_ms: Date.now() - started,
    });
    recordFigure('disk-full', figure);

    expect(ledger.missing()).toEqual([]);
    expect(figure.lost).toBe(0);
    expect(ledger.unexpected()).toEqual([]);
    expect(totals, proc.describe()).toEqual({ pending: 0, delivered: ledger.published, failed: 0 });
    expect(await proc.stop(), proc.describe()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
