import { type ChildProcess, spawn } from 'node:child_process';
import { CLI_BIN } from './process.js';
import { until } from './wait.js';

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * A `hookline` CLI process; its output accumulates as it runs. It sees the parent's environment
 * without HOOKLINE_* variables and XDG_CONFIG_HOME, plus `env` (undefined removes a variable).
 */
export class Cli {
  readonly child: ChildProcess;
  out = '';
  err = '';
  readonly exited: Promise<CliResult>;
  constructor(args: string[], env: Record<string, string | undefined>, stdin?: string) {
    const e: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env }))
      if (v !== undefined && !(k.startsWith('HOOKLINE_') && !(k in env)) && k !== 'XDG_CONFIG_HOME') e[k] = v;
    this.child = spawn(process.execPath, [CLI_BIN, ...args], { env: e, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (b: Buffer) => (this.out += b.toString()));
    this.child.stderr!.on('data', (b: Buffer) => (this.err += b.toString()));
    this.child.stdin!.end(stdin ?? '');
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve({ code, out: this.out, err: this.err })));
  }
  waitFor(what: RegExp, stream: 'out' | 'err' = 'out'): Promise<RegExpExecArray> {
    return until(`${what} in ${stream} (out: ${this.out} err: ${this.err})`, async () => what.exec(this[stream]) ?? undefined, 15_000);
  }
}
