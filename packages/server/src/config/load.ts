import { existsSync, readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
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
    if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object') deepMerge(into[k] as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
  return into;
}

/** Loads hookline.yaml (if any), applies environment variables and overrides, fills defaults, validates. */
export function loadConfig(opts: LoadOptions = {}): HooklineConfig {
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
    if (parsed != null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new ConfigError(`${file} must hold a mapping of options (see docs/configuration.md).`);
    raw = (parsed as Record<string, unknown>) ?? {};
  }
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    const value = spec.list ? v.split(',').map((s) => s.trim()).filter(Boolean) : spec.number && /^\d+$/.test(v) ? Number(v) : v;
    setPath(raw, spec.path, value);
  }
  if (opts.overrides) deepMerge(raw, structuredClone(opts.overrides));
  return validateConfig(raw, file ?? 'configuration');
}

export function validateConfig(raw: Record<string, unknown>, source = 'configuration'): HooklineConfig {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw));
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].slice(0, 10).map((e) => {
    const key = e.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const hint = (e.schema as { description?: string }).description;
    if (e.message.includes('Unexpected property')) {
      return `unknown option "${key}". Remove it or check its spelling against docs/configuration.md.`;
    }
    return `option "${key}": ${e.message}${e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`}.${hint ? ` ${hint}` : ''}`;
  });
  if (problems.length) throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  return withDefaults as HooklineConfig;
}
