// The docs cannot rot: every code block marked runnable in README.md and docs/**/*.md is run
// against a real Hookline, in file order, and must succeed and print what its `# → …` lines
// say. Blocks that show a repository file (```js file=examples/…) must be that file. The
// markers are described in helpers/docs.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type Block, cleanEnv, docFiles, expectations, parseBlocks, Proc, REPO, runToEnd, unmet } from './helpers/docs.js';
import { freePort } from './helpers/ports.js';
import { ADMIN_KEY, type Harness, startHookline } from './helpers/hookline.js';

const FILES = docFiles();
const BLOCKS = FILES.flatMap((f) => parseBlocks(f));
const RUNNERS: Record<string, string> = { sh: 'bash', bash: 'bash', js: 'node', mjs: 'node', python: 'python3', py: 'python3' };
/** The address the docs show; the test's Hookline listens on a free port instead. */
const DOC_ORIGIN = 'http://127.0.0.1:8787';

describe('doc blocks that show a repository file', () => {
  it('equal the file they name, byte for byte', () => {
    const copies = BLOCKS.filter((b) => b.source);
    expect(copies.length).toBeGreaterThanOrEqual(15); // the signing examples and the recipes' files
    const stale = copies.filter((b) => {
      const file = readFileSync(join(REPO, b.source!), 'utf8');
      return b.code !== (file.endsWith('\n') ? file : `${file}\n`);
    });
    expect(stale.map((b) => `${b.file}:${b.line} differs from ${b.source}: copy the file into the block again`)).toEqual([]);
  });
});

describe('runnable markers', () => {
  it('every runnable block is in a language the test runs', () => {
    const bad = BLOCKS.filter((b) => b.runnable && !RUNNERS[b.lang]).map((b) => `${b.file}:${b.line} (${b.lang || 'no language'})`);
    expect(bad).toEqual([]);
  });

  it('the quick start is runnable from its first step to its last', () => {
    const qs = BLOCKS.filter((b) => b.file === 'docs/quickstart.md');
    expect(qs.filter((b) => b.config)).toHaveLength(1);
    expect(qs.filter((b) => b.runnable && b.background).length).toBeGreaterThanOrEqual(1);
    expect(qs.filter((b) => b.runnable && !b.background).length).toBeGreaterThanOrEqual(10);
  });

  it('the `# → …` matcher needs every line, in order', () => {
    expect(unmet('{"status":"accepted","run_id":"run_1"}', ['"status":"accepted"', '"run_id":"run_…"'])).toBeUndefined();
    expect(unmet('{"run_id":"run_1","status":"accepted"}', ['"status":"accepted"', '"run_id"'])).toBe('"run_id"');
    expect(unmet('401', ['202'])).toBe('202');
  });
});

/**
 * One page's runnable blocks, as a reader would run them: one Hookline configured as the
 * page's `hookline-config` block says, the page's fixed ports swapped for free ones (so test
 * files can run side by side), and one shell whose variables carry from block to block.
 */
class Page {
  h!: Harness;
  private readonly dir = mkdtempSync(join(tmpdir(), 'hookline-docs-'));
  private readonly state = join(this.dir, 'state.sh');
  private readonly ports = new Map<string, string>();
  private readonly background: Proc[] = [];

  constructor(
    readonly file: string,
    readonly blocks: Block[],
  ) {}

  async start(): Promise<void> {
    const texts = this.blocks
      .filter((b) => b.runnable || b.config)
      .map((b) => b.code)
      .join('\n');
    for (const m of texts.matchAll(/127\.0\.0\.1:(\d{2,5})|\bPORT=(\d{2,5})/g)) {
      const doc = m[1] ?? m[2]!;
      if (doc !== '8787' && !this.ports.has(doc)) this.ports.set(doc, String(await freePort()));
    }
    const config = this.blocks.filter((b) => b.config);
    if (config.length > 1) throw new Error(`${this.file}: more than one hookline-config block`);
    // Exactly the options the page tells the reader to put in hookline.yaml (ports aside).
    const overrides = config[0] ? ((parseYaml(this.rewrite(config[0].code)) as Record<string, unknown>) ?? {}) : {};
    this.h = await startHookline('sqlite', { overrides });
    writeFileSync(this.state, '');
  }

  /** The page's ports → this run's ports. */
  private rewrite(code: string): string {
    let out = code;
    for (const [doc, real] of this.ports)
      out = out.replaceAll(`127.0.0.1:${doc}`, `127.0.0.1:${real}`).replace(new RegExp(`\\bPORT=${doc}\\b`, 'g'), `PORT=${real}`);
    return out;
  }

  /** This run's addresses → the page's, so output compares with what the page shows. */
  private normalise(output: string): string {
    let out = output.replaceAll(this.h.url, DOC_ORIGIN);
    for (const [doc, real] of this.ports) out = out.replaceAll(`127.0.0.1:${real}`, `127.0.0.1:${doc}`);
    return out;
  }

  /** What a reader has set: the address and key of their Hookline, where it keeps its data, a folder for backups. */
  private env(): Record<string, string> {
    return cleanEnv({
      HL: this.h.url,
      HL_KEY: ADMIN_KEY,
      HOOKLINE_URL: this.h.url,
      HOOKLINE_API_KEY: ADMIN_KEY,
      HOOKLINE_ADMIN_KEY: ADMIN_KEY,
      HOOKLINE_DATA_DIR: this.h.hl.config.data_dir,
      BACKUP_DIR: this.dir,
      HOOKLINE_DOCS_STATE: this.state,
      // The docs say `pip install ./packages/sdk-python`; this is the same package, uninstalled.
      PYTHONPATH: join(REPO, 'packages/sdk-python'),
    });
  }

