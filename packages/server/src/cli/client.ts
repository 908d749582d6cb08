import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { Hookline } from '@hookline/sdk';
import { CliError, EXIT } from './errors.js';

/**
 * Where client commands find their server: --url/--api-key/--org/--env flags, then HOOKLINE_URL /
 * HOOKLINE_API_KEY / HOOKLINE_ORG / HOOKLINE_ENV, then a profile in ~/.config/hookline/config.json
 * (written by `hookline login`, mode 0600). Each setting is taken from the first place that has it.
 */

export interface Profile {
  url: string;
  api_key: string;
  /** The tenant the profile's commands act in (docs/tenants.md); absent: the key's own. */
  org?: string;
  env?: string;
}

export interface ProfileFile {
  default_profile?: string;
  profiles: Record<string, Profile>;
}

/** The global flags every client command understands (declared on the root program). */
export interface GlobalOptions {
  /** hookline.yaml, for the commands that are the server (serve, migrate, keys on the database). */
  config?: string;
  url?: string;
  apiKey?: string;
  profile?: string;
  /** The tenant to act in, sent as Hookline-Org / Hookline-Env. */
  org?: string;
  env?: string;
}

export function profilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'hookline', 'config.json');
}

export function readProfiles(path = profilePath()): ProfileFile {
  if (!existsSync(path)) return { profiles: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ProfileFile;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.profiles !== 'object' || parsed.profiles === null) throw new Error('no "profiles" object');
    return parsed;
  } catch (err) {
    throw new CliError(
      `${path} is not a valid profile file: ${(err as Error).message}`,
      EXIT.config,
      'config_invalid',
      'fix or delete it, then run hookline login again',
    );
  }
}

/** Writes the profile file atomically, readable by its owner only (it holds API keys). */
export function writeProfiles(file: ProfileFile, path = profilePath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function profileName(g: GlobalOptions, file: ProfileFile): string {
  return g.profile ?? process.env.HOOKLINE_PROFILE ?? file.default_profile ?? 'default';
}

export function checkUrl(raw: string, from: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CliError(`${from} "${raw}" is not a URL`, EXIT.config, 'config_invalid', 'use the server address, e.g. http://127.0.0.1:8787');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new CliError(`${from} must be an http:// or https:// URL`, EXIT.config, 'config_invalid', 'use the server address, e.g. http://127.0.0.1:8787');
  return raw.replace(/\/+$/, '');
}

export interface ClientSettings {
  url: string;
  apiKey: string;
  timeoutMs: number;
  org: string | undefined;
  env: string | undefined;
}

/** The tenant named by flags or the environment (before any profile), for commands that need it. */
export function tenantFlags(g: GlobalOptions): { org: string | undefined; env: string | undefined } {
  return { org: g.org ?? (process.env.HOOKLINE_ORG || undefined), env: g.env ?? (process.env.HOOKLINE_ENV || undefined) };
}

/** The server and key this invocation talks to; config error (78) when either is missing. */
export function clientSettings(g: GlobalOptions): ClientSettings {
  const explicitProfile = g.profile ?? process.env.HOOKLINE_PROFILE;
  const needProfile = !(g.url ?? process.env.HOOKLINE_URL) || !(g.apiKey ?? process.env.HOOKLINE_API_KEY) || explicitProfile !== undefined;
  const file = needProfile ? readProfiles() : { profiles: {} };
  const name = profileName(g, file);
  const profile = file.profiles[name];
  if (explicitProfile !== undefined && !profile) {
    throw new CliError(
      `there is no profile "${name}" in ${profilePath()}`,
      EXIT.config,
      'config_missing',
      `create it with: hookline login --profile ${name} --url <server> --api-key <key>`,
    );
  }
  const url = g.url ?? process.env.HOOKLINE_URL ?? profile?.url;
  const apiKey = g.apiKey ?? process.env.HOOKLINE_API_KEY ?? profile?.api_key;
  if (!url)
    throw new CliError(
      'no Hookline server configured',
      EXIT.config,
      'config_missing',
      'pass --url, set HOOKLINE_URL, or run: hookline login --url http://127.0.0.1:8787 --api-key hl_sk_…',
    );
  if (!apiKey)
    throw new CliError(
      'no API key configured',
      EXIT.config,
      'config_missing',
      'pass --api-key, set HOOKLINE_API_KEY, or run: hookline login --url … --api-key hl_sk_…',
    );
  // The tenant is one choice: flags or variables that name either part replace the profile's pair.
  const named = tenantFlags(g);
  const tenant = named.org || named.env ? named : { org: profile?.org, env: profile?.env };
  return {
    url: checkUrl(url, g.url ? '--url' : process.env.HOOKLINE_URL ? 'HOOKLINE_URL' : `profile "${name}" url`),
    apiKey,
    timeoutMs: 30_000,
    org: tenant.org,
    env: tenant.env,
  };
}

/** The root program's options as seen from any (nested) subcommand. */
export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

export interface Connected {
  client: Hookline;
  settings: ClientSettings;
}

/** An SDK client for this invocation. One retry for reads: a CLI should answer promptly. */
export function connect(cmd: Command): Connected {
  const settings = clientSettings(globals(cmd));
  // '' rather than undefined: the SDK would otherwise read HOOKLINE_ORG/HOOKLINE_ENV again itself.
  const client = new Hookline({
    apiKey: settings.apiKey,
    baseUrl: settings.url,
    timeoutMs: settings.timeoutMs,
    maxRetries: 1,
    org: settings.org ?? '',
    env: settings.env ?? '',
  });
  return { client, settings };
}
