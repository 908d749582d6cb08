import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type MasterKey, keyIdFor, parseMasterKey } from './secret-box.js';

export interface LoadMasterKeysOptions {
  /** Current key from the environment; when set, the key file is not used. */
  envKey?: string;
  /** Older keys still accepted for decryption after a rotation. */
  previousKeys?: string[];
  /** Fallback location; created with a fresh random key on first start. */
  keyFile: string;
}

/**
 * Resolves the master keys: the env key if given, otherwise the key file (generated on
 * first run so a fresh install works with zero config). Previous keys are appended in both
 * cases, so moving from a file key to an env key is a rotation like any other.
 */
export function loadMasterKeys(opts: LoadMasterKeysOptions): { keys: MasterKey[]; generated: boolean } {
  let current: Buffer;
  let generated = false;
  if (opts.envKey !== undefined && opts.envKey.trim() !== '') {
    current = parseLabelled(opts.envKey, 'master key from the environment');
  } else {
    const fromFile = readOrCreateKeyFile(opts.keyFile);
    current = fromFile.key;
    generated = fromFile.generated;
  }
  const all = [current, ...(opts.previousKeys ?? []).map((k, i) => parseLabelled(k, `previous master key #${i + 1}`))];
  const keys: MasterKey[] = [];
  for (const key of all) {
    // A key listed twice (e.g. current also left in previousKeys) is harmless; keep one.
    if (!keys.some((k) => k.key.equals(key))) keys.push({ id: keyIdFor(key), key });
  }
  return { keys, generated };
}

function parseLabelled(text: string, label: string): Buffer {
  try {
    return parseMasterKey(text);
  } catch (err) {
    throw new Error(`${label}: ${(err as Error).message}`);
  }
}

function readOrCreateKeyFile(file: string): { key: Buffer; generated: boolean } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    try {
      // 'wx' never overwrites: if another process created the file meanwhile, use theirs.
      fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      return { key, generated: true };
    } catch (writeErr) {
      if ((writeErr as NodeJS.ErrnoException).code !== 'EEXIST') throw writeErr;
      stat = fs.statSync(file);
    }
  }
  if (!stat.isFile()) throw new Error(`master key file ${file} is not a regular file`);
  // POSIX permission bits mean little on Windows, where this check would always fail.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(`master key file ${file} is accessible by group/other (mode ${mode}); ` + `restrict it with: chmod 600 ${file}`);
  }
  return { key: parseLabelled(fs.readFileSync(file, 'utf8'), `master key file ${file}`), generated: false };
}
