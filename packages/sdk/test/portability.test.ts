import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SDK_VERSION } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function files(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Code without comments, so a comment mentioning Buffer or node: is not a finding. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('the SDK runs anywhere fetch and WebCrypto do (Node 20+, Bun, Deno, edge runtimes)', () => {
  const sources = files(join(root, 'src'), /\.ts$/);
  const built = files(join(root, 'dist'), /\.js$/);

  it('finds the source and the build', () => {
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.map((f) => f.slice(root.length))).toContain('src/webhooks/verify.ts');
  });

  it.each([
    ['source', () => sources],
    ['build', () => built],
  ] as const)('%s: no node: imports, no Buffer, no require, no process outside the guarded env lookup, only relative imports', (_what, list) => {
    for (const file of list()) {
      const text = code(readFileSync(file, 'utf8'));
      const rel = file.slice(root.length);
      expect(text, rel).not.toMatch(/['"]node:/);
      expect(text, rel).not.toMatch(/\bBuffer\b/);
      expect(text, rel).not.toMatch(/\brequire\s*\(/);
      expect(text, rel).not.toMatch(/\bcrypto\s*\.\s*(createHmac|timingSafeEqual|randomBytes)\b/);
      // `process` appears only in client.ts's env(), read through globalThis inside a try.
      const processUses = text.match(/\bprocess\b/g) ?? [];
      if (rel.endsWith('client.ts') || rel.endsWith('client.js')) expect(processUses.length, rel).toBeLessThanOrEqual(2);
      else expect(processUses, rel).toEqual([]);
      for (const m of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)) {
        expect(m[1] ?? m[2], rel).toMatch(/^\.\.?\//);
      }
    }
  });

  it('HMAC comes from globalThis.crypto.subtle', () => {
    const verify = readFileSync(join(root, 'src/webhooks/verify.ts'), 'utf8');
    expect(verify).toContain('globalThis.crypto?.subtle');
  });

  it('has no runtime dependencies, compiles without Node types, and reports its own version', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.type).toBe('module');
    expect(SDK_VERSION).toBe(pkg.version);
    const tsconfig = readFileSync(join(root, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toMatch(/"types":\s*\[\]/);
  });
});

describe('the built SDK without Node globals', () => {
  it('calls a real Hookline without process and require, and verifies a signature without Buffer too', async () => {
    const { execFile } = await import('node:child_process');
    const { startHookline, ADMIN_KEY } = await import('../../server/test/helpers/hookline.js');
    expect(existsSync(join(root, 'dist/index.js')), 'build the SDK first: npx tsc -b packages/sdk').toBe(true);
    const h = await startHookline('sqlite');
    try {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [join(root, 'test/fixtures/no-node-globals.mjs'), h.url, ADMIN_KEY], (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
      expect(JSON.parse(out)).toEqual({
        defaultUrl: 'http://127.0.0.1:8787',
        store: 'sqlite',
        type: 'sdk.edge',
        tampered: 'invalid_signature',
        process: 'undefined',
        Buffer: 'undefined',
      });
    } finally {
      await h.close();
    }
  });
});
