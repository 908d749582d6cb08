// The surface of net/: outbound connections that honour the SSRF guard, and the save-time check
// of a destination URL. Low in the tree: it imports util/ and errors/ only, no domain module.
export { checkDestinationUrl, type DestinationUrlCheck } from './destination-url.js';
export { classifyNetError, errorWithCode, guardedAgent, type NetErrorCode, type Resolver } from './guarded-connect.js';
export { SsrfGuard } from './ssrf-guard.js';
