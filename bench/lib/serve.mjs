// The real `hookline serve` CLI in a child process (as a user runs it), for the HTTP steps.
import { spawn } from 'node:child_process';
import { ADMIN_KEY, CLI, MASTER_KEY } from './knobs.mjs';

const READY = /^Hookline (?:listening on (http:\/\/127\.0\.0\.1:\d+)|worker) /m;

/**
 * Starts `hookline serve` with `env` on top of the benchmark's keys and 127.0.0.1 allowed;
 * resolves once it printed its ready line, with its API URL ('' for a worker).
 */
export function startServe({ role, dataDir, env = {}, onPid }) {
  // BENCH_SERVE_NODE_ARGS: extra node flags for the serve processes (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...(role ? ['--role', role] : [])];
  const proc = spawn(process.execPath, args, {
    cwd: dataDir,
    env: {
      ...process.env,
      HOOKLINE_DATA_DIR: dataDir,
      HOOKLINE_ADMIN_KEY: ADMIN_KEY,
      HOOKLINE_MASTER_KEY: MASTER_KEY,
      HOOKLINE_ALLOW_NETWORKS: '127.0.0.1/32',
      HOOKLINE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onPid?.(proc.pid);
  let output = '';
  const stop = () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hookline serve ${role ?? 'all'} not ready after 30 s:\n${output.slice(-2000)}`)), 30_000);
    const onData = (chunk) => {
      // Keep the tail only (the log level is warn; a misbehaving run must not grow memory).
      output = (output + chunk.toString()).slice(-20_000);
      const m = READY.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, pid: proc.pid, url: m[1] ?? '', stop, output: () => output });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`hookline serve ${role ?? 'all'} exited (${signal ?? code}) before it was ready:\n${output.slice(-2000)}`));
    });
  });
}
