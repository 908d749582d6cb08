// The import rules `npm run lint` enforces (scripts/check-imports.mjs): each fails on a
// deliberate violation in a throwaway tree, and the real tree passes them all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { check } from '../../../scripts/check-imports.mjs';

interface Finding {
  rule: string;
  file: string;
  message: string;
}
const findings = (root?: string) => check(root) as Finding[];

const trees: string[] = [];
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A source tree from `{ 'path/file.ts': 'text' }`. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hookline-imports-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import rules', () => {
  it('pass on packages/server/src', () => {
    expect(findings()).toEqual([]);
  });

  it('find a cycle between modules, naming each file that closes it', () => {
    const root = tree({
      'a/index.ts': "export { b } from '../b/index.js';\n",
      'b/index.ts': "import { c } from '../c/index.js';\nexport const b = c;\n",
      'c/index.ts': "import type { b } from '../a/index.js';\nexport const c = 1 as unknown as typeof b;\n",
      'd/index.ts': "import { b } from '../b/index.js';\nexport const d = b;\n",
    });
    expect(findings(root)).toEqual([
      { rule: 'cycle', file: 'a/index.ts', message: 'import cycle: a -> b -> c -> a (each arrow: a/index.ts, b/index.ts, c/index.ts)' },
    ]);
  });

  it('find SQL drivers and Kysely outside store/, and Fastify outside api/', () => {
    const root = tree({
      'store/index.ts': "import { Kysely } from 'kysely';\nimport pg from 'pg';\nexport { Kysely, pg };\n",
      'events/publish.ts': "import { sql } from 'kysely';\nimport Database from 'better-sqlite3';\nexport { sql, Database };\n",
      'api/index.ts': "import Fastify from 'fastify';\nexport default Fastify;\n",
      'runs/http.ts': "export async function f() { return import('@fastify/websocket'); }\n",
    });
    expect(findings(root).map((f) => `${f.file}: ${f.message}`)).toEqual([
      'events/publish.ts: imports kysely: SQL drivers and Kysely belong to store',
      'events/publish.ts: imports better-sqlite3: SQL drivers and Kysely belong to store',
      'runs/http.ts: imports @fastify/websocket: Fastify and its plugins belong to api, app.ts',
    ]);
  });

  it('find delivery/ importing agents, runs or notifications', () => {
    const root = tree({
      'delivery/index.ts': "import { agent } from '../agents/index.js';\nexport const x = agent;\n",
      'agents/index.ts': 'export const agent = 1;\n',
    });
    expect(findings(root)).toEqual([{ rule: 'forbidden-module', file: 'delivery/index.ts', message: 'imports agents/: delivery/ knows nothing of agents' }]);
  });

  it('find channels/ importing what plans or administers', () => {
    const root = tree({
      'channels/index.ts': "import { plan } from '../notifications/index.js';\nexport const c = plan;\n",
      'notifications/index.ts': 'export const plan = 1;\n',
    });
    expect(findings(root)).toEqual([
      {
        rule: 'forbidden-module',
        file: 'channels/index.ts',
        message: 'imports notifications/: channels/ renders and prepares requests; planning and administration sit above it',
      },
    ]);
  });

  it('find net/ importing anything but util/ and errors/', () => {
    const root = tree({
      'net/index.ts':
        "import { UserError } from '../errors/index.js';\nimport { clock } from '../util/index.js';\nimport { Store } from '../store/index.js';\nexport const n = [UserError, clock, Store];\n",
      'errors/index.ts': 'export const UserError = 1;\n',
      'util/index.ts': 'export const clock = 1;\n',
      'store/index.ts': 'export const Store = 1;\n',
    });
    expect(findings(root)).toEqual([{ rule: 'low-module', file: 'net/index.ts', message: 'imports store/: net/ is low: it imports no domain module' }]);
  });

  it("find an import past a module's inner folder's index.ts, but not from inside that folder", () => {
    const root = tree({
      'channels/index.ts': "export { slack } from './slack/index.js';\nexport { message } from './slack/message.js';\n",
      'channels/shared.ts': 'export const shared = 1;\n',
      'channels/slack/index.ts': "export { message as slack } from './message.js';\n",
      'channels/slack/message.ts': "import { shared } from '../shared.js';\nexport const message = shared;\n",
      'channels/slack/message.test.ts': "import { message } from './message.js';\n",
      'channels/post-action/prepare.ts': "import { message } from '../slack/message.js';\nexport const p = message;\n",
      'agents/runners/http.ts': "import { x } from '../parts/x.js';\nexport const h = x;\n",
      'agents/parts/x.ts': 'export const x = 1;\n',
    });
    expect(findings(root)).toEqual([
      { rule: 'past-index', file: 'channels/index.ts', message: 'imports channels/slack/message.ts: enter channels/slack/ through its index.ts' },
      { rule: 'past-index', file: 'channels/post-action/prepare.ts', message: 'imports channels/slack/message.ts: enter channels/slack/ through its index.ts' },
    ]);
  });

  it("find an import past another folder's index.ts, but not within a folder or from tests", () => {
    const root = tree({
      'delivery/index.ts': "export { send } from './sender.js';\n",
      'delivery/sender.ts': 'export const send = 1;\n',
      'events/publish.ts': "import { send } from '../delivery/sender.js';\nexport const p = send;\n",
      'events/publish.test.ts': "import { send } from '../delivery/sender.js';\n",
      'app.ts': "import { send } from './delivery/index.js';\nexport const a = send;\n",
    });
    expect(findings(root)).toEqual([
      { rule: 'past-index', file: 'events/publish.ts', message: 'imports delivery/sender.ts: enter delivery/ through its index.ts' },
    ]);
  });
});
