import { existsSync, readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { didYouMean } from '../util/index.js';
import { ConfigSchema, ENV_VARS, type HooklineConfig } from './schema.js';

/** Thrown when configuration is unusable; the message says which key and how to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadOptions {
  /** Path of hookline.yaml. Default: ./hookline.yaml when it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values that win over file and environment (CLI flags, tests). */
  overrides?: Record<string, unknown>;
}

/** Replaces ${NAME} and ${NAME:-fallback} in the raw YAML text. */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv, file: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    const line = text.slice(0, text.indexOf(`\${${name}`)).split('\n').length;
    throw new ConfigError(`${file}:${line}: environment variable ${name} is not set. Set it, or write \${${name}:-default} to give a fallback.`);
  });
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deepMerge(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object')
      deepMerge(into[k] as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
  return into;
}

/**
 * Reads hookline.yaml (if any) and applies environment variables and overrides: the raw
 * options, not yet checked, and where they came from (for messages).
 */
export function readConfig(opts: LoadOptions = {}): { raw: Record<string, unknown>; source: string } {
  const env = opts.env ?? process.env;
  const file = opts.file ?? (existsSync('hookline.yaml') ? 'hookline.yaml' : undefined);
  let raw: Record<string, unknown> = {};
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`config file ${file} does not exist. Create it or drop --config.`);
    let parsed: unknown;
    try {
      parsed = parseYaml(substituteEnv(readFileSync(file, 'utf8'), env, file));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(`${file} is not valid YAML: ${(err as Error).message}`);
    }
    if (parsed != null && (typeof parsed !== 'object' || Array.isArray(parsed)))
      throw new ConfigError(`${file} must hold a mapping of options (see docs/configuration.md).`);
    raw = (parsed as Record<string, unknown>) ?? {};
  }
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    const value = spec.list
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : spec.number && /^\d+$/.test(v)
        ? Number(v)
        : v;
    setPath(raw, spec.path, value);
  }
  if (opts.overrides) deepMerge(raw, structuredClone(opts.overrides));
  return { raw, source: file ?? 'configuration' };
}

/**
 * Fills defaults and checks `raw` against the schema. What the schema cannot express (a
 * notification's templates, the default runner's settings) is checked by the modules that
 * own it: load-config.ts runs both.
 */
export function validateConfigShape(raw: Record<string, unknown>, source = 'configuration'): HooklineConfig {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw));
  // Value.Default swaps a mapping given for a list option for the list's default (a
  // `webhooks:` without its `-` would vanish), so wrong values are also looked for in `raw`.
  const seen = new Set<string>();
  const errors = [...Value.Errors(ConfigSchema, withDefaults), ...[...Value.Errors(ConfigSchema, raw)].filter((e) => e.value !== undefined)].filter((e) => {
    const k = `${e.path}\u0000${e.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  const problems = errors.slice(0, 10).map((e) => {
    // JSON pointer to `a.b[0].c`, the way users read it.
    const key =
      e.path
        .replace(/^\//, '')
        .split('/')
        .filter(Boolean)
        .reduce((s, seg) => (/^\d+$/.test(seg) ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), '') || '(root)';
    const schema = e.schema as { description?: string; secret?: boolean; properties?: Record<string, unknown>; anyOf?: { const?: unknown }[] };
    if (e.message.includes('Unexpected property')) {
      const name = e.path.split('/').pop() ?? '';
      return `unknown option "${key}"${didYouMean(name, Object.keys(schema.properties ?? {}))}. Remove it or check its spelling against docs/configuration.md.`;
    }
    const got = e.value === undefined || schema.secret ? '' : ` (got ${JSON.stringify(e.value, redactSecrets)})`;
    // A choice of words (server.role, webhook events): say which, and which was meant.
    const choices = schema.anyOf?.every((s) => typeof s.const === 'string') ? schema.anyOf.map((s) => s.const as string) : undefined;
    if (choices && e.value !== undefined) {
      const hint = typeof e.value === 'string' ? didYouMean(e.value, choices) : '';
      return `option "${key}": must be one of ${choices.map((c) => `"${c}"`).join(', ')}${got}${hint || '.'}${schema.description ? ` ${schema.description}` : ''}`;
    }
    return `option "${key}": ${e.message}${got}.${schema.description ? ` ${schema.description}` : ''}`;
  });
  if (problems.length) throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  return withDefaults as HooklineConfig;
}

/** Options whose values are never echoed in a message, wherever they sit in an echoed value. */
const SECRET_KEYS = new Set(['master_key', 'previous_master_keys', 'admin_key', 'bot_token', 'default_channel', 'secret', 'runner_config']);
const redactSecrets = (key: string, value: unknown): unknown => (SECRET_KEYS.has(key) ? '[redacted]' : value);
