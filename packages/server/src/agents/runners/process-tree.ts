import { readdirSync, readFileSync } from 'node:fs';

/**
 * A run's processes beyond its process group. A descendant that started a group (or session)
 * of its own, as programs that daemonize a helper do, is out of reach of a signal to the
 * leader's group; found through the parent links in /proc, it can still be signalled by PID.
 * Linux only: elsewhere nothing is found and the process group is all there is.
 */
export class ProcessTree {
  /** PID → its start time (clock ticks since boot), so a PID the kernel reused is never signalled. */
  private readonly seen = new Map<number, string>();

  constructor(private readonly root: number) {}

  /** Adds every live descendant of the root to the processes this tree knows. */
  collect(): void {
    const procs = readProcs();
    const children = new Map<number, number[]>();
    for (const [pid, p] of procs) {
      const list = children.get(p.ppid);
      if (list) list.push(pid);
      else children.set(p.ppid, [pid]);
    }
    const queue = [this.root];
    for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
      for (const child of children.get(pid) ?? []) {
        this.seen.set(child, procs.get(child)!.start);
        queue.push(child);
      }
    }
  }

  /** Signals every known descendant that is still the same process. */
  signal(sig: NodeJS.Signals): void {
    for (const pid of this.live()) {
      try {
        process.kill(pid, sig);
      } catch {
        // ESRCH: it just died.
      }
    }
  }

  /** Known descendants that still run (zombies and reused PIDs excluded). */
  live(): number[] {
    return [...this.seen]
      .filter(([pid, start]) => {
        const p = readProc(String(pid));
        return p !== undefined && p.start === start && p.state !== 'Z';
      })
      .map(([pid]) => pid);
  }
}

interface ProcInfo {
  ppid: number;
  state: string;
  start: string;
}

function readProcs(): Map<number, ProcInfo> {
  const out = new Map<number, ProcInfo>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(name);
    if (p) out.set(Number(name), p);
  }
  return out;
}

/** `/proc/<pid>/stat`: "pid (comm) state ppid … starttime …"; comm may hold spaces and parentheses. */
function readProc(pid: string): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After comm: state is field 3 of the line, ppid 4, starttime 22.
  return { state: f[0]!, ppid: Number(f[1]), start: f[19]! };
}
