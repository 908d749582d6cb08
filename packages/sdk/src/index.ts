export { Hookline, Hookline as default, type HooklineOptions, type TenantChoice } from './client.js';
export { HooklineApiError, HooklineConnectionError, HooklineError, HooklineTimeoutError } from './errors.js';
export type { Query, RequestOptions } from './http.js';
export type { Page, PageParams } from './pagination.js';
export type { RunCreate } from './resources/runs.js';
export type * from './types.js';
export { SDK_VERSION } from './version.js';
export * from './webhooks/index.js';
