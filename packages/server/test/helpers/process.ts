import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/server */
export const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_BIN = join(SERVER_DIR, 'bin', 'hookline.js');
export const CLI_BUILD = join(SERVER_DIR, 'dist', 'cli', 'main.js');

/** The child-process tests run the built CLI; say so plainly when it is not there. */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_BUILD)) {
    throw new Error(
      `${CLI_BUILD} is missing: these tests run the real CLI from dist/. Run \`npm run build\` in the repository root first (\`npm test\` does it for you).`,
    );
  }
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** A label for messages, e.g. "worker-1". */
  name: string;
  /** Arguments after `hookline.js`, e.g. ['--config', f, 'serve', '--port', '0']. */
  args: string[];
  /** Environment on top of the parent's (whose HOOKLINE_* variables are dropped). */
  env: Record<string, string>;
  cwd: string;
  /** A stdout line matching this means the process is ready; group 1, if any, is its URL. */
  ready: RegExp;
  readyTimeoutMs?: number;
}

const live = new Set<HooklineProcess>();
// Last resort if the test runner's worker goes away without running afterAll: no orphans.
process.once('exit', () => {
  for (const p of live) p.child.kill('SIGKILL');
});

/** A `hookline` CLI child process with its recent output kept for error messages. */
export class HooklineProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitStatus>;
  exitStatus: ExitStatus | undefined;
  private readonly lines: string[] = [];

  private constructor(
    readonly name: string,
    o: SpawnOptions,
  ) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('HOOKLINE_')) env[k] = v;
    Object.assign(env, o.env);
    this.child = spawn(process.execPath, [CLI_BIN, ...o.args], { cwd: o.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this);
        this.exitStatus = { code, signal };
        resolve(this.exitStatus);
      });
      // spawn() itself failed (no 'exit' follows).
      this.child.once('error', (err) => {
        if (this.child.pid !== undefined) return;
        live.delete(this);
        this.keep('spawn', String(err));
        this.exitStatus = { code: null, signal: null };
        resolve(this.exitStatus);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private keep(stream: string, line: string): void {
    this.lines.push(`[${stream}] ${line}`);
    if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
  }

  /** The last lines the process printed, for failure messages. */
  tail(n = 40): string {
    return this.lines.slice(-n).join('\n');
  }

  describe(): string {
    const status = this.exitStatus ? `exited (code ${this.exitStatus.code}, signal ${this.exitStatus.signal})` : 'running';
    return `${this.name} (pid ${this.pid}, ${status}); last output:\n${this.tail() || '(none)'}`;
  }

  /**
   * Starts the process and resolves once it printed its ready line: with the URL captured by
   * `ready` (the API address) or '' for a worker.
   */
  static start(o: SpawnOptions): Promise<{ proc: HooklineProcess; url: string }> {
    const proc = new HooklineProcess(o.name, o);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => {
        settle(() => {
          proc.child.kill('SIGKILL');
          reject(new Error(`${o.name} did not print its ready line within ${o.readyTimeoutMs ?? 20_000} ms: ${proc.describe()}`));
        });
      }, o.readyTimeoutMs ?? 20_000);
      const onLines = (stream: 'stdout' | 'stderr') => {
        let partial = '';
        proc.child[stream]!.setEncoding('utf8');
        proc.child[stream]!.on('data', (chunk: string) => {
          const parts = (partial + chunk).split('\n');
          partial = parts.pop()!;
          for (const line of parts) {
            proc.keep(stream, line);
            const m = stream === 'stdout' ? o.ready.exec(line) : null;
            if (m) settle(() => resolve({ proc, url: m[1] ?? '' }));
          }
        });
      };
      onLines('stdout');
      onLines('stderr');
      void proc.exited.then(() => settle(() => reject(new Error(`${o.name} exited before it was ready: ${proc.describe()}`))));
    });
  }

  /** SIGKILL: no handler runs, nothing is flushed. Resolves when the process is gone. */
  async crash(): Promise<ExitStatus> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (graceful stop), then wait; SIGKILL and throw if it does not exit in time. */
  async stop(timeoutMs = 20_000): Promise<ExitStatus> {
    if (this.exitStatus) return this.exitStatus;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const r = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (r === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms of SIGTERM: ${this.describe()}`);
    }
    return r;
  }
}

/** SIGKILLs every child still running and waits for them (afterAll: no orphans, even on failure). */
export async function killAllProcesses(): Promise<void> {
  const running = [...live];
  for (const p of running) p.child.kill('SIGKILL');
  await Promise.all(running.map((p) => p.exited));
}
