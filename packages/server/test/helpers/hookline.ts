import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hookline, type HooklineOptions } from '../../src/app.js';
import { validateConfig } from '../../src/load-config.js';
import { expect } from 'vitest';
import { trackLive } from './live-hooklines.js';
import { createTestSchema, TEST_DATABASE_URL } from './postgres.js';

export type StoreKind = 'sqlite' | 'postgres';
export const STORES: StoreKind[] = ['sqlite', 'postgres'];

export const ADMIN_KEY = 'hl_sk_test_admin_0123456789abcdef';
export const TEST_MASTER_KEY = '11'.repeat(32);

export interface Harness {
  hl: Hookline;
  url: string;
  /** fetch against the API with the admin key (or `key`); JSON in, JSON out. */
  call(method: string, path: string, body?: unknown, key?: string | null): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Omit<HooklineOptions, 'config'> {
  overrides?: Record<string, any>;
}

/** A response as tests read it: the status, the body as JSON when it parses (else the text), the headers. */
export async function answerOf(res: Response): Promise<{ status: number; body: any; headers: Headers }> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body, headers: res.headers };
}

/** The test running now, or the file's hooks when none is. */
export function startedIn(): string {
  return expect.getState().currentTestName ?? `a hook of ${expect.getState().testPath ?? 'the file'}`;
}

/** An in-process Hookline on a throwaway SQLite file or PostgreSQL schema, listening on 127.0.0.1:0. */
export async function startHookline(kind: StoreKind, o: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-test-'));
  // Given `schema` (and `applicationName`), this instance joins another harness's schema (cluster tests); that one drops it.
  const pg = kind === 'postgres' && !o.schema ? await createTestSchema() : undefined;
  const ov = o.overrides ?? {};
  const config = validateConfig({
    ...ov,
    data_dir: dataDir,
    server: { port: 0, ...ov.server },
    database: kind === 'postgres' ? { url: TEST_DATABASE_URL, pool_size: 4, ...ov.database } : { ...ov.database },
    security: { admin_key: ADMIN_KEY, master_key: TEST_MASTER_KEY, ...ov.security },
    delivery: { allow_networks: ['127.0.0.1/32'], ...ov.delivery },
    log: { level: 'silent', ...ov.log },
  });
  const { overrides: _, ...rest } = o;
  const hl = await Hookline.create({ ...rest, config, ...(pg ? { schema: pg.schema, applicationName: pg.applicationName } : {}) });
  await hl.bootstrapAdminKey();
  const close = async () => {
    await hl.stop();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const untrack = trackLive(`a ${kind} Hookline started in "${startedIn()}"`, close);
  const url = (await hl.start()) ?? '';
  return {
    hl,
    url,
    async call(method, path, body, key = ADMIN_KEY) {
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
      return answerOf(res);
    },
    async close() {
      untrack();
      await close();
    },
  };
}
