// The embeddable library: `import { Hookline, loadConfig } from 'hookline'`.
export { createHookline, Hookline, type HooklineOptions } from './app.js';
export { ConfigError, type HooklineConfig } from './config/index.js';
export { loadConfig, validateConfig } from './load-config.js';
export { verifySignature, signatureHeaders, type SigningScheme } from './crypto/index.js';
export { BUILTIN_EVENT_TYPES, type Envelope } from './events/index.js';
export { ManualClock, type Clock } from './util/index.js';
export { ERRORS, type ErrorName, UserError, type WireCode } from './errors/index.js';
