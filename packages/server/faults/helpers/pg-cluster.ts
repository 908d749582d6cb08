/**
 * A private PostgreSQL cluster for scenarios that stop or restart the database: initdb on a
 * temp dir, a free port, trust auth on 127.0.0.1, run as the `postgres` OS user. The shared
 * cluster on 5432 (other tests, CI) is never touched.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../test/helpers/ports.js';

const run = promisify(execFile);

/** The newest installed server's bin dir (Debian: /usr/lib/postgresql/<major>/bin). */
function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!majors.length) throw new Error(`no PostgreSQL server binaries under ${root} (apt-get install postgresql)`);
  return join(root, majors[0]!, 'bin');
}

export class PrivateCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly uid: { uid: number; gid: number } | undefined,
  ) {}

  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** Runs a server binary as the `postgres` user when we are root (the server refuses to run as root). */
  private async exec(tool: string, args: string[], timeoutMs = 60_000): Promise<string> {
    const file = join(this.bin, tool);
    const [cmd, argv] = this.uid ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    try {
      const { stdout } = await run(cmd, argv, { timeout: timeoutMs, cwd: this.dir });
      return stdout;
    } catch (err) {
      const e = err as Error & { stderr?: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.message}\n--- server log\n${this.logTail()}`);
    }
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(join(this.dir, 'server.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** initdb + start. The caller must `destroy()` it (afterAll), also when this throws half-way. */
  static async create(onCreated: (c: PrivateCluster) => void): Promise<PrivateCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-pg-'));
    let owner: { uid: number; gid: number } | undefined;
    if (userInfo().uid === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      owner = { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
      chownSync(dir, owner.uid, owner.gid);
    }
    const c = new PrivateCluster(dir, await freePort(), pgBinDir(), owner);
    onCreated(c);
    await c.exec('initdb', ['-D', c.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await c.start();
    return c;
  }

  /** Starts the server (its settings go with the start, and `pg_ctl restart` reuses them). */
  async start(): Promise<void> {
    const opts = [`-p ${this.port}`, `-k ${this.dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c shared_buffers=32MB', '-c max_connections=60'].join(
      ' ',
    );
    await this.exec('pg_ctl', ['start', '-D', this.data, '-w', '-t', '60', '-l', join(this.dir, 'server.log'), '-o', opts]);
  }

  /** `pg_ctl restart -m fast`: open connections are terminated, the server comes back at once. */
  async restart(): Promise<void> {
    await this.exec('pg_ctl', ['restart', '-D', this.data, '-m', 'fast', '-w', '-t', '60', '-l', join(this.dir, 'server.log')]);
  }

  /** `pg_ctl stop -m fast`: connections terminated, the port refuses until `start()`. */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['stop', '-D', this.data, '-m', 'fast', '-w', '-t', '60']);
  }

  /** Stops the server if it runs and removes its files. Safe to call twice. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.data, 'postmaster.pid'))) {
      await this.exec('pg_ctl', ['stop', '-D', this.data, '-m', 'immediate', '-w', '-t', '30']).catch((err: Error) =>
        console.error(`[pg-cluster] stop: ${err.message}`),
      );
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
