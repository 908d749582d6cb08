/**
 * The real `hookline serve` CLI in child processes, as the crash and fault scenarios run it:
 * a config file with short leases, the test keys in the environment, one process per role.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_KEY, answerOf, TEST_MASTER_KEY } from '../../test/helpers/hookline.js';
import { HooklineProcess } from '../../test/helpers/process.js';

export const API_READY = /^Hookline listening on (http:\/\/127\.0\.0\.1:\d+) /;
export const WORKER_READY = /^Hookline worker /;

/**
 * Writes `dir/hookline.yaml` with these `delivery:` settings (e.g. a short lease, so a killed
 * process's claims come back quickly) and any further top-level YAML lines.
 */
export function writeServeConfig(dir: string, delivery: Record<string, string | number>, more: string[] = []): string {
  const file = join(dir, 'hookline.yaml');
  const lines = ['server:', '  host: 127.0.0.1', 'delivery:', ...Object.entries(delivery).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`), ...more, ''];
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** The environment every test process gets: its data dir, the test keys, 127.0.0.1 allowed. */
export function serveEnv(dataDir: string): Record<string, string> {
  return {
    HOOKLINE_DATA_DIR: dataDir,
    HOOKLINE_ADMIN_KEY: ADMIN_KEY,
    HOOKLINE_MASTER_KEY: TEST_MASTER_KEY,
    HOOKLINE_ALLOW_NETWORKS: '127.0.0.1/32',
    HOOKLINE_LOG_LEVEL: 'warn',
  };
}

/**
 * `hookline serve` with `dir/hookline.yaml`, on a free port; resolves once it printed its ready
 * line, with its API URL ('' for a worker).
 */
export function serve(
  name: string,
  dir: string,
  o: { role?: 'api' | 'worker'; env?: Record<string, string>; dataDir?: string } = {},
): Promise<{ proc: HooklineProcess; url: string }> {
  const args = ['--config', join(dir, 'hookline.yaml'), 'serve', '--host', '127.0.0.1', '--port', '0', ...(o.role ? ['--role', o.role] : [])];
  return HooklineProcess.start({
    name,
    args,
    cwd: dir,
    env: { ...serveEnv(o.dataDir ?? dir), ...o.env },
    ready: o.role === 'worker' ? WORKER_READY : API_READY,
  });
}

/** A PostgreSQL URL with the schema chosen via `options` and the connections tagged for the leak check. */
export function schemaUrl(databaseUrl: string, schema: string, applicationName: string): string {
  const sep = databaseUrl.includes('?') ? '&' : '?';
  return `${databaseUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}&application_name=${encodeURIComponent(applicationName)}`;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One API request with the admin key; JSON in, JSON out. Rejects on a network error or after `timeoutMs`. */
export async function call(base: string, method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<Answer> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return answerOf(res);
}

export interface DeliveryTotals {
  pending: number;
  delivered: number;
  failed: number;
}

/** How many deliveries the store holds in each state, as the API reports them. */
export async function deliveryTotals(base: string): Promise<DeliveryTotals> {
  const total = async (status: string) => {
    const r = await call(base, 'GET', `/api/v1/deliveries?status=${status}&limit=1`);
    if (r.status !== 200) throw new Error(`GET /api/v1/deliveries?status=${status}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.total as number;
  };
  const [pending, delivered, failed] = await Promise.all([total('pending'), total('delivered'), total('failed')]);
  return { pending, delivered, failed };
}

/** Polls until the store has no pending delivery and at least `expected` finished ones (results are written in batches). */
export async function waitForSettled(base: string, expected: number, ms: number): Promise<DeliveryTotals> {
  const deadline = Date.now() + ms;
  for (;;) {
    const t = await deliveryTotals(base);
    if ((t.pending === 0 && t.delivered + t.failed >= expected) || Date.now() > deadline) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
}
