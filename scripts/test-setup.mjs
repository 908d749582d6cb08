#!/usr/bin/env node
// What `npm test` needs besides the root `npm ci`, made ready before the build and vitest:
//   1. PostgreSQL answering at the test URL (a stopped local cluster is started);
//   2. the system commands some tests run (apt-get installs the missing ones when run as root);
//   3. bun and deno for the SDK's runtimes test, installed outside the default install.
// Anything it cannot do it stops at once with the one command that does it. It has no skip
// switch: a missing dependency must fail here, not show up later as a skipped or failed test.
// One line per step; with everything present it takes well under a second.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const pg = createRequire(join(REPO, 'packages/server/package.json'))('pg');

/** The same default as packages/server/test/helpers/postgres.ts. */
const DATABASE_URL = process.env.HOOKLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The commands tests run that `npm ci` cannot install: what to look for, and Debian's package that provides it. */
const SYSTEM_COMMANDS = [
  { name: 'Chromium', command: '/usr/bin/chromium', debianPackage: 'chromium', usedBy: 'the dashboard browser tests' },
  { name: 'Go', command: 'go', debianPackage: 'golang-go', usedBy: 'the Go signing examples' },
  { name: 'Python 3', command: 'python3', debianPackage: 'python3', usedBy: 'the Python SDK, the examples and the docs blocks' },
];

/** bun and deno for packages/sdk/test/runtimes.test.ts, which looks for them here. */
const TEST_RUNTIMES = join(REPO, 'packages/sdk/test/runtimes');

const MAX_START_WAIT_MS = 60_000;
const isRoot = process.getuid?.() === 0;
const say = (line) => console.log(`test set-up: ${line}`);

/** Stops the set-up with what is wrong and the command that mends it. */
function stop(problem, command) {
  console.error(`test set-up: ${problem}${command ? `\n\n  ${command}\n` : ''}`);
  process.exit(1);
}

/** The URL without its password, for messages. */
function shown(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}

/** null when PostgreSQL answers `SELECT 1` at the URL, else the error. */
async function databaseError() {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    // Node's AggregateError (every address of "localhost" refused) has a code but no message.
    if (!err.message) err.message = err.code ?? String(err);
    return err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The local cluster (Debian's postgresql-common) that listens on `port`, if one is installed. */
function localCluster(port) {
  const listed = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  if (listed.error || listed.status !== 0) return undefined;
  const clusters = listed.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim().split(/\s+/));
  const found = clusters.find((fields) => fields[2] === String(port));
  return found && { version: found[0], name: found[1], online: found[3] === 'online' };
}

/** Nothing listens yet, or the server is still starting: worth waiting for after a start. */
const notYet = (err) => err.code === 'ECONNREFUSED' || err.code === '57P03';

/** Starts the stopped local cluster on `port` when root and waits for it; returns the URL's error after that (null: it answers). */
async function startLocalCluster(port, database) {
  const cluster = localCluster(port);
  if (!cluster) {
    stop(
      `nothing answers at ${shown(DATABASE_URL)} and no local PostgreSQL cluster listens on port ${port} (pg_lsclusters). Install PostgreSQL (apt-get install postgresql), let user postgres in from 127.0.0.1 with trust authentication and create the database "${database}", or set HOOKLINE_TEST_DATABASE_URL to a server you have.`,
    );
  }
  const label = `PostgreSQL ${cluster.version}/${cluster.name}`;
  const start = `pg_ctlcluster --skip-systemctl-redirect ${cluster.version} ${cluster.name} start`;
  if (cluster.online) stop(`${label} is running but nothing answers at ${shown(DATABASE_URL)}: check its listen_addresses.`);
  if (!isRoot) stop(`${label} is installed but stopped; start it:`, `sudo ${start}`);
  say(`starting ${label} (${start})`);
  const started = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'], { stdio: 'inherit' });
  if (started.status !== 0) stop(`\`${start}\` failed (${started.error?.message ?? `exit ${started.status}`}); its output is above.`);
  const deadline = Date.now() + MAX_START_WAIT_MS;
  let err = await databaseError();
  while (err && notYet(err) && Date.now() < deadline) {
    await sleep(250);
    err = await databaseError();
  }
  if (err && notYet(err)) stop(`${label} started but ${shown(DATABASE_URL)} still does not answer after ${MAX_START_WAIT_MS / 1000} s: ${err.message}`);
  return err;
}

async function ensurePostgres() {
  if (!URL.canParse(DATABASE_URL)) stop('HOOKLINE_TEST_DATABASE_URL is not a URL; it looks like postgres://postgres@127.0.0.1:5432/test.');
  const url = new URL(DATABASE_URL);
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const user = decodeURIComponent(url.username || 'postgres');
  const database = decodeURIComponent(url.pathname.slice(1)) || user;
  let err = await databaseError();
  if (err?.code === 'ECONNREFUSED' && ['127.0.0.1', 'localhost', '[::1]'].includes(host)) err = await startLocalCluster(port, database);
  if (!err) return say(`PostgreSQL answers at ${shown(DATABASE_URL)}`);
  if (err.code === '3D000')
    stop(`PostgreSQL answers at ${shown(DATABASE_URL)} but has no database "${database}"; create it:`, `createdb -h ${host} -p ${port} -U ${user} ${database}`);
  stop(
    `connecting to PostgreSQL at ${shown(DATABASE_URL)} failed: ${err.message}. The tests need that server, with trust authentication for user ${user}; fix it or set HOOKLINE_TEST_DATABASE_URL to one that answers.`,
  );
}

/** Whether `command` (a path, or a name looked up on PATH) is an executable. */
function found(command) {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  return candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function ensureSystemCommands() {
  const names = SYSTEM_COMMANDS.map((c) => c.name).join(', ');
  let missing = SYSTEM_COMMANDS.filter((c) => !found(c.command));
  if (missing.length === 0) return say(`${names} are installed`);
  const what = missing.map((c) => `${c.name} (${c.command}, for ${c.usedBy})`).join(', ');
  const packages = missing.map((c) => c.debianPackage).join(' ');
  if (!existsSync('/etc/debian_version')) stop(`missing ${what}. Install them with your system's package manager (Debian's packages: ${packages}).`);
  if (!isRoot) stop(`missing ${what}. Install them as root:`, `sudo apt-get update && sudo apt-get install -y ${packages}`);
  say(`installing ${packages} with apt-get (for ${what}; a minute or two)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...missing.map((c) => c.debianPackage)],
  ]) {
    const apt = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (apt.status !== 0) stop(`\`apt-get ${args.join(' ')}\` failed (${apt.error?.message ?? `exit ${apt.status}`}); its output is above.`);
  }
  missing = missing.filter((c) => !found(c.command));
  if (missing.length > 0) stop(`apt-get installed ${packages} but ${missing.map((c) => c.command).join(', ')} is still not there.`);
  say(`${names} are installed`);
}

function ensureTestRuntimes() {
  try {
    ensureInstalled(TEST_RUNTIMES, 'test set-up');
  } catch (err) {
    stop(err.message);
  }
}

await ensurePostgres();
ensureSystemCommands();
ensureTestRuntimes();
