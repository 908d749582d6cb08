#!/usr/bin/env node
// Installs a directory's own package-lock.json into <dir>/node_modules, unless that exact
// lockfile is installed there already. Packages only the tests or the benchmarks need (bun,
// deno, pg-boss, autocannon) live in such directories, so the root `npm ci` stays small.
//
//   node scripts/ensure-installed.mjs bench
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm ci` leaves the hash of the lockfile it installed: matching means nothing to do. */
const STAMP = '.installed-lockfile-sha256';

function lockfileHash(dir) {
  return createHash('sha256')
    .update(readFileSync(join(dir, 'package-lock.json')))
    .digest('hex');
}

/** Whether `dir`'s node_modules holds exactly what its lockfile says (as installed by `install`). */
function upToDate(dir) {
  const stamp = join(dir, 'node_modules', STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lockfileHash(dir);
}

/** `npm ci` in `dir`; its own lines ("added 4 packages in 9s") are the progress the reader sees. Throws when npm fails. */
function install(dir) {
  const npm = spawnSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (npm.error) throw new Error(`could not run npm: ${npm.error.message}`);
  if (npm.status !== 0) throw new Error(`\`npm ci --prefix ${relative(REPO, dir) || '.'}\` failed (exit ${npm.status}); its output is above`);
  writeFileSync(join(dir, 'node_modules', STAMP), `${lockfileHash(dir)}\n`);
}

/** Installs `dir` unless it is up to date, saying which on one line that starts with `label`. */
export function ensureInstalled(dir, label) {
  const what = pinned(dir);
  if (upToDate(dir)) return console.log(`${label}: ${what} already installed in ${relative(REPO, dir)}`);
  console.log(`${label}: installing ${what} (npm ci --prefix ${relative(REPO, dir)})`);
  install(dir);
}

/** The exact versions a side directory pins, e.g. "pg-boss 10.4.2, autocannon 9.0.0". */
export function pinned(dir) {
  const { dependencies } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return Object.entries(dependencies)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(REPO, process.argv[2] ?? '');
  if (!process.argv[2] || !existsSync(join(dir, 'package-lock.json'))) {
    console.error('usage: node scripts/ensure-installed.mjs <directory with a package.json and package-lock.json>');
    process.exit(2);
  }
  try {
    ensureInstalled(dir, relative(REPO, dir));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