  /** The bash that runs a block: the shared variables in, `set -e`, the variables out again. */
  private script(b: Block): string[] {
    const load = 'set -a; . "$HOOKLINE_DOCS_STATE"; set +a;';
    const code = this.rewrite(b.code);
    if (RUNNERS[b.lang] === 'node') return ['-c', `${load} exec node --input-type=module -e "$0"`, code];
    if (RUNNERS[b.lang] === 'python3') return ['-c', `${load} exec python3 -c "$0"`, code];
    if (b.background) return ['-c', `${load}\n${code}`];
    const save = `trap '__s=$?; { export -p | grep -vE "^declare -x (PWD|OLDPWD|SHLVL|_)(=|$)"; declare -f; } > "$HOOKLINE_DOCS_STATE.new"; mv "$HOOKLINE_DOCS_STATE.new" "$HOOKLINE_DOCS_STATE"; exit $__s' EXIT`;
    // set -a: a plain `X=…` in one block is still there in the next, as in one terminal.
    return ['-c', `set -a; . "$HOOKLINE_DOCS_STATE"\n${save}\nset -e\n${code}`];
  }

  async run(b: Block): Promise<void> {
    const where = `${b.file}:${b.line}`;
    const expects = expectations(b.code);
    if (b.background) {
      const p = Proc.spawn('bash', this.script(b), { env: this.env() });
      this.background.push(p);
      await p.waitFor(
        expects.map((e) => this.rewrite(e)),
        where,
      );
      return;
    }
    const r = await runToEnd('bash', this.script(b), { env: this.env(), ms: 60_000 });
    const out = this.normalise(r.stdout);
    const shown = `\n--- stdout\n${out.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
    // DOCS_PRINT=1 shows what each block printed, for writing the page's sample output.
    if (process.env.DOCS_PRINT) console.log(`${where}${shown}`);
    if (r.code !== 0) throw new Error(`${where}: exited with ${r.code}${shown}`);
    const missing = unmet(out, expects);
    if (missing !== undefined) throw new Error(`${where}: the output lacks ${JSON.stringify(missing)}${shown}`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.background.map((p) => p.stop()));
    if (process.env.DOCS_PRINT) for (const p of this.background) console.log(`${this.file} (background)\n${this.normalise(p.stdout)}`);
    await this.h?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('SDK calls shown in the docs', () => {
  // The pages whose TypeScript and Python snippets are illustrative (not run): at least the
  // methods they call must exist, so a renamed SDK method cannot leave them behind.
  const PAGES = ['docs/resources.md', 'docs/quickstart.md', 'docs/concepts.md', 'docs/operations.md', 'docs/signing.md'];
  const chains = (langs: string[], re: RegExp) => [
    ...new Set(BLOCKS.filter((b) => PAGES.includes(b.file) && langs.includes(b.lang)).flatMap((b) => [...b.code.matchAll(re)].map((m) => m[1]!))),
  ];

  it('every client.… method in the TypeScript snippets exists in @hookline/sdk', async () => {
    const sdk = '@hookline/sdk';
    const { Hookline } = await import(sdk);
    const client = new Hookline({ apiKey: 'hl_sk_docs_check_0000000000', baseUrl: 'http://127.0.0.1:1' });
    const used = chains(['ts', 'typescript', 'js'], /\bclient\.((?:[a-zA-Z]+\.)*[a-zA-Z]+)\(/g);
    expect(used.length).toBeGreaterThanOrEqual(20);
    const missing = used.filter((c) => typeof c.split('.').reduce((o: any, k) => o?.[k], client) !== 'function');
    expect(missing).toEqual([]);
  });

  it('every client.… method in the Python snippets exists in packages/sdk-python', async () => {
    const used = chains(['python', 'py'], /\bclient\.((?:[a-z_]+\.)*[a-z_]+)\(/g);
    expect(used.length).toBeGreaterThanOrEqual(20);
    const check = [
      'import json, sys',
      'from hookline import Hookline',
      'c = Hookline(api_key="hl_sk_docs_check_0000000000", base_url="http://127.0.0.1:1")',
      'def found(chain):',
      '    o = c',
      '    for part in chain.split("."):',
      '        o = getattr(o, part, None)',
      '    return callable(o)',
      'print(json.dumps([x for x in json.load(sys.stdin) if not found(x)]))',
    ].join('\n');
    const r = await runToEnd('python3', ['-c', check], { env: cleanEnv({ PYTHONPATH: join(REPO, 'packages/sdk-python') }), input: JSON.stringify(used) });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('metric names in the docs', () => {
  let h: Harness;
  beforeAll(async () => void (h = await startHookline('sqlite')));
  afterAll(() => h?.close());

  it('are all exported by /metrics', async () => {
    const exported = await (await fetch(`${h.url}/metrics`)).text();
    const named = new Set(
      ['docs/operations.md', 'docs/api.md'].flatMap((f) => [...readFileSync(join(REPO, f), 'utf8').matchAll(/\bhookline_[a-z0-9_]+/g)].map((m) => m[0])),
    );
    expect(named.size).toBeGreaterThanOrEqual(10);
    // `hookline_process_*` in a table is a family: its prefix must exist.
    const missing = [...named].filter((n) => !new RegExp(`^(# TYPE )?${n}${n.endsWith('_') ? '' : '\\b'}`, 'm').test(exported));
    expect(missing).toEqual([]);
  });
});

for (const file of FILES) {
  const blocks = BLOCKS.filter((b) => b.file === file);
  const runnable = blocks.filter((b) => b.runnable);
  if (!runnable.length) continue;
  describe(`${file} runs as written`, () => {
    const page = new Page(file, blocks);
    beforeAll(() => page.start());
    afterAll(() => page.stop());
    for (const b of runnable) it(`${file}:${b.line}`, () => page.run(b), 90_000);
  });
}
