import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  LOG_LINE_LIMIT_BYTES,
  OUTPUT_LIMIT_BYTES,
  OUTPUT_TRUNCATED_NOTE,
  type RunContext,
  type RunOptions,
  type RunOutcome,
  type Runner,
  type RunUsage,
  utf8Prefix,
} from '../runner.js';
import { ProcessTree } from './process-tree.js';

export interface CommandRunnerConfig {
  command: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Time between SIGTERM and SIGKILL to the process group. */
  killGraceMs?: number;
  /**
   * How long to wait, after SIGKILL, for killed descendants to be reaped. Orphans are
   * reaped by init, not by us; without a reaping init they stay zombies forever, so the
   * wait must end somewhere.
   */
  reapTimeoutMs?: number;
}

/** Only these are inherited: the server's own environment holds secrets (HOOKLINE_MASTER_KEY, DB URLs). */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TZ'] as const;
const POLL_MS = 20;
/** After the group is gone, how long stdio may stay open (held by a process that left the group) before we stop reading. */
const STDIO_DRAIN_MS = 500;
const USAGE_KEYS = ['iterations_used', 'tool_calls', 'tokens_used'] as const;

/** Runs an agent as a local program: prompt on stdin, answer on stdout. */
export class CommandRunner implements Runner {
  constructor(private readonly cfg: CommandRunnerConfig) {}

  run(ctx: RunContext, opts: RunOptions): Promise<RunOutcome> {
    return new Promise((resolve) => this.start(ctx, opts, resolve));
  }

  private start(ctx: RunContext, opts: RunOptions, resolve: (o: RunOutcome) => void): void {
    const { command, args = [], cwd } = this.cfg;
    const grace = this.cfg.killGraceMs ?? 2000;
    const reapTimeout = this.cfg.reapTimeoutMs ?? 5000;
    if (opts.signal.aborted) {
      resolve({ status: 'cancelled', output: '', error: 'cancelled before start', exitCode: null, usage: {} });
      return;
    }

    const env: Record<string, string> = {};
    for (const k of INHERITED_ENV) if (process.env[k] !== undefined) env[k] = process.env[k];
    Object.assign(env, this.cfg.env, {
      HOOKLINE_RUN_ID: ctx.runId,
      HOOKLINE_AGENT_ID: ctx.agentId,
      HOOKLINE_AGENT_NAME: ctx.agentName,
      HOOKLINE_CREW_ID: ctx.crewId,
      HOOKLINE_CREW_NAME: ctx.crewName,
      HOOKLINE_TRIGGER_TYPE: ctx.triggerType,
      HOOKLINE_TRIGGER_NAME: ctx.triggerName ?? '',
    });

    // detached: the child leads its own process group, so one signal reaches everything it forks.
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const pid = child.pid;
    // Descendants that left the group (a process group or session of their own) are signalled by PID.
    const tree = pid !== undefined ? new ProcessTree(pid) : undefined;

    const out: Buffer[] = [];
    let outBytes = 0,
      truncated = false,
      lastOutLine = '',
      lastErrLine = '';
    let reason: 'timeout' | 'cancelled' | null = null;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let closed = false,
      groupDone = false,
      termStarted = false,
      killSentAt = 0,
      done = false;
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    };

    const log = (stream: 'stdout' | 'stderr', line: string) => {
      if (line.trim() !== '') {
        if (stream === 'stdout') lastOutLine = line;
        else lastErrLine = line;
      }
      try {
        opts.onLog(stream, line);
      } catch {
        /* a faulty log sink must not break the run */
      }
    };
    const outLines = new LineSplitter((l) => log('stdout', l));
    const errLines = new LineSplitter((l) => log('stderr', l));

