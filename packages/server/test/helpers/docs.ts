/**
 * Reading the docs' code blocks and running them, for docs-blocks.test.ts and recipes.test.ts.
 *
 * The markers a page uses:
 * - ```sh runnable, ```js runnable, ```python runnable: the test runs the block (bash, node,
 *   python3) from the repository root, in file order. The sh blocks of one file share their
 *   variables and functions (as if typed into one terminal).
 * - ```sh runnable background: a long-running command (a receiver, "terminal 2"); started,
 *   awaited until its expected lines appear, and stopped when the file is done.
 * - A line `# → text` (`// → text` in js) inside a runnable block: the block's output must
 *   contain `text`, in order with the other such lines; `…` stands for anything.
 * - ```yaml hookline-config: the hookline.yaml the page tells the reader to use; the test
 *   starts Hookline with exactly these options.
 * - ```js file=examples/x.mjs (any language): the block must be that file, byte for byte.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Block {
  /** Path from the repository root, e.g. docs/quickstart.md. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  info: string[];
  code: string;
  runnable: boolean;
  background: boolean;
  config: boolean;
  /** `file=…`: the repository file this block must equal. */
  source?: string;
}

/** README.md and every Markdown file under docs/. */
export function docFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(REPO, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk('docs');
  return out.sort();
}

/** Fenced code blocks (``` or ~~~, indented ones in lists too) with their info strings. */
export function parseBlocks(file: string, text = readFileSync(join(REPO, file), 'utf8')): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, infoText] = open as unknown as [string, string, string, string];
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (close.test(l)) break;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
    }
    const info = infoText.trim().split(/\s+/).filter(Boolean);
    const source = info.find((t) => t.startsWith('file='))?.slice('file='.length);
    blocks.push({
      file,
      line: i + 1,
      lang: info[0] ?? '',
      info,
      code: body.join('\n') + '\n',
      runnable: info.includes('runnable'),
      background: info.includes('background'),
      config: info.includes('hookline-config'),
      ...(source ? { source } : {}),
    });
    i = j;
  }
  return blocks;
}

/** The `# → …` / `// → …` lines of a block, in order. */
export function expectations(code: string): string[] {
  const out: string[] = [];
  for (const l of code.split('\n')) {
    const m = /^\s*(?:#|\/\/)\s*→\s?(.*)$/.exec(l);
    if (m) out.push(m[1]!.trim());
  }
  return out;
}

/** The first expectation not found in `output` (in order; `…` matches anything), or undefined. */
export function unmet(output: string, expects: string[]): string | undefined {
  let from = 0;
  for (const e of expects) {
    const re = new RegExp(
      e
        .split('…')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[\\s\\S]*?'),
    );
    const m = re.exec(output.slice(from));
    if (!m) return e;
    from += m.index + m[0].length;
  }
  return undefined;
}

/** The parent's environment without HOOKLINE_* (the docs' commands get only what the reader set). */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('HOOKLINE_')) env[k] = v;
  return { ...env, PYTHONUNBUFFERED: '1', ...extra };
}

/** A child process (in its own process group) whose output the test can wait on. */
export class Proc {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (s: string) => this.update(() => (this.stdout += s)));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => this.update(() => (this.stderr += s)));
    this.exited = new Promise((resolve) => child.once('close', (code) => this.update(() => resolve(code))));
  }

  static spawn(command: string, args: string[], o: { env: Record<string, string>; cwd?: string }): Proc {
    return new Proc(spawn(command, args, { cwd: o.cwd ?? REPO, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private update(change: () => void): void {
    change();
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once stdout meets `expects` (see `unmet`); fails early if the process exits. */
  async waitFor(expects: string[], what: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const missing = unmet(this.stdout, expects);
      if (missing === undefined) return;
      if (!this.running)
        throw new Error(`${what} exited (${this.child.exitCode ?? this.child.signalCode}) before printing ${JSON.stringify(missing)}\n${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} did not print ${JSON.stringify(missing)} within ${ms} ms\n${this.describe()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  describe(): string {
    return `--- stdout\n${this.stdout.slice(-4000)}\n--- stderr\n${this.stderr.slice(-4000)}`;
  }

  /** SIGTERM to the whole process group (a shell and what it started), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (!this.running || this.child.pid === undefined) return void (await this.exited);
    const group = -this.child.pid;
    try {
      process.kill(group, 'SIGTERM');
    } catch {}
    const t = setTimeout(() => {
      try {
        process.kill(group, 'SIGKILL');
      } catch {}
    }, 5_000);
    await this.exited;
    clearTimeout(t);
  }
}

/** Runs a process to its end (killed after `ms`); its exit code and output. */
export async function runToEnd(
  command: string,
  args: string[],
  o: { env: Record<string, string>; input?: string; ms?: number; cwd?: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd: o.cwd ?? REPO, env: o.env, stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
  if (o.input !== undefined) child.stdin!.end(o.input);
  const p = new Proc(child);
  const timer = setTimeout(() => void p.stop(), o.ms ?? 60_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout, stderr: p.stderr };
}

export const rel = (abs: string): string => relative(REPO, abs);
