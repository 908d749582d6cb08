#!/usr/bin/env node
// Signed trigger intake benchmark: how many agent trigger requests a second `hookline serve`
// (embedded SQLite) accepts with 202, and their latency. See bench/README.md.
//
//   ceiling   a bare node:http server answering 202 to the same requests: what this machine,
//             Node and the load tool allow. Run in a child process like Hookline.
//   sqlite    the real CLI (`hookline serve`, SQLite, its own temp dir) in a child process; one
//             agent whose runner sleeps with max_concurrent_runs 1, so every accepted request
//             is a queued run and the benchmark measures intake, not agents.
// autocannon drives both from this process over keep-alive connections on 127.0.0.1. After
// the Hookline run, the runs in the store are counted and must equal the 202s (nothing lost).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'packages/server/bin/hookline.js');
const RESULTS = join(ROOT, 'bench/results/trigger-intake.json');
const DURATION = Number(process.env.BENCH_INTAKE_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_INTAKE_CONNECTIONS ?? 64);
const ADMIN_KEY = 'hl_sk_bench_admin_0123456789abcdef';
const SECRET = 'bench-trigger-secret-0123456789';
const BODY = JSON.stringify({
  event: 'pull_request.opened',
  source: 'github',
  data: { repository: 'org/repo', pr_number: 42, title: 'Benchmark the trigger intake' },
});
const SIGNATURE = createHmac('sha256', SECRET).update(BODY).digest('hex');

function child(args, env, cwd, ready) {
  const p = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not ready after 30 s:\n${out}`)), 30_000);
    const on = (b) => {
      out += b.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({ proc: p, url: m[1] });
      }
    };
    p.stdout.on('data', on);
    p.stderr.on('data', on);
    p.once('exit', (code) => reject(new Error(`exited (${code}) before ready:\n${out}`)));
  });
}

/** The process's CPU time so far in ms (user + system, from /proc; null elsewhere). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

function stop(p) {
  return new Promise((r) => {
    if (p.exitCode !== null) return r();
    p.once('exit', r);
    p.kill('SIGTERM');
    setTimeout(() => p.kill('SIGKILL'), 10_000).unref();
  });
}

function load(url) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { 'content-type': 'application/json', 'x-signature': SIGNATURE },
        body: BODY,
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
  });
}

const summary = (r) => ({
  accepted: r['2xx'],
  other: r.non2xx + r.errors + r.timeouts,
  per_second: Math.round(r['2xx'] / (r.duration || DURATION)),
  latency_ms: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
});

export async function ceiling() {
  const src = `require('node:http').createServer((q, s) => { const c = []; q.on('data', (d) => c.push(d)).on('end', () => { s.writeHead(202, { 'content-type': 'application/json' }); s.end('{"status":"accepted","run_id":"run_x"}'); }); }).listen(0, '127.0.0.1', function () { console.log('ready http://127.0.0.1:' + this.address().port); });`;
  const { proc, url } = await child(['-e', src], {}, ROOT, /ready (http:\S+)/);
  try {
    return summary(await load(`${url}/trigger`));
  } finally {
    await stop(proc);
  }
}

export async function hookline() {
  const dir = mkdtempSync(join(os.tmpdir(), 'hookline-bench-intake-'));
  mkdirSync(join(dir, 'agents', 'bench'), { recursive: true });
  // The agent sleeps; one run at a time; everything else stays queued.
  writeFileSync(
    join(dir, 'agents', 'bench', 'AGENT.md'),
    `---\ncrew: bench\nrunner: command\nrunner_config: {command: sleep, args: ["3600"]}\ntimeout: 2h\nwebhook_secret: ${SECRET}\n---\nBenchmark agent.\n`,
  );
  const env = { HOOKLINE_ADMIN_KEY: ADMIN_KEY, HOOKLINE_MASTER_KEY: '22'.repeat(32), HOOKLINE_LOG_LEVEL: 'warn' };
  // BENCH_SERVE_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
  const nodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const { proc, url } = await child([...nodeArgs, CLI, 'serve', '--port', '0'], env, dir, /listening on (http:\S+)/);
  try {
    const cpuBefore = cpuMs(proc.pid);
    const result = summary(await load(`${url}/api/v1/webhooks/bench/bench/trigger`));
    const cpuAfter = cpuMs(proc.pid);
    // The server's own CPU per accepted request: steadier than requests/s on a shared machine.
    result.server_cpu_us_per_request =
      cpuBefore === null || cpuAfter === null || !result.accepted ? null : Math.round(((cpuAfter - cpuBefore) * 1000) / result.accepted);
    const runs = await fetch(`${url}/api/v1/runs?agent_id=bench&limit=1`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }).then((r) => r.json());
    // Requests still in flight when the load tool stopped can be stored without being counted as
    // accepted, so stored ≥ accepted; fewer stored than accepted would be a lost request.
    return { ...result, runs_stored: runs.total, lost: Math.max(0, result.accepted - runs.total) };
  } finally {
    await stop(proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both runs; the result `npm run bench` folds into its summary (intake_per_s, intake_ceiling_per_s). */
export async function measureIntake() {
  const limit = await ceiling();
  const sqlite = await hookline();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    settings: { duration_seconds: DURATION, connections: CONNECTIONS, body_bytes: BODY.length },
    ceiling: limit,
    sqlite,
    ratio_to_ceiling: Math.round((sqlite.per_second / limit.per_second) * 100) / 100,
  };
}

export function printIntake(result) {
  const row = (name, r) =>
    `${name.padEnd(10)} ${String(r.per_second).padStart(8)}/s  p50 ${String(r.latency_ms.p50).padStart(4)} ms  p99 ${String(r.latency_ms.p99).padStart(4)} ms  non-202 ${r.other}`;
  console.log(`\nSigned trigger intake (${CONNECTIONS} connections, ${DURATION} s each, ${BODY.length}-byte body)`);
  console.log(row('ceiling', result.ceiling));
  console.log(
    row('sqlite', result.sqlite) +
      `  stored ${result.sqlite.runs_stored} runs for ${result.sqlite.accepted} accepted (lost ${result.sqlite.lost})  server CPU ${result.sqlite.server_cpu_us_per_request} µs/request`,
  );
  console.log(`ratio to ceiling: ${result.ratio_to_ceiling}   target: ≥ 10,000/s on SQLite`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const result = await measureIntake();
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(result, null, 2) + '\n');
  printIntake(result);
  console.log(`→ ${RESULTS}`);
  if (result.sqlite.lost !== 0) process.exitCode = 1;
}
