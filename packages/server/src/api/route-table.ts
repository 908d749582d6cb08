import type { FastifyInstance } from 'fastify';

/** One method and URL pattern the API serves, as registered (e.g. `GET /api/v1/runs/:id`). */
export interface RouteEntry {
  method: string;
  url: string;
  websocket: boolean;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Starts recording every route registered on `app` from now on (call before registering any). */
export function recordRoutes(app: FastifyInstance): void {
  const list: RouteEntry[] = [];
  tables.set(app, list);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) list.push({ method, url: r.url, websocket: Boolean((r as { websocket?: boolean }).websocket) });
  });
}

/** The routes `app` serves: read-only, for audits such as the test that every route needs a key. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return Object.freeze([...(tables.get(app) ?? [])]);
}
