/**
 * Configuration, read and checked whole: the schema (config/, which imports nothing above it)
 * and then the checks only the owning modules can make (notification settings and templates,
 * the default runner's settings). Every entry point loads configuration through here.
 */
import { defaultRunnerProblems } from './agents/index.js';
import { ConfigError, type HooklineConfig, type LoadOptions, readConfig, validateConfigShape } from './config/index.js';
import { notificationProblems } from './channels/index.js';

/** Loads hookline.yaml (if any), applies environment variables and overrides, fills defaults, validates. */
export function loadConfig(opts: LoadOptions = {}): HooklineConfig {
  const { raw, source } = readConfig(opts);
  return validateConfig(raw, source);
}

/** Fills defaults and checks everything; a ConfigError names each problem's key and how to fix it. */
export function validateConfig(raw: Record<string, unknown>, source = 'configuration'): HooklineConfig {
  const config = validateConfigShape(raw, source);
  const problems = [...notificationProblems(config.notifications), ...defaultRunnerProblems(config)];
  if (problems.length) throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  return config;
}
