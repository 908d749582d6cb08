export { ConfigSchema, ENV_VARS, type HooklineConfig } from './schema.js';
export { ConfigError, loadConfig, validateConfig, substituteEnv, type LoadOptions } from './load.js';
export { renderConfigReference } from './reference.js';