    const finish = (o: Omit<RunOutcome, 'output' | 'usage'>) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      opts.signal.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      outLines.end();
      errLines.end();
      let text = truncated ? utf8Prefix(Buffer.concat(out)).toString('utf8') : Buffer.concat(out).toString('utf8');
      const usage = parseUsage(lastOutLine);
      // A cut output never contains the trailing usage line, so there is nothing to strip.
      if (usage && !truncated) text = dropLastNonEmptyLine(text);
      resolve({ ...o, output: truncated ? text + OUTPUT_TRUNCATED_NOTE : text, usage: usage ?? {} });
    };

    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid!, sig);
      } catch {
        /* ESRCH: the group already died */
      }
    };
    const groupAlive = () => {
      try {
        process.kill(-pid!, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code !== 'ESRCH';
      }
    };
    const terminate = () => {
      if (termStarted) return;
      termStarted = true;
      tree?.collect();
      signalGroup('SIGTERM');
      tree?.signal('SIGTERM');
      later(grace, () => {
        tree?.collect(); // anything forked during the grace period
        signalGroup('SIGKILL');
        tree?.signal('SIGKILL');
        killSentAt = Date.now();
      });
    };
    const settle = () => {
      if (!groupDone || done) return;
      if (closed) return finish(outcome());
      // Something outside the group still holds our pipes; stop waiting for it shortly.
      later(STDIO_DRAIN_MS, () => finish(outcome()));
    };
    // The leader being reaped is not enough: descendants in its group may still run.
    const watchGroup = () => {
      const alive = groupAlive() || (tree?.live().length ?? 0) > 0;
      if (!alive || (killSentAt > 0 && Date.now() - killSentAt > reapTimeout)) {
        groupDone = true;
        settle();
        return;
      }
      later(POLL_MS, watchGroup);
    };
    const outcome = (): Omit<RunOutcome, 'output' | 'usage'> => {
      const exitCode = exit?.code ?? null;
      if (reason === 'timeout') return { status: 'timeout', error: `timed out after ${+(opts.timeoutMs / 1000).toFixed(3)}s`, exitCode };
      if (reason === 'cancelled') return { status: 'cancelled', error: 'cancelled', exitCode };
      if (exitCode === 0) return { status: 'completed', error: null, exitCode };
      const base = exitCode !== null ? `exited with code ${exitCode}` : `killed by signal ${exit?.signal ?? 'unknown'}`;
      return { status: 'failed', error: lastErrLine ? `${base}: ${lastErrLine}` : base, exitCode };
    };
    const onAbort = () => {
      if (exit || reason) return; // finished on its own already; keep that outcome
      reason = 'cancelled';
      terminate();
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      if (pid !== undefined) return; // only spawn failures matter; we never use child.kill()
      let error = `failed to start ${command}: ${err.message}`;
      if (err.code === 'ENOENT') error = cwd !== undefined && !existsSync(cwd) ? `working directory not found: ${cwd}` : `command not found: ${command}`;
      else if (err.code === 'EACCES') error = `command not executable: ${command}`;
      finish({ status: 'failed', error, exitCode: null });
    });
    if (pid === undefined) return; // the 'error' event follows

    child.stdout.on('data', (chunk: Buffer) => {
      outLines.push(chunk);
      if (outBytes >= OUTPUT_LIMIT_BYTES) {
        truncated = true;
        return;
      }
      const keep = chunk.subarray(0, OUTPUT_LIMIT_BYTES - outBytes);
      if (keep.length < chunk.length) truncated = true;
      out.push(keep);
      outBytes += keep.length;
    });
    child.stderr.on('data', (chunk: Buffer) => errLines.push(chunk));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Stragglers the leader left behind are part of this run; end them with it.
      if (groupAlive()) terminate();
      watchGroup();
    });
    child.on('close', () => {
      closed = true;
      settle();
    });
    // The child may exit without reading its prompt; EPIPE then is expected, not fatal.
    child.stdin.on('error', () => {});
    child.stdin.end(ctx.prompt);

    opts.signal.addEventListener('abort', onAbort, { once: true });
    // setTimeout fires at once for delays past 2^31-1 ms; clamp so a huge limit stays huge.
    later(Math.min(opts.timeoutMs, 2 ** 31 - 1), () => {
      if (exit || reason) return;
      reason = 'timeout';
      terminate();
    });
  }
}

/** Splits a byte stream into lines, capping each; bytes past the cap are dropped up to the next newline. */
class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      this.take(chunk.subarray(start, nl === -1 ? chunk.length : nl));
      if (nl === -1) return;
      this.flush();
      start = nl + 1;
    }
  }

  end(): void {
    if (this.size > 0) this.flush();
  }

  private take(b: Buffer): void {
    const room = LOG_LINE_LIMIT_BYTES - this.size;
    if (room <= 0 || b.length === 0) return;
    const part = Buffer.from(b.subarray(0, room)); // copy: do not pin the whole 64 KiB read chunk
    this.parts.push(part);
    this.size += part.length;
  }

  private flush(): void {
    const line = utf8Prefix(Buffer.concat(this.parts, this.size)).toString('utf8');
    this.parts = [];
    this.size = 0;
    this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/** Reads `{"hookline_usage": {...}}`; null when the line is anything else. */
function parseUsage(line: string): RunUsage | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !('hookline_usage' in v)) return null;
  const raw = (v as { hookline_usage: unknown }).hookline_usage;
  const usage: RunUsage = {};
  if (typeof raw !== 'object' || raw === null) return usage;
  for (const k of USAGE_KEYS) {
    const n = (raw as Record<string, unknown>)[k];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) usage[k] = n;
  }
  return usage;
}

function dropLastNonEmptyLine(text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.trim() !== '') {
      lines.splice(i, 1);
      break;
    }
  }
  return lines.join('\n');
}
