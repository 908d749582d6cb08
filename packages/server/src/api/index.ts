export { buildApi, type ApiOptions } from './server.js';
export type { ApiDeps } from './deps.js';
export { routeTable, type RouteEntry } from './route-table.js';
