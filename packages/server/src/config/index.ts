export { ConfigSchema, ENV_VARS, type HooklineConfig } from './schema.js';
export { ConfigError, readConfig, validateConfigShape, substituteEnv, type LoadOptions } from './load.js';
export { DEFAULT_AGENT_TIMEOUT_SECONDS, NOTIFY_EVENTS, RUNNERS, WEBHOOK_NAME_PATTERN } from './vocabulary.js';
export { renderConfigReference } from './reference.js';
