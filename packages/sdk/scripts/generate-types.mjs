#!/usr/bin/env node
/**
 * Writes src/generated/api-types.ts from Hookline's OpenAPI document.
 *
 *   npm run generate -w packages/sdk                 # starts the built server in-process (packages/server/dist)
 *   npm run generate -w packages/sdk -- --url http://127.0.0.1:8787   # or reads a running Hookline's /openapi.json
 *   npm run generate -w packages/sdk -- --file openapi.json           # or a saved document
 *   ... -- --check                                    # exit 1 if the checked-in file differs, write nothing
 *
 * The in-process server runs with role `api` on a throwaway SQLite file: no workers, no
 * listening port beyond 127.0.0.1:0, gone when the script ends.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openApiToTs } from './openapi-to-ts.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sdkDir = join(here, '..');
const serverDir = join(sdkDir, '..', 'server');
export const OUTPUT = join(sdkDir, 'src', 'generated', 'api-types.ts');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** The document of a Hookline built from packages/server (run `npx tsc -b packages/server` first). */
async function fromBuiltServer() {
  const app = join(serverDir, 'dist', 'app.js');
  if (!existsSync(app)) throw new Error(`no built server at ${app}; run \`npx tsc -b packages/server\` first, or pass --url of a running Hookline`);
  if (newestMtime(join(serverDir, 'src')) > statSync(app).mtimeMs) {
    console.warn('warning: packages/server/src changed after the last build; run `npx tsc -b packages/server` for types that match the source');
  }
  const { Hookline } = await import(pathToFileURL(app).href);
  const { validateConfig } = await import(pathToFileURL(join(serverDir, 'dist', 'load-config.js')).href);
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-openapi-'));
  try {
    const config = validateConfig({
      data_dir: dataDir,
      server: { host: '127.0.0.1', port: 0, role: 'api' },
      // Throwaway keys: nothing is stored that outlives this process.
      security: { admin_key: 'hl_sk_openapi_generator_0000000000', master_key: '00'.repeat(32) },
      log: { level: 'silent' },
    });
    const hl = await Hookline.create({ config });
    try {
      const url = await hl.start();
      return await fromUrl(url);
    } finally {
      await hl.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function fromUrl(url) {
  const res = await fetch(`${url.replace(/\/+$/, '')}/openapi.json`);
  if (!res.ok) throw new Error(`${url}/openapi.json answered HTTP ${res.status}`);
  return res.json();
}

async function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const url = arg('--url');
  const file = arg('--file');
  const document = file ? JSON.parse(readFileSync(file, 'utf8')) : url ? await fromUrl(url) : await fromBuiltServer();
  const text = openApiToTs(document);
  if (argv.includes('--check')) {
    const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${OUTPUT} is out of date; run: npm run generate -w packages/sdk`);
      process.exit(1);
    }
    console.log('api-types.ts is up to date');
    return;
  }
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT} (${Object.keys(document.paths ?? {}).length} paths)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
