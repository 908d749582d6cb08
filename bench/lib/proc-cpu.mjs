// Whole-machine CPU of a measured window, read from /proc: the CPU time (user + system, all
// threads) of a set of processes, summed, before and after. Linux only; elsewhere it reports null.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (100 on every common Linux). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Parses one /proc/<pid>/stat line. The command name sits in parentheses and may itself hold
 * spaces or parentheses, so the fields are counted from the last ')'.
 */
export function parseStat(text) {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 80)}`);
  // After ')': field 3 (state) onwards; utime and stime are fields 14 and 15 (1-based).
  const rest = text.slice(close + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`no utime/stime in: ${text.slice(0, 80)}`);
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), utime, stime };
}

/** CPU ticks (user + system) a process has used so far, or null once it is gone. */
export function processTicks(pid) {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return stat.utime + stat.stime;
  } catch {
    return null;
  }
}

/** Pids of the processes whose command name is `comm` (e.g. 'redis-server', 'postgres'). */
export function pidsByComm(comm) {
  const pids = [];
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8')).comm === comm) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/**
 * Measures the CPU of the processes `listPids()` returns, over the window start() … stop().
 * The list is asked again at stop(): a process that appeared in the window counts from zero;
 * one that exited before stop() is lost (and counted in `lostPids`, so the figure says so).
 */
export class CpuWindow {
  constructor(listPids) {
    this.listPids = listPids;
  }

  async start() {
    this.before = new Map();
    for (const pid of await this.listPids()) this.before.set(pid, processTicks(pid));
    return this;
  }

  async stop() {
    const pids = new Set([...this.before.keys(), ...(await this.listPids())]);
    let ticks = 0;
    let lostPids = 0;
    for (const pid of pids) {
      const now = processTicks(pid);
      if (now === null) {
        lostPids++;
        continue;
      }
      ticks += now - (this.before.get(pid) ?? 0);
    }
    return { cpuUs: (ticks * 1e6) / CLOCK_TICKS, processes: pids.size, lostPids };
  }
}
